package io.sluice.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One immutable, validated description of a load run. Built by {@code load} (picocli) or by tests through
 * {@link #builder()}; validated once in the constructor so the run itself never sees a bad value.
 *
 * <p>Limits: ports 1..65535, up to {@value #MAX_CONNECTIONS} connections, up to {@value #MAX_RECIPIENTS}
 * recipients per message, addresses limited to printable ASCII without spaces, angle brackets or CR/LF (they are
 * written verbatim into SMTP commands). Failure mode: {@link IllegalArgumentException} naming the option.
 *
 * @param host           target host name or literal; must resolve to loopback only (checked by {@link LoopbackTarget})
 * @param port           target SMTP port
 * @param messages       measured messages to send (warm-up messages come on top)
 * @param sizeBytes      message size as stored by the server (headers + text, un-stuffed, CRLF line ends); raised
 *                       to the header size if smaller
 * @param connections    concurrent connections (slots); each reconnects after {@code perConnection} messages
 * @param perConnection  messages per connection before QUIT and reconnect
 * @param pipelining     send MAIL+RCPT+DATA in one write when the server offers PIPELINING
 * @param ratePerSecond  0 = closed loop; otherwise open loop with messages scheduled at this overall rate
 * @param mailFrom       envelope sender
 * @param rcptTo         envelope recipient; with {@code recipients > 1} the local part gets {@code +1}, {@code +2}...
 * @param recipients     RCPT TO commands per message
 * @param warmup         messages sent first and left out of latency and throughput figures
 * @param timeout        hard limit for the whole run; the run stops by itself when it passes
 * @param threads        Netty event-loop threads (one per core is the intended setting)
 */
public record LoadSettings(
        String host,
        int port,
        long messages,
        int sizeBytes,
        int connections,
        int perConnection,
        boolean pipelining,
        double ratePerSecond,
        String mailFrom,
        String rcptTo,
        int recipients,
        long warmup,
        Duration timeout,
        int threads) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 2525;
    public static final long DEFAULT_MESSAGES = 10_000;
    public static final int DEFAULT_SIZE_BYTES = 2048;
    public static final int DEFAULT_CONNECTIONS = 16;
    public static final int DEFAULT_PER_CONNECTION = 100;
    public static final String DEFAULT_MAIL_FROM = "bench@sluice-bench.test";
    public static final String DEFAULT_RCPT_TO = "sink@sluice-bench.test";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    public static final int MAX_CONNECTIONS = 10_000;
    public static final int MAX_RECIPIENTS = 1000;
    public static final int MAX_SIZE_BYTES = 64 * 1024 * 1024;

    public LoadSettings {
        require(host != null && !host.isBlank(), "--host must not be empty");
        require(port >= 1 && port <= 65535, "--port must be 1..65535, got " + port);
        require(messages >= 1, "--messages must be >= 1, got " + messages);
        require(sizeBytes >= 1 && sizeBytes <= MAX_SIZE_BYTES,
                "--size must be 1.." + MAX_SIZE_BYTES + " bytes, got " + sizeBytes);
        require(connections >= 1 && connections <= MAX_CONNECTIONS,
                "--connections must be 1.." + MAX_CONNECTIONS + ", got " + connections);
        require(perConnection >= 1, "--per-connection must be >= 1, got " + perConnection);
        require(ratePerSecond >= 0 && Double.isFinite(ratePerSecond), "--rate must be >= 0, got " + ratePerSecond);
        requireAddress(mailFrom, "--from");
        requireAddress(rcptTo, "--to");
        require(recipients >= 1 && recipients <= MAX_RECIPIENTS,
                "--recipients must be 1.." + MAX_RECIPIENTS + ", got " + recipients);
        require(warmup >= 0, "--warmup must be >= 0, got " + warmup);
        require(timeout != null && !timeout.isNegative() && !timeout.isZero(), "--timeout must be > 0");
        require(threads >= 1 && threads <= 256, "--threads must be 1..256, got " + threads);
    }

    /** @return true when messages follow a fixed schedule ({@code --rate}) instead of back-to-back */
    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    /** @return warm-up plus measured messages: everything the run will try to send */
    public long totalMessages() {
        return warmup + messages;
    }

    /** @return the envelope recipients of every message, in RCPT order */
    public List<String> recipientAddresses() {
        List<String> out = new ArrayList<>(recipients);
        if (recipients == 1) {
            out.add(rcptTo);
            return out;
        }
        int at = rcptTo.lastIndexOf('@');
        for (int i = 1; i <= recipients; i++) {
            out.add(rcptTo.substring(0, at) + "+" + i + rcptTo.substring(at));
        }
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requireAddress(String address, String option) {
        require(address != null, option + " must not be empty");
        int at = address.lastIndexOf('@');
        require(at > 0 && at < address.length() - 1, option + " must look like local@domain, got " + address);
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            require(c > ' ' && c < 0x7f && c != '<' && c != '>',
                    option + " must be printable ASCII without spaces or angle brackets, got " + address);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder starting from the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long messages = DEFAULT_MESSAGES;
        private int sizeBytes = DEFAULT_SIZE_BYTES;
        private int connections = DEFAULT_CONNECTIONS;
        private int perConnection = DEFAULT_PER_CONNECTION;
        private boolean pipelining;
        private double ratePerSecond;
        private String mailFrom = DEFAULT_MAIL_FROM;
        private String rcptTo = DEFAULT_RCPT_TO;
        private int recipients = 1;
        private long warmup;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder messages(long v) { messages = v; return this; }
        public Builder sizeBytes(int v) { sizeBytes = v; return this; }
        public Builder connections(int v) { connections = v; return this; }
        public Builder perConnection(int v) { perConnection = v; return this; }
        public Builder pipelining(boolean v) { pipelining = v; return this; }
        public Builder ratePerSecond(double v) { ratePerSecond = v; return this; }
        public Builder mailFrom(String v) { mailFrom = v; return this; }
        public Builder rcptTo(String v) { rcptTo = v; return this; }
        public Builder recipients(int v) { recipients = v; return this; }
        public Builder warmup(long v) { warmup = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder threads(int v) { threads = v; return this; }

        public LoadSettings build() {
            return new LoadSettings(host, port, messages, sizeBytes, connections, perConnection, pipelining,
                    ratePerSecond, mailFrom, rcptTo, recipients, warmup, timeout, threads);
        }
    }
}
