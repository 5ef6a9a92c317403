#!/usr/bin/env bash
# Starts or stops the benchmark DNS server (sluice-bench dns) that serves scripts/bench/peers.zone on
# 127.0.0.1:25053/udp, so a relay configured by `make-config.sh ... deliver` resolves dest.peers.test to the rig's
# smtp-sink on loopback. Nothing else is answered (REFUSED), and nothing leaves the machine.
# usage: bench-dns.sh start|stop     (state: /var/tmp/sluice-bench/bench-dns.pid and bench-dns.log)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state=/var/tmp/sluice-bench
pidfile="$state/bench-dns.pid"
mkdir -p "$state"
case "${1:-}" in
  start)
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "bench-dns already running (pid $(cat "$pidfile"))"; exit 0
    fi
    SLUICE_BENCH_JAVA_OPTS="-Xmx64m -XX:+UseSerialGC" nohup "$root/scripts/sluice-bench" dns \
      --zone-file "$root/scripts/bench/peers.zone" --origin peers.test --address 127.0.0.1 --port 25053 \
      >"$state/bench-dns.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 50); do grep -q "serving" "$state/bench-dns.log" && break; sleep 0.1; done
    cat "$state/bench-dns.log" ;;
  stop)
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      # only our recorded java process running sluice-bench dns
      if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "sluice-bench.jar dns"; then kill "$pid"; fi
      rm -f "$pidfile"
    fi ;;
  *) echo "usage: bench-dns.sh start|stop" >&2; exit 2 ;;
esac
