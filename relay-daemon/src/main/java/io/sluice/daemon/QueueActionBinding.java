package io.sluice.daemon;

import io.sluice.admin.AdminActions;
import io.sluice.admin.QueueAction;
import io.sluice.events.EventPublisher;
import io.sluice.events.LifecycleEvent;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SteeringCommand;
import io.sluice.scheduler.SteeringResult;
import io.sluice.scheduler.SteeringState;
import io.sluice.util.JsonText;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the queue-steering routes ({@link AdminActions}): turns a checked {@link QueueAction} into
 * the scheduler's {@link SteeringCommand}, waits for the scheduler's answer ({@link Scheduler#steer}), persists the
 * suspensions and holds in force ({@link SteeringState#write}, in the journal directory) when the command changed
 * them, then records an {@code admin} event (actor {@value #ACTOR}) and logs the action.
 *
 * <p>Order: the scheduler applies the command first, then the state is written; if the write fails the command
 * stays applied in memory and the answer is a 503 saying the state was not persisted (it would be lost at restart).
 * Threading: the admin worker thread; synchronized so two writes of the state never interleave.
 */
final class QueueActionBinding implements AdminActions {
    private static final Logger LOG = LoggerFactory.getLogger(QueueActionBinding.class);
    static final String ACTOR = "admin-api";
    static final long ANSWER_MS = 8_000;

    private final Scheduler scheduler;
    private final Path stateDir;
    private final EventPublisher events;
    /** Whether a provider of that name is in the shaping rules in force (resume --provider). */
    private final java.util.function.Predicate<String> knownProvider;

    QueueActionBinding(Scheduler scheduler, Path stateDir, EventPublisher events) {
        this(scheduler, stateDir, events, name -> true);
    }

    QueueActionBinding(Scheduler scheduler, Path stateDir, EventPublisher events,
                       java.util.function.Predicate<String> knownProvider) {
        this.scheduler = scheduler;
        this.stateDir = stateDir;
        this.events = events;
        this.knownProvider = knownProvider;
    }

    @Override
    public synchronized CompletableFuture<String> act(QueueAction action) {
        long now = System.currentTimeMillis();
        if (action.scope().equals("provider")) {
            return liftShaping(action, now);
        }
        SteeringCommand command;
        try {
            command = command(action, now);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        SteeringResult result;
        try {
            result = await(scheduler.steer(command));
        } catch (java.util.concurrent.CompletionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        }
        String target = command.target().describe();
        String detail = action.reason() != null ? action.reason()
                : command.untilMillis() > 0 ? "until " + Instant.ofEpochMilli(command.untilMillis()) : null;
        if (!action.dryRun()) {
            events.publish(LifecycleEvent.admin(now, command.action().label(), target, ACTOR, result.recipients(),
                    detail));
            LOG.info("admin {} {}: {} recipients{}", command.action().label(), target, result.recipients(),
                    detail == null ? "" : " (" + detail + ")");
        }
        if (changesState(command)) {
            try {
                result.state().write(stateDir);
            } catch (java.io.IOException e) {
                LOG.error("could not persist suspensions and holds in {}", stateDir, e);
                return CompletableFuture.failedFuture(new IllegalStateException("applied, but not persisted ("
                        + e.getMessage() + "); it will not survive a restart"));
            }
        }
        long lifted = 0;
        if (command.action() == SteeringCommand.Action.RESUME
                && command.target().scope() == SteeringCommand.Scope.SITE) {
            try { // the site's own shaping actions (a site no provider matches) end too
                lifted = await(scheduler.resumeShaping(null, command.target().name(), action.source()));
            } catch (java.util.concurrent.CompletionException e) {
                return CompletableFuture.failedFuture(new IllegalStateException("resumed, but its shaping actions"
                        + " were not lifted: " + e.getCause()));
            }
        }
        String json = json(result);
        return CompletableFuture.completedFuture(lifted == 0 ? json
                : json.substring(0, json.length() - 1) + ",\"shaping_actions_lifted\":" + lifted + "}");
    }

    /** {@code resume --provider P}: the provider's shaping actions end (from one source or all). */
    private CompletableFuture<String> liftShaping(QueueAction action, long now) {
        if (!knownProvider.test(action.name())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no provider " + action.name()
                    + " in the shaping rules (sluice shaping show --domain D names a domain's provider)"));
        }
        int lifted;
        try {
            lifted = await(scheduler.resumeShaping(action.name(), null, action.source()));
        } catch (java.util.concurrent.CompletionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        }
        String target = "provider " + action.name() + (action.source() == null ? "" : " source " + action.source());
        events.publish(LifecycleEvent.admin(now, "resume", target, ACTOR, lifted, "shaping actions lifted"));
        LOG.info("admin resume {}: {} shaping actions lifted", target, lifted);
        StringBuilder out = new StringBuilder("{\"action\":\"resume\",\"target\":");
        JsonText.string(out, target);
        return CompletableFuture.completedFuture(out.append(",\"recipients\":0,\"in_flight\":0,\"dry_run\":false,"
                + "\"shaping_actions_lifted\":").append(lifted).append('}').toString());
    }

    /**
     * The scheduler's answer, waited for up to {@value #ANSWER_MS} ms; a failure, a timeout or an interrupt comes out
     * as a {@link java.util.concurrent.CompletionException} whose cause is the error to answer with.
     */
    private static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(ANSWER_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CompletionException(e);
        } catch (TimeoutException e) {
            throw new java.util.concurrent.CompletionException(new IllegalStateException("no answer within "
                    + ANSWER_MS + " ms (the scheduler is busy or stopping)"));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new java.util.concurrent.CompletionException(e.getCause() != null ? e.getCause() : e);
        }
    }

    static SteeringCommand command(QueueAction a, long now) {
        SteeringCommand.Target target = switch (a.scope()) {
            case "all" -> SteeringCommand.Target.all();
            case "domain" -> SteeringCommand.Target.domain(a.name());
            case "site" -> SteeringCommand.Target.site(a.name());
            case "id" -> SteeringCommand.Target.message(a.id());
            default -> throw new IllegalArgumentException("unknown scope " + a.scope());
        };
        SteeringCommand.Action action = SteeringCommand.Action.valueOf(a.action().toUpperCase(Locale.ROOT));
        return new SteeringCommand(action, target, a.forMillis() > 0 ? now + a.forMillis() : 0, a.reason(),
                a.dryRun());
    }

    private static boolean changesState(SteeringCommand c) {
        return switch (c.action()) {
            case SUSPEND, RESUME, HOLD, RELEASE -> true;
            case BOUNCE -> !c.dryRun() && c.target().scope() == SteeringCommand.Scope.MESSAGE; // drops a hold
            case FLUSH -> false;
        };
    }

    static String json(SteeringResult r) {
        StringBuilder out = new StringBuilder(160).append("{\"action\":");
        JsonText.string(out, r.command().action().label()).append(",\"target\":");
        JsonText.string(out, r.command().target().describe());
        out.append(",\"recipients\":").append(r.recipients())
                .append(",\"in_flight\":").append(r.inFlight())
                .append(",\"dry_run\":").append(r.command().dryRun());
        if (r.command().untilMillis() > 0) {
            out.append(",\"until_millis\":").append(r.command().untilMillis());
        }
        return out.append('}').toString();
    }
}
