package io.sluice.config;

import io.sluice.util.IpLiteral;
import java.util.Arrays;

/**
 * Decides whether two listening sockets (address literal + port) would collide, and prints {@code address:port}.
 *
 * <p>Two binds collide on the same port when their addresses are equal (in any spelling: {@code ::1} and
 * {@code 0:0::1}), or when one is a wildcard covering the other: {@code 0.0.0.0} covers every IPv4 address, and
 * {@code ::} covers everything because the JVM opens IPv6 sockets dual-stack. Linux refuses such pairs with
 * EADDRINUSE, so catching them here turns a start-up failure into a config error. Inputs must be valid literals.
 * Stateless.
 */
final class BindAddress {

    private BindAddress() {
    }

    static boolean collide(String addressA, int portA, String addressB, int portB) {
        if (portA != portB) {
            return false;
        }
        byte[] a = canonical(addressA);
        byte[] b = canonical(addressB);
        return Arrays.equals(a, b) || isAny(a, 16) || isAny(b, 16)
                || (isAny(a, 4) && b.length == 4) || (isAny(b, 4) && a.length == 4);
    }

    /** {@code 127.0.0.1:2525} or {@code [::1]:2525}. */
    static String display(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The address bytes, with IPv4-mapped IPv6 reduced to IPv4 (that is what the kernel binds). */
    private static byte[] canonical(String address) {
        byte[] bytes = IpLiteral.parse(address);
        if (bytes.length == 16 && isMapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static boolean isAny(byte[] b, int length) {
        if (b.length != length) {
            return false;
        }
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
