package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.config.RouteSettings;
import io.sluice.model.RouteInputs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnsubscribeSplitTest {
    private static final RouteSettings.Unsubscribe ON = new RouteSettings.Unsubscribe("https://u.test", false, null);
    private static final RouteInputs NEWS = new RouteInputs("news.test", "", "default", "");
    private static final String TEXT = "Received: from x\r\n\tby y; now\r\nSubject: s\r\n\r\nbody\r\n";

    /** Recipients at bulk.test get headers naming them; others none. */
    private static final UnsubscribeHeaders HEADERS = new UnsubscribeHeaders() {
        @Override
        public boolean anyRoute() {
            return true;
        }

        @Override
        public RouteSettings.Unsubscribe of(RouteInputs inputs, String recipient) {
            return recipient.endsWith("@bulk.test") ? ON : null;
        }

        @Override
        public String headers(RouteSettings.Unsubscribe settings, String senderDomain, String recipient, long id,
                              long now) {
            return "List-Unsubscribe: <" + settings.urlBase() + "/u/" + recipient + "/" + id + ">\r\n";
        }
    };

    @Test
    void shouldGiveEachUnsubscribeRecipientItsOwnCopyAfterTheReceivedHeader() {
        ByteBuf text = Unpooled.copiedBuffer(TEXT, StandardCharsets.US_ASCII);
        AtomicLong ids = new AtomicLong(100);
        List<UnsubscribeSplit.Part> parts = UnsubscribeSplit.plan(HEADERS, NEWS,
                List.of("a@bulk.test", "x@other.test", "b@bulk.test", "y@other.test"), text, false,
                ids::getAndIncrement, 0, ByteBufAllocator.DEFAULT);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).recipients()).containsExactly("x@other.test", "y@other.test");
        assertThat(parts.get(0).text()).as("the shared part is the text as received").isNull();
        assertThat(parts.get(0).id()).isEqualTo(100);
        assertThat(parts.get(1).recipients()).containsExactly("a@bulk.test");
        assertThat(parts.get(1).text().toString(StandardCharsets.US_ASCII)).isEqualTo(
                "Received: from x\r\n\tby y; now\r\nList-Unsubscribe: <https://u.test/u/a@bulk.test/101>\r\n"
                        + "Subject: s\r\n\r\nbody\r\n");
        assertThat(parts.get(2).text().toString(StandardCharsets.US_ASCII)).contains("/u/b@bulk.test/102>");
        parts.stream().filter(p -> p.text() != null).forEach(p -> p.text().release());
        text.release();
    }

    @Test
    void shouldLeaveAMessageAsReceivedWhenNoRouteAsksOrItBringsItsOwnHeader() {
        ByteBuf text = Unpooled.copiedBuffer(TEXT, StandardCharsets.US_ASCII);
        AtomicLong ids = new AtomicLong(1);
        assertThat(UnsubscribeSplit.plan(HEADERS, NEWS, List.of("x@other.test"), text, false,
                ids::getAndIncrement, 0, ByteBufAllocator.DEFAULT)).isNull();
        assertThat(UnsubscribeSplit.plan(HEADERS, RouteInputs.UNKNOWN, List.of("a@bulk.test"), text, false,
                ids::getAndIncrement, 0, ByteBufAllocator.DEFAULT)).as("the null sender: a DSN is no list").isNull();
        assertThat(UnsubscribeSplit.plan(HEADERS, NEWS, List.of("a@bulk.test"), text, true,
                ids::getAndIncrement, 0, ByteBufAllocator.DEFAULT)).as("the sender's own List-Unsubscribe stands")
                .isNull();
        assertThat(UnsubscribeSplit.plan(UnsubscribeHeaders.NONE, NEWS, List.of("a@bulk.test"), text,
                false, ids::getAndIncrement, 0, ByteBufAllocator.DEFAULT)).isNull();
        assertThat(ids.get()).as("no id used").isEqualTo(1);
        text.release();
    }
}
