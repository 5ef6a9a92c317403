#!/usr/bin/env bash
# What the suppression list's RCPT check costs at the accept rate (docs/BENCHMARKS.md section 8, issue 13: ratio
# >= 0.95): scenario s50-reuse (20,000 x 5 KB, 50 sessions) against Sluice twice, alternating rep by rep in one
# session: "plain" (journal.sync: batch, the gate's config) and "reject" (the same with the listener's
# suppressed: reject and a suppression list of ENTRIES entries, default 1,000,000, none of them the load's
# recipients: every RCPT pays the full lookup and passes).
# Results: /var/tmp/sluice-bench/results/rcpt-check-<stamp>.jsonl (one line per run, label plain|reject).
# PEERS_DIR: the peer rig's directory (the one holding run-all.sh); it is not part of this repository.
set -euo pipefail
peers_dir="${PEERS_DIR:?set PEERS_DIR to the directory of the peer rig, the one holding run-all.sh}"
reps="${REPS:-3}"
entries="${ENTRIES:-1000000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base=/var/tmp/sluice-bench
mkdir -p "$base/conf" "$base/results" "$base/suppression"
"$here/make-config.sh" batch "$base/journal-batch" "$base/conf/batch.yaml" >/dev/null
sed 's/^    suppressed: accept /    suppressed: reject /' "$base/conf/batch.yaml" > "$base/conf/batch-reject.yaml"
grep -q '^    suppressed: reject ' "$base/conf/batch-reject.yaml" || { echo "rcpt-check.sh: no listener suppressed key" >&2; exit 2; }
list="$base/suppression/suppression-$entries.log"
if [[ ! -f "$list" ]]; then
  "$root/scripts/sluice-bench" suppression-heap --entries "$entries" --lookups 1 --dir "$base/suppression" >/dev/null
  mv "$base/suppression/suppression.log" "$list"
fi
out="$base/results/rcpt-check-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
"$here/wait-quiet.sh"
cd "$peers_dir"
for rep in $(seq 1 "$reps"); do
  for label in plain reject; do
    conf="$base/conf/batch.yaml"; extra=""
    if [[ "$label" == reject ]]; then conf="$base/conf/batch-reject.yaml"; extra="$list"; fi
    tmp="$(mktemp)"
    PEERS=ours SCENARIOS='s50-reuse' REPS=1 STALL="${STALL:-3}" SUPPRESSION_LOG="$extra" \
    OURS_CMD="$here/sluice-rig.sh $conf $base/journal-batch" OUT="$tmp" ./run-all.sh >/dev/null
    sed "s/\"label\": \"ours\"/\"label\": \"$label\"/" "$tmp" >> "$out"
    rm -f "$tmp"
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["label"], []).append(r["accepted_rate"])
for k, v in by.items():
    print(f"{k}: median {statistics.median(v):,.0f}/s  runs {[round(x) for x in v]}")
if "plain" in by and "reject" in by:
    print(f"ratio reject/plain: {statistics.median(by['reject']) / statistics.median(by['plain']):.3f}")
print(sys.argv[1])
PY
