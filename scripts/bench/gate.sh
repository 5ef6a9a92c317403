#!/usr/bin/env bash
# Gate measurement (docs/BENCHMARKS.md, section 1): scenario s50-reuse (20,000 x 5 KB, 50 sessions, smtp-source -d),
# interleaved rep by rep in ONE run of the peer rig: ceiling (no relay), Postfix, Sluice ("ours").
#   scripts/bench/gate.sh batch    # Sluice with journal.sync: batch (the gate)
#   scripts/bench/gate.sh none     # Sluice with journal.sync: none (context only)
# This is the accept-rate gate: the config's resolver is an unused loopback port, so Sluice defers everything and
# its sink count never moves; STALL=3 ends each of its runs 3 s after the load started at the earliest (bench.py's
# stall rule) and only accepted_rate is meaningful for it. Delivered/s: docs/BENCHMARKS.md section 4.
# Results: /var/tmp/sluice-bench/results/gate-SYNC-<stamp>.jsonl
# PEERS_DIR: the peer rig's directory (the one holding run-all.sh); it is not part of this repository.
set -euo pipefail
sync="${1:?batch|none}"
peers_dir="${PEERS_DIR:?set PEERS_DIR to the directory of the peer rig, the one holding run-all.sh}"
[[ -x "$peers_dir/run-all.sh" ]] || { echo "gate.sh: PEERS_DIR=$peers_dir has no executable run-all.sh" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base=/var/tmp/sluice-bench
mkdir -p "$base/conf" "$base/results"
"$here/make-config.sh" "$sync" "$base/journal-$sync" "$base/conf/$sync.yaml" >/dev/null
"$here/wait-quiet.sh"
cd "$peers_dir"
PEERS="${PEERS:-ceiling postfix ours}" SCENARIOS='s50-reuse' REPS="${REPS:-3}" STALL="${STALL:-3}" \
OURS_CMD="$here/sluice-rig.sh $base/conf/$sync.yaml $base/journal-$sync" \
OUT="$base/results/gate-$sync-$(date -u +%Y%m%dT%H%M%SZ).jsonl" \
  ./run-all.sh
