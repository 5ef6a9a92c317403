package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.config.SourceSettings;
import io.sluice.dns.DomainCheck;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice dns check DOMAIN [--json]}: whether a sending domain's DNS is right for the mail this config sends
 * ({@link DomainCheck}: MX, SPF against the sources' addresses, the DKIM selectors against the key files, DMARC, PTR
 * and forward-confirmed reverse DNS against the EHLO names), each problem in plain words with what to publish. Reads
 * the config (found as {@link ConfigLocation} says) for its resolvers, sources and DKIM keys. Offline from the daemon.
 * Exit 0 when every check is fine, 1 when any is not (or the config cannot be read), 2 on bad usage.
 */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "DNS checks for sending domains.",
        subcommands = DnsCommand.Check.class)
final class DnsCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a sending domain's DNS: MX, SPF (do our sources pass?), DKIM (do the published keys"
                    + " match ours?), DMARC, and each source's PTR and forward-confirmed reverse DNS.")
    static final class Check implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigLocation location;

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "the sending domain (the From domain)")
        String domain;

        @Option(names = "--json", description = "one JSON object per finding")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Settings settings;
            try {
                settings = SettingsLoader.load(location.path());
            } catch (ConfigException e) {
                e.errors().forEach(line -> err.println("sluice dns check: " + line));
                return 1;
            }
            List<DomainCheck.Source> sources = new ArrayList<>();
            for (SourceSettings s : settings.egress().sources()) {
                sources.add(new DomainCheck.Source(s.name(), s.address(), s.ehloName()));
            }
            List<DomainCheck.Finding> findings = DomainCheck.run(settings.dns(), domain.strip(), sources,
                    settings.dkim().keys());
            boolean ok = true;
            for (DomainCheck.Finding f : findings) {
                ok &= f.ok();
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("check", f.check());
                    line.put("ok", f.ok());
                    line.put("text", f.text());
                    out.println(JSON.writeValueAsString(line));
                } else {
                    out.println((f.ok() ? "ok       " : "PROBLEM  ") + f.check() + ": " + f.text());
                }
            }
            out.flush();
            return ok ? 0 : 1;
        }
    }
}
