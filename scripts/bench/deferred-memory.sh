#!/usr/bin/env bash
# Queue memory with the destination down ("1,000,000 deferred recipients in 512 MiB of heap"):
# starts the loopback DNS server (bench-dns.sh) and a FRESH Sluice with -Xmx512m whose destination
# (dest.peers.test -> 127.0.0.1:25026) has no listener, so every delivery attempt fails to connect and the site
# goes dead; submits N one-recipient messages (sluice-bench load); waits until N recipients are pending; then
# measures heap used after a full GC (jcmd GC.run + GC.heap_info), /healthz latency (1000 sequential requests,
# p50/p99/max), /metrics latency, the wall time of `sluice journal dump` over the journal while the daemon runs,
# and the admin API's `queue` and `status` answers (server time and the CLI's wall time, 5 calls each).
#   scripts/bench/deferred-memory.sh [N]        (default 1000000; nothing listens on 25026 during the run)
# Output: a JSON line appended to /var/tmp/sluice-bench/results/deferred-memory.jsonl; logs in .../log/.
set -euo pipefail
n="${1:-1000000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; root="$(cd "$here/../.." && pwd)"
base=/var/tmp/sluice-bench; mkdir -p "$base/conf" "$base/results" "$base/log"
if (echo > /dev/tcp/127.0.0.1/25026) 2>/dev/null; then echo "something listens on 25026; stop it first" >&2; exit 2; fi
"$here/make-config.sh" batch "$base/journal-deferred" "$base/conf/deferred.yaml" deliver >/dev/null
token="$base/conf/admin.token"
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token")
sed -i "s|^  token_file: |  token_file: $token|" "$base/conf/deferred.yaml"
"$here/bench-dns.sh" start >/dev/null
dlog="$base/log/daemon-deferred.log"
SLUICE_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC" \
  "$here/sluice-rig.sh" "$base/conf/deferred.yaml" "$base/journal-deferred" > "$dlog" 2>&1 &
dpid=$!
trap 'kill -TERM $dpid 2>/dev/null || true; wait $dpid 2>/dev/null || true; "$here/bench-dns.sh" stop' EXIT
for _ in $(seq 1 150); do (echo > /dev/tcp/127.0.0.1/25028) 2>/dev/null && break; sleep 0.2; done
metric() { curl -s http://127.0.0.1:8025/metrics | awk -v m="$1" '$1==m {printf "%d\n", $2}'; }
t0=$(date +%s)
"$root/scripts/sluice-bench" load --port 25028 --connections 50 --per-connection 1000 --pipelining \
  --messages "$n" --size 5120 --to rcpt@dest.peers.test --timeout 30m --json > "$base/log/deferred-load.json"
submit_s=$(( $(date +%s) - t0 ))
for _ in $(seq 1 600); do
  [[ "$(metric sluice_queue_pending_recipients)" -ge "$n" ]] && break; sleep 1
done
sleep 10   # let the first delivery attempts fail and the site be marked dead
jcmd "$dpid" GC.run >/dev/null
heap="$(jcmd "$dpid" GC.heap_info)"
used_kb="$(sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' <<<"$heap" | head -1)"
health="$(python3 - <<'PY'
import time, urllib.request, json
def lat(url, k):
    xs = []
    for _ in range(k):
        t = time.perf_counter(); urllib.request.urlopen(url).read(); xs.append((time.perf_counter() - t) * 1000)
    xs.sort(); return {"p50_ms": round(xs[len(xs)//2], 2), "p99_ms": round(xs[int(len(xs)*0.99)], 2), "max_ms": round(xs[-1], 2)}
print(json.dumps({"healthz": lat("http://127.0.0.1:8025/healthz", 1000), "metrics": lat("http://127.0.0.1:8025/metrics", 100)}))
PY
)"
d0=$(date +%s%N)
lines="$("$root/scripts/sluice" journal dump --dir "$base/journal-deferred" | wc -l)"
dump_ms=$(( ($(date +%s%N) - d0) / 1000000 ))
admin_ms() { # median wall ms of 5 runs of: sluice ARGS --config deferred.yaml
  local xs=() t
  for _ in 1 2 3 4 5; do
    t=$(date +%s%N); "$root/scripts/sluice" "$@" --config "$base/conf/deferred.yaml" > /dev/null
    xs+=($(( ($(date +%s%N) - t) / 1000000 )))
  done
  printf '%s\n' "${xs[@]}" | sort -n | sed -n 3p
}
tok="$(cat "$token")"
api_ms() { # median server round trip of 5 GETs (no JVM start)
  python3 - "$1" "$tok" <<'PY'
import sys, time, urllib.request
xs = []
for _ in range(5):
    r = urllib.request.Request("http://127.0.0.1:8025" + sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
    t = time.perf_counter(); urllib.request.urlopen(r).read(); xs.append((time.perf_counter() - t) * 1000)
print(round(sorted(xs)[2], 1))
PY
}
queue_cli_ms="$(admin_ms queue)"; status_cli_ms="$(admin_ms status)"
queue_api_ms="$(api_ms /admin/queue)"; status_api_ms="$(api_ms /admin/status)"
pending="$(metric sluice_queue_pending_recipients)"
rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$dpid/status")"
printf '{"time":"%s","n":%s,"submit_s":%s,"pending_recipients":%s,"heap_used_after_gc_kb":%s,"rss_kb":%s,"http":%s,"dump_lines":%s,"dump_ms":%s,"queue_api_ms":%s,"status_api_ms":%s,"queue_cli_ms":%s,"status_cli_ms":%s}\n' \
  "$(date -u +%FT%TZ)" "$n" "$submit_s" "$pending" "${used_kb:-null}" "$rss_kb" "$health" "$lines" "$dump_ms" \
  "$queue_api_ms" "$status_api_ms" "$queue_cli_ms" "$status_cli_ms" \
  | tee -a "$base/results/deferred-memory.jsonl"
