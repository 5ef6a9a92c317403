package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter checks of the queue-steering routes ({@link QueueActionRoutes#parse}): what each accepts, what not. */
class QueueActionRoutesTest {

    private static QueueAction parse(String action, boolean all, boolean sites, boolean ids,
                                     Map<String, List<String>> query) {
        AdminRequest request = new AdminRequest(HttpMethod.POST, "/admin/" + action, query, new DefaultHttpHeaders(),
                new byte[0]);
        return QueueActionRoutes.parse(request, action, all, sites, ids);
    }

    @Test
    void shouldTakeEverythingForAFlushWithoutTarget() {
        assertThat(parse("flush", true, true, false, Map.of()))
                .isEqualTo(new QueueAction("flush", "all", null, 0, 0, null, false));
    }

    @Test
    void shouldReadASuspensionsSiteAndDuration() {
        assertThat(parse("suspend", false, true, false, Map.of("site", List.of("mx1.a.test,mx2.a.test"),
                "for", List.of("2h")))).isEqualTo(new QueueAction("suspend", "site", "mx1.a.test,mx2.a.test", 0,
                7_200_000, null, false));
    }

    @Test
    void shouldReadABounceByIdWithReasonAndDryRun() {
        assertThat(parse("bounce", false, false, true, Map.of("id", List.of("1A2028826DC00000"),
                "reason", List.of("sent by mistake"), "dry_run", List.of("true"))))
                .isEqualTo(new QueueAction("bounce", "id", null, 0x1a2028826dc00000L, 0, "sent by mistake", true));
    }

    @Test
    void shouldRefuseMissingDoubledOrMalformedParameters() {
        assertThatThrownBy(() -> parse("suspend", false, true, false, Map.of()))
                .hasMessage("suspend takes exactly one of domain or site");
        assertThatThrownBy(() -> parse("hold", false, false, true, Map.of("domain", List.of("a.test"),
                "id", List.of("1a2028826dc00000")))).hasMessage("hold takes exactly one of domain or id");
        assertThatThrownBy(() -> parse("hold", false, false, true, Map.of("site", List.of("mx.a.test"))))
                .hasMessage("hold takes exactly one of domain or id");
        assertThatThrownBy(() -> parse("flush", true, true, false, Map.of("domain", List.of("a.test", "b.test"))))
                .hasMessage("parameter 'domain' given twice");
        assertThatThrownBy(() -> parse("release", false, false, true, Map.of("id", List.of("12"))))
                .hasMessage("id must be a message id of 16 hex digits");
        assertThatThrownBy(() -> parse("suspend", false, true, false, Map.of("domain", List.of("a@b.test"))))
                .hasMessageContaining("without '@'");
        assertThatThrownBy(() -> parse("suspend", false, true, false, Map.of("domain", List.of("a.test"),
                "for", List.of("0s")))).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> parse("suspend", false, true, false, Map.of("domain", List.of("a.test"),
                "for", List.of("soon")))).hasMessageContaining("for must be a duration");
        assertThatThrownBy(() -> parse("hold", false, false, true, Map.of("domain", List.of("a.test"),
                "for", List.of("1h")))).hasMessage("only suspend takes 'for'");
        assertThatThrownBy(() -> parse("bounce", false, false, true, Map.of("domain", List.of("a.test"))))
                .hasMessageContaining("bounce needs a reason");
        assertThatThrownBy(() -> parse("bounce", false, false, true, Map.of("domain", List.of("a.test"),
                "reason", List.of("line\nbreak")))).hasMessageContaining("printable");
        assertThatThrownBy(() -> parse("hold", false, false, true, Map.of("domain", List.of("a.test"),
                "reason", List.of("x")))).hasMessage("only bounce takes 'reason' and 'dry_run'");
    }
}
