package io.sluice.dns;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The outcome of one DNS query (one name, one type), reduced to what MX resolution decides on.
 *
 * @param kind    what the server said
 * @param records the answer records of the queried type (CNAMEs already followed); empty unless {@code FOUND}
 * @param detail  for {@code FAILED}: why (e.g. {@code SERVFAIL}, {@code timed out after 10s}); else empty
 */
record DnsAnswer(Kind kind, List<Record> records, String detail) {

    /** What the server said about the name and type. */
    enum Kind {
        /** At least one record of the type. */
        FOUND,
        /** The name exists but has no record of the type (NOERROR, empty answer). */
        NODATA,
        /** The name does not exist (NXDOMAIN). */
        NXDOMAIN,
        /** No usable answer now: SERVFAIL, REFUSED, timeout, network or protocol error. Worth retrying. */
        FAILED
    }

    DnsAnswer {
        records = List.copyOf(records);
    }

    static DnsAnswer found(List<Record> records) {
        return records.isEmpty() ? new DnsAnswer(Kind.NODATA, List.of(), "")
                : new DnsAnswer(Kind.FOUND, records, "");
    }

    static DnsAnswer of(Kind kind) {
        return new DnsAnswer(kind, List.of(), "");
    }

    static DnsAnswer failed(String detail) {
        return new DnsAnswer(Kind.FAILED, List.of(), detail);
    }
}
