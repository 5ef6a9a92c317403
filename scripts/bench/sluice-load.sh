#!/usr/bin/env bash
# One sluice-bench load run against a FRESH Sluice daemon (docs/BENCHMARKS.md, section 2):
# deletes the journal, starts the daemon (config from make-config.sh), waits for 127.0.0.1:25028, runs
# `sluice-bench load --port 25028 --json ARGS...`, records the daemon's CPU (from /proc/PID/stat) and the machine's
# CPU split (/proc/stat) over the load, scrapes the daemon's journal metrics, then stops the daemon (SIGTERM, by PID).
#   scripts/bench/sluice-load.sh SYNC TAG -- SLUICE-BENCH-LOAD-ARGS...
#   PREWARM='--connections 50 --messages 20000 ...' : an unmeasured closed-loop run against the same daemon first
# Output: one JSON line appended to /var/tmp/sluice-bench/results/load.jsonl
#         {"tag":..., "sync":..., "report":{sluice-bench --json}, "cpu":{...}, "metrics":{...}}
set -euo pipefail
sync="$1"; tag="$2"; shift 2; [[ "${1:-}" == "--" ]] && shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; root="$(cd "$here/../.." && pwd)"
base=/var/tmp/sluice-bench; mkdir -p "$base/conf" "$base/results" "$base/log"
"$here/make-config.sh" "$sync" "$base/journal-$sync" "$base/conf/$sync.yaml" >/dev/null
"$here/wait-quiet.sh"
dlog="$base/log/daemon-$tag.log"
"$here/sluice-rig.sh" "$base/conf/$sync.yaml" "$base/journal-$sync" > "$dlog" 2>&1 &
dpid=$!
trap 'kill -TERM $dpid 2>/dev/null || true; wait $dpid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do (echo > /dev/tcp/127.0.0.1/25028) 2>/dev/null && break; sleep 0.2; done
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
mstat() { head -1 /proc/stat; }
if [[ -n "${PREWARM:-}" ]]; then
  # unmeasured closed-loop run first, so that the daemon's JIT is warm before the measured (open-loop) run
  # shellcheck disable=SC2086
  "$root/scripts/sluice-bench" load --port 25028 --json $PREWARM > "$base/log/prewarm-$tag.json" || true
fi
d0=$(ticks $dpid); m0=$(mstat)
out="$("$root/scripts/sluice-bench" load --port 25028 --json "$@")" || true
d1=$(ticks $dpid); m1=$(mstat)
curl -s 127.0.0.1:8025/metrics > "$base/log/metrics-$tag.txt" || true
metrics="$(grep -E '^sluice_journal_(batch_size|sync_seconds)_(sum|count)|^sluice_queue_pending_recipients' "$base/log/metrics-$tag.txt" \
  | awk '{printf "%s\"%s\":%s", (NR>1?",":""), $1, $2}')"
python3 - "$tag" "$sync" "$out" "$d0" "$d1" "$m0" "$m1" "{$metrics}" "$*" >> "$base/results/load.jsonl" <<'PY'
import json, os, sys
tag, sync, out, d0, d1, m0, m1, met, args = sys.argv[1:]
clk = os.sysconf("SC_CLK_TCK")
a = [int(x) for x in m0.split()[1:9]]; b = [int(x) for x in m1.split()[1:9]]
d = [(y - x) / clk for x, y in zip(a, b)]; tot = sum(d) or 1e-9
rep = json.loads(out) if out.strip().startswith("{") else {"raw": out}
cpu = {"daemon_s": (int(d1) - int(d0)) / clk, "machine_busy_pct": round(100 * (tot - d[3] - d[4]) / tot, 1),
       "user_pct": round(100 * (d[0] + d[1]) / tot, 1), "system_pct": round(100 * (d[2] + d[5] + d[6]) / tot, 1),
       "iowait_pct": round(100 * d[4] / tot, 1), "wall_s": round(tot / os.cpu_count(), 2)}
print(json.dumps({"tag": tag, "sync": sync, "args": args, "report": rep, "cpu": cpu, "metrics": json.loads(met)}))
r = rep; l = r.get("latencyMs", {})
sys.stderr.write(f"{tag}: accepted/s={r.get('acceptedPerSecond')} accepted={r.get('accepted')} rejected={r.get('rejected')} "
                 f"p50={l.get('p50')} p99={l.get('p99')} p999={l.get('p999')} max={l.get('max')} "
                 f"sustained={r.get('rateSustained')} daemon_cpu={cpu['daemon_s']}s busy={cpu['machine_busy_pct']}% "
                 f"iowait={cpu['iowait_pct']}% success={r.get('success')}\n")
PY
