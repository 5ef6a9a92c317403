package io.sluice.dns;

import java.util.List;
import org.xbill.DNS.Record;

/** A blocking DNS question for offline checks: the records of {@code name} and {@code type}, or why there are none. */
@FunctionalInterface
interface DnsQuery {
    /** The answer; {@link DnsAnswer.Kind#FAILED} when the resolvers did not answer. */
    DnsAnswer ask(String name, int type);

    /** The records of the answer, empty unless found. */
    default List<Record> records(String name, int type) {
        DnsAnswer a = ask(name, type);
        return a.kind() == DnsAnswer.Kind.FOUND ? a.records() : List.of();
    }
}
