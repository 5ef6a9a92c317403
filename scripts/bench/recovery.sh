#!/usr/bin/env bash
# Recovery of N pending recipients (target: 1,000,000 x 5 KB, one recipient each, in under 10 s), both ways:
#   crash:  a FRESH daemon (-Xmx512m, journal.sync: none to fill faster, checkpoint_interval: 1h so that no
#           checkpoint exists) takes N messages from sluice-bench, is killed with SIGKILL, and a daemon with the
#           same journal and journal.sync: batch starts: full replay of state/;
#   clean:  that daemon is stopped with SIGTERM (it writes a checkpoint) and started again: checkpoint + tail.
# Prints each restart's "recovered ..." log line, the time from exec to "sluice ready", and heap after a full GC.
# The config's resolver is an unused loopback port (make-config.sh accept mode): recovered mail is deferred.
#   scripts/bench/recovery.sh [N]          (default 1000000; needs about 5.7 GB free under /var/tmp per million)
#   HISTO=1: also print the top of the heap's class histogram after each restart; KEEP=1: keep the journal
set -euo pipefail
n="${1:-1000000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; root="$(cd "$here/../.." && pwd)"
base=/var/tmp/sluice-bench; dir="$base/journal-recovery"; mkdir -p "$base/conf" "$base/log"
"$here/make-config.sh" none "$dir" "$base/conf/recovery-fill.yaml" >/dev/null
"$here/make-config.sh" batch "$dir" "$base/conf/recovery.yaml" >/dev/null
sed -i 's|^\(  checkpoint_interval: \)1m |\11h |' "$base/conf/recovery-fill.yaml" "$base/conf/recovery.yaml"
grep -q 'checkpoint_interval: 1h' "$base/conf/recovery.yaml" || { echo "could not set checkpoint_interval" >&2; exit 2; }
"$here/wait-quiet.sh"
export SLUICE_JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC"
wait_port() { for _ in $(seq 1 600); do (echo > /dev/tcp/127.0.0.1/25028) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
start() { # CONFIG LOG: starts the daemon on the kept journal, prints the exec-to-ready time
  local t0; t0=$(date +%s%N)
  "$root/scripts/sluice" run --config "$1" > "$2" 2>&1 &
  dpid=$!
  for _ in $(seq 1 1200); do grep -q 'sluice ready' "$2" && break; sleep 0.05; done
  echo "  ready $(( ($(date +%s%N) - t0) / 1000000 )) ms after exec; $(grep -o 'recovered .*' "$2" | head -1)"
}
heap() {
  jcmd "$dpid" GC.run >/dev/null; echo "  heap after full GC: $(jcmd "$dpid" GC.heap_info | grep -o 'used [0-9]*K' | head -1)"
  if [[ -n "${HISTO:-}" ]]; then jcmd "$dpid" GC.class_histogram | head -22; fi
}
"$here/sluice-rig.sh" "$base/conf/recovery-fill.yaml" "$dir" > "$base/log/recovery-fill.log" 2>&1 &
dpid=$!
wait_port
echo "fill: $n messages"
"$root/scripts/sluice-bench" load --port 25028 --connections 50 --per-connection 1000 --size 5120 \
    --messages "$n" --timeout 1800s > "$base/log/recovery-fill.txt"
grep -E 'accepted|msgs/s|messages/s' "$base/log/recovery-fill.txt" | head -3
kill -KILL "$dpid"; wait "$dpid" 2>/dev/null || true
echo "crash (SIGKILL, no checkpoint):"
start "$base/conf/recovery.yaml" "$base/log/recovery-crash.log"; heap
kill -TERM "$dpid"; wait "$dpid" 2>/dev/null || true
echo "clean (SIGTERM wrote a checkpoint):"
start "$base/conf/recovery.yaml" "$base/log/recovery-clean.log"; heap
kill -TERM "$dpid"; wait "$dpid" 2>/dev/null || true
du -sh "$dir"; [[ -n "${KEEP:-}" ]] || rm -rf "$dir"
