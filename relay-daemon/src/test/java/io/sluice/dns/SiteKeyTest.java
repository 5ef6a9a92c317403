package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.util.IpLiteral;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteKeyTest {

    @Test
    void shouldBeEqualForTheSameHostSetInAnyOrderCaseOrSpelling() {
        SiteKey a = SiteKey.of(List.of("mx1.example.net", "mx2.example.net"));
        SiteKey b = SiteKey.of(List.of("MX2.Example.Net.", "mx1.example.net", "mx1.example.net."));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(b.names()).containsExactly("mx1.example.net", "mx2.example.net");
        assertThat(b).hasToString("mx1.example.net,mx2.example.net");
    }

    @Test
    void shouldDifferWhenTheHostSetDiffers() {
        SiteKey two = SiteKey.of(List.of("mx1.example.net", "mx2.example.net"));

        assertThat(two).isNotEqualTo(SiteKey.of(List.of("mx1.example.net")))
                .isNotEqualTo(SiteKey.of(List.of("mx1.example.net", "mx3.example.net")))
                .isNotEqualTo("mx1.example.net,mx2.example.net");
    }

    @Test
    void shouldRefuseAnEmptyHostSetOrName() {
        assertThatThrownBy(() -> SiteKey.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SiteKey.of(List.of("."))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBuildTheSiteOfHostsFromTheirNames() {
        MxHost backup = new MxHost("Backup.Example.Net.", 20, List.of(IpLiteral.toInetAddress("192.0.2.2")));
        MxHost primary = new MxHost("primary.example.net", 10, List.of(IpLiteral.toInetAddress("192.0.2.1")));

        Destination.Hosts hosts = new Destination.Hosts(List.of(primary, backup));

        assertThat(backup.name()).isEqualTo("backup.example.net");
        assertThat(hosts.site()).isEqualTo(SiteKey.of(List.of("primary.example.net", "backup.example.net")));
        assertThatThrownBy(() -> new MxHost("empty.example.net", 10, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
