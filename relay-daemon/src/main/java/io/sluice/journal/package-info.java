/**
 * The journal: the only code that touches Chronicle Queue. Three queues under {@code journal.dir}, one-minute
 * ({@code bodies/}) and ten-minute roll cycles, {@code SyncMode.SYNC}:
 * <ul>
 *   <li>{@code bodies/}: ACCEPTED records ({@link io.sluice.journal.AcceptedDescriptor});</li>
 *   <li>{@code state/}: QUEUED, DEFERRED, OUTCOME, RELOCATED and CHECKPOINT records (their {@code *Descriptor}
 *       classes draw each layout; {@link io.sluice.journal.RecordHeader} lists every type and version);</li>
 *   <li>{@code events/}: the lifecycle event stream ({@link io.sluice.journal.EventStream}).</li>
 * </ul>
 *
 * <p>Write path: one writer agent ({@link io.sluice.journal.JournalWriter}) owns the appenders and the
 * {@link io.sluice.journal.PendingSet}, appends with group commit and calls back after the sync. Recovery
 * ({@link io.sluice.journal.Recovery}) rebuilds the pending set from the last checkpoint plus the records after
 * it, reading {@code state/} only; each pending message keeps its current bodies index and received time.
 *
 * <p>Compaction and retention, both on the writer agent: {@link io.sluice.journal.BodiesCompactor} copies messages
 * still pending out of {@code bodies/} cycles older than {@code journal.compact_after} to the head, appends a
 * RELOCATED record, syncs, then deletes the emptied cycles; {@link io.sluice.journal.StateRetention} deletes
 * {@code state/} cycles before the previous durable checkpoint (and older than {@code compact_after}). Readers find a
 * moved message by id ({@link io.sluice.journal.BodiesReader#read(long, long, AcceptedRecord, BodyConsumer)},
 * backed by {@link io.sluice.journal.Relocations}). Disk use thus stays near {@code compact_after} worth of mail
 * plus one copy of each long-deferred message.
 *
 * <p>Offline inspection: {@link io.sluice.journal.JournalDump}.
 */
package io.sluice.journal;
