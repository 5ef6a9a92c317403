package io.sluice.util;

import com.ibm.icu.text.IDNA;
import java.util.Locale;

/**
 * International domain names (IDNA 2008 as profiled by UTS #46, non-transitional): the A-label form
 * ({@code xn--...}) used for DNS and for a next hop without SMTPUTF8, and the validity check that RCPT applies.
 *
 * <p>Why ICU4J and not {@code java.net.IDN}: the JDK implements IDNA 2003 over Unicode 3.2, which maps {@code ß} to
 * {@code ss} and final sigma to sigma (so mail would go to another domain than the one the client gave), allows
 * symbols such as U+2603 that IDNA 2008 disallows, and refuses letters added to Unicode since 2002. ICU's UTS #46
 * with {@code CHECK_BIDI}, {@code CHECK_CONTEXTJ}, {@code CHECK_CONTEXTO} and {@code USE_STD3_RULES} applies the
 * IDNA 2008 rules of RFC 5891/5892/5893.
 *
 * <p>Strict on input: a domain is valid only if it is already in the form IDNA 2008 registers, up to letter case,
 * and its U-labels hold only letters, marks and digits (RFC 5892 LetterDigits, approximated below);
 * a domain that UTS #46 would have to map (full-width letters, ideographic full stops, compatibility forms) is
 * refused rather than silently rewritten, since the address must stay the one the client sent. ASCII labels that
 * start with {@code xn--} must be valid A-labels. Lengths: the A-label form must fit DNS (63 octets a label, 253
 * in all). Pure ASCII domains without {@code xn--} labels take a fast path with no ICU call and no allocation.
 * Thread-safe (the ICU instance is immutable).
 */
public final class IdnDomain {
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO
            | IDNA.USE_STD3_RULES);
    private static final int MAX_ASCII_DOMAIN = 253;

    private IdnDomain() {
    }

    /** True when {@code domain} needs IDNA processing: a non-ASCII character or an {@code xn--} label. */
    public static boolean isInternational(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c >= 0x80) {
                return true;
            }
            if ((i == 0 || domain.charAt(i - 1) == '.') && domain.regionMatches(true, i, "xn--", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The A-label form of {@code domain} (lower case for the international labels), {@code domain} itself when it
     * is not international, or null when it is not a valid IDNA 2008 name.
     */
    public static String toAscii(String domain) {
        if (!isInternational(domain)) {
            return domain;
        }
        StringBuilder ascii = new StringBuilder(domain.length() + 16);
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(domain, ascii, info);
        if (info.hasErrors() || ascii.length() > MAX_ASCII_DOMAIN) {
            return null;
        }
        StringBuilder unicode = new StringBuilder(domain.length());
        UTS46.nameToUnicode(ascii, unicode, new IDNA.Info());
        String[] given = domain.split("\\.", -1);
        String[] asciiLabels = ascii.toString().split("\\.", -1);
        String[] unicodeLabels = unicode.toString().split("\\.", -1);
        if (given.length != asciiLabels.length || given.length != unicodeLabels.length) {
            return null; // a dot was mapped in (U+3002 and friends): not the name the client gave
        }
        for (int i = 0; i < given.length; i++) {
            boolean asciiLabel = given[i].chars().allMatch(c -> c < 0x80);
            if (asciiLabel ? !asciiLabels[i].equalsIgnoreCase(given[i])
                    : !unicodeLabels[i].equals(given[i].toLowerCase(Locale.ROOT))) {
                return null; // UTS #46 had to map the label (full-width, compatibility forms): refuse, not rewrite
            }
            if (!lettersAndDigits(unicodeLabels[i])) {
                return null;
            }
        }
        return ascii.toString();
    }

    /**
     * The U-label form of a valid domain (lower case), {@code domain} itself when it is not international, or null
     * when it is not a valid IDNA 2008 name. For comparing names given in either form.
     */
    public static String toUnicode(String domain) {
        String ascii = toAscii(domain);
        if (ascii == null || ascii == domain && !isInternational(domain)) {
            return ascii;
        }
        StringBuilder unicode = new StringBuilder(ascii.length());
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToUnicode(ascii, unicode, info);
        return info.hasErrors() ? null : unicode.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * IDNA 2008's LetterDigits category (RFC 5892 2.1) in approximation: every non-ASCII code point of a U-label is
     * a lower-case or other letter, a modifier letter, a mark or a decimal digit, or one of the few CONTEXTJ/CONTEXTO
     * characters that ICU has already checked in context. UTS #46 alone would let symbols (U+2603) through.
     */
    private static boolean lettersAndDigits(String label) {
        for (int i = 0; i < label.length(); ) {
            int c = label.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                continue;
            }
            switch (Character.getType(c)) {
                case Character.LOWERCASE_LETTER, Character.OTHER_LETTER, Character.MODIFIER_LETTER,
                        Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER:
                    continue;
                default:
                    if (c == 0x200c || c == 0x200d || c == 0x00b7 || c == 0x0375 || c == 0x05f3 || c == 0x05f4
                            || c == 0x30fb) {
                        continue;
                    }
                    return false;
            }
        }
        return true;
    }

    /**
     * {@code address} ({@code local@domain}) with its domain in A-label form, {@code address} itself when the domain
     * is not international, or null when the domain is not a valid IDN. The local part is untouched.
     */
    public static String addressToAscii(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        String domain = address.substring(at + 1);
        String ascii = toAscii(domain);
        if (ascii == null) {
            return null;
        }
        return ascii == domain ? address : address.substring(0, at + 1) + ascii;
    }
}
