package io.sluice.scheduler;

import java.util.Locale;
import java.util.Objects;

/**
 * One operator command that steers the queue (after Postfix's {@code postqueue -f} / {@code postsuper -h
 * -H -d} and KumoMTA's {@code kcli suspend/bounce}), on its way to the scheduler thread through
 * {@link Scheduler#steer}. Immutable; validated here so the scheduler never sees a malformed one.
 *
 * <ul>
 *   <li>{@link Action#FLUSH}: every recipient on a retry timer for the target (all, a domain or a site) comes due
 *       now; a dead site's probe too.</li>
 *   <li>{@link Action#SUSPEND} / {@link Action#RESUME}: a domain or a site; no new task starts for it until resumed
 *       or until {@code untilMillis} (0: no end).</li>
 *   <li>{@link Action#HOLD} / {@link Action#RELEASE}: a domain or one message; held recipients are not delivered
 *       until released.</li>
 *   <li>{@link Action#BOUNCE}: a domain or one message; every pending recipient not in flight is given up as
 *       bounced ({@code 5.0.0} and {@code reason}); {@code dryRun} only counts.</li>
 * </ul>
 *
 * @param action      what to do
 * @param target      whom to do it to
 * @param untilMillis for SUSPEND: when the suspension ends by itself (epoch ms), 0 for never
 * @param reason      for BOUNCE: the operator's reason, put in the DSN and the event; else null
 * @param dryRun      for BOUNCE: count only, change nothing
 */
public record SteeringCommand(Action action, Target target, long untilMillis, String reason, boolean dryRun) {

    /** The commands. */
    public enum Action {
        FLUSH, SUSPEND, RESUME, HOLD, RELEASE, BOUNCE;

        /** The lower-case name, as the admin API and the event log spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a command applies to. */
    public enum Scope { ALL, DOMAIN, SITE, MESSAGE }

    /**
     * @param scope what kind of target
     * @param name  the domain or the site key (MX host names joined by commas), lower case; null otherwise
     * @param id    the message id for {@link Scope#MESSAGE}; 0 otherwise
     */
    public record Target(Scope scope, String name, long id) {
        public Target {
            Objects.requireNonNull(scope, "scope");
            if ((scope == Scope.DOMAIN || scope == Scope.SITE) == (name == null || name.isEmpty())) {
                throw new IllegalArgumentException("a domain or site target needs a name, others none");
            }
            name = name == null ? null : name.toLowerCase(Locale.ROOT);
        }

        public static Target all() {
            return new Target(Scope.ALL, null, 0);
        }

        public static Target domain(String domain) {
            return new Target(Scope.DOMAIN, domain, 0);
        }

        public static Target site(String site) {
            return new Target(Scope.SITE, site, 0);
        }

        public static Target message(long id) {
            return new Target(Scope.MESSAGE, null, id);
        }

        /** For logs and events: {@code all}, {@code domain example.com}, {@code site mx.example.com}, {@code id N}. */
        public String describe() {
            return switch (scope) {
                case ALL -> "all";
                case DOMAIN -> "domain " + name;
                case SITE -> "site " + name;
                case MESSAGE -> "id " + io.sluice.journal.MessageIds.format(id);
            };
        }
    }

    public SteeringCommand {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        boolean ok = switch (action) {
            case FLUSH -> target.scope() != Scope.MESSAGE;
            case SUSPEND, RESUME -> target.scope() == Scope.DOMAIN || target.scope() == Scope.SITE;
            case HOLD, RELEASE, BOUNCE -> target.scope() == Scope.DOMAIN || target.scope() == Scope.MESSAGE;
        };
        if (!ok) {
            throw new IllegalArgumentException(action.label() + " does not apply to " + target.scope().name()
                    .toLowerCase(Locale.ROOT));
        }
        if (untilMillis < 0 || untilMillis != 0 && action != Action.SUSPEND) {
            throw new IllegalArgumentException("only suspend takes an end time");
        }
        if (action == Action.BOUNCE && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("bounce needs a reason");
        }
        if (dryRun && action != Action.BOUNCE) {
            throw new IllegalArgumentException("only bounce has a dry run");
        }
    }

    public static SteeringCommand of(Action action, Target target) {
        return new SteeringCommand(action, target, 0, null, false);
    }
}
