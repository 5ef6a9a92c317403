#!/usr/bin/env bash
# Relay command for the peer rig (run-all.sh OURS_CMD / run-relay.sh): starts Sluice on a FRESH journal.
# Deletes JOURNAL_DIR (must be under /var/tmp/sluice-bench/), then execs the daemon so that the rig's recorded
# PID is the JVM itself (its CPU is what the rig accounts).
# usage: sluice-rig.sh CONFIG JOURNAL_DIR     (JVM options: SLUICE_JAVA_OPTS)
# SUPPRESSION_LOG=FILE: copied into the fresh journal as its suppression list (scripts/bench/rcpt-check.sh)
set -euo pipefail
conf="$1"; dir="$2"
[[ "$dir" == /var/tmp/sluice-bench/* ]] || { echo "refusing journal dir $dir" >&2; exit 2; }
rm -rf "$dir"; mkdir -p "$dir"
if [[ -n "${SUPPRESSION_LOG:-}" ]]; then cp "$SUPPRESSION_LOG" "$dir/suppression.log"; fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec "$root/scripts/sluice" run --config "$conf"
