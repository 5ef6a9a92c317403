package io.sluice.bench.jmh;

import io.sluice.classify.Classification;
import io.sluice.classify.Classifier;
import io.sluice.classify.Reply;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bounce classifier's throughput (issue 13: at least 200,000 replies a second on one core): the built-in rules
 * (conf/bounce-rules.yaml) on a cycle of replies as MX hosts send them, each with the command it answered: user
 * unknown at RCPT and after DATA, full mailboxes, blocklists, rate limits, DMARC, greylisting, a long Gmail reply,
 * and replies no rule knows (which walk every rule). Single-threaded, as one delivery thread classifies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClassifierBenchmark {
    private static final String[][] REPLIES = {
        {"550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in local recipient table", "RCPT"},
        {"550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the "
                + "recipient's email address for typos or unnecessary spaces. For more information, go to "
                + "https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-5e8c4f2e3a1si1234567a12.345 - gsmtp",
            "RCPT"},
        {"552 5.2.2 <b@example.net>: Recipient address rejected: Mailbox full", "RCPT"},
        {"452 4.2.2 The email account that you tried to reach is over quota", "RCPT"},
        {"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "RCPT"},
        {"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints", "MAIL"},
        {"451 4.7.1 Greylisted, please try again later", "RCPT"},
        {"550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy", "DATA"},
        {"550 5.7.1 Message rejected as spam by Content Filtering.", "DATA"},
        {"421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP", "DATA"},
        {"550 Unknown user c@example.net", "DATA"},
        {"451 4.3.0 Temporary local problem, please try later", "DATA"},
        {"550 Requested action not taken: mailbox unavailable", "RCPT"},
        {"503 5.5.1 Error: need RCPT command", "DATA"},
        {"250 2.0.0 Ok: queued as 4Hk9", "DATA"},
        {"554 5.7.0 Reject, id=12345 - not accepted for an unknown cause at this site", "DATA"},
    };

    private Classifier classifier;
    private Reply[] replies;
    private int next;

    @Setup
    public void setUp() {
        classifier = Classifier.builtIn();
        replies = new Reply[REPLIES.length];
        for (int i = 0; i < REPLIES.length; i++) {
            replies[i] = Reply.parse(REPLIES[i][0], REPLIES[i][1]);
        }
    }

    /** One reply, already split into code, status and text (as the delivery stage has it). */
    @Benchmark
    public Classification classify() {
        Reply r = replies[next];
        next = next + 1 == replies.length ? 0 : next + 1;
        return classifier.classify(r);
    }
}
