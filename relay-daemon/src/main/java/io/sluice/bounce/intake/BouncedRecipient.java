package io.sluice.bounce.intake;

/**
 * One recipient a bounce or complaint report is about, as found in the message (nothing classified yet).
 *
 * @param address    the recipient address, lower case
 * @param action     the DSN action ({@code failed}, {@code delayed}, {@code delivered}), "" when the report says
 *                   none
 * @param status     the enhanced status code the report gives for it, "" when none
 * @param diagnostic the remote server's reply or the report's explanation, white space collapsed
 * @param command    the SMTP command that failed ({@code RCPT}, {@code DATA}, ...), "" when the report does not say
 * @param replyCode  the SMTP reply code found in the diagnostic, 0 when none
 */
public record BouncedRecipient(String address, String action, String status, String diagnostic, String command,
                               int replyCode) {
}
