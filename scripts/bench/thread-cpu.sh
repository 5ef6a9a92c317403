#!/usr/bin/env bash
# Where Sluice's CPU goes under the gate load (docs/BENCHMARKS.md, CPU split): starts a fresh daemon (SYNC),
# warms it with 20,000 unrecorded messages, then runs the gate's exact smtp-source command (s50-reuse) and prints
# per-thread CPU (utime+stime from /proc/PID/task/*/stat, summed by thread name with digits folded) and the machine
# split (/proc/stat) over that run.   usage: [WARM_RUNS=1] thread-cpu.sh batch|none
set -euo pipefail
sync="$1"; here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; base=/var/tmp/sluice-bench
"$here/make-config.sh" "$sync" "$base/journal-$sync" "$base/conf/$sync.yaml" >/dev/null
"$here/wait-quiet.sh"
"$here/sluice-rig.sh" "$base/conf/$sync.yaml" "$base/journal-$sync" > "$base/log/thread-cpu-$sync.log" 2>&1 &
dpid=$!
trap 'kill -TERM $dpid 2>/dev/null || true; wait $dpid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do (echo > /dev/tcp/127.0.0.1/25028) 2>/dev/null && break; sleep 0.2; done
src=(/usr/sbin/smtp-source -4 -s 50 -m 20000 -l 5120 -M loadgen.peers.test -f sender@loadgen.peers.test
     -t rcpt@dest.peers.test -S 'peer benchmark' -d 127.0.0.1:25028)
for _ in $(seq 1 "${WARM_RUNS:-1}"); do "${src[@]}"; done   # warm-up, unrecorded (WARM_RUNS x 20,000)
snap() { for t in /proc/$dpid/task/*; do
  awk '{s=$0; sub(/^[^(]*\(/,"",s); n=s; sub(/\).*$/,"",n); sub(/^.*\) /,"",s); split(s,f," "); gsub(/[0-9]+/,"N",n); gsub(/ /,"_",n); print n, f[12]+f[13]}' "$t/stat"
done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
tc0=$(mktemp); tc1=$(mktemp)
snap > "$tc0"; m0=$(head -1 /proc/stat); t0=$(date +%s.%N)
/usr/bin/time -f 'smtp-source cpu %U+%S s' "${src[@]}"
t1=$(date +%s.%N); m1=$(head -1 /proc/stat); snap > "$tc1"
echo "accepted/s: $(python3 -c "print(round(20000/($t1-$t0)))")"
join "$tc0" "$tc1" -a2 -e0 -o 0,1.2,2.2 | awk '{d=$3-$2; if (d>0) printf "%-40s %6.2f s\n", $1, d/100; tot+=d} END {printf "%-40s %6.2f s\n", "TOTAL daemon", tot/100}' | sort -k2 -n -r
python3 - "$m0" "$m1" <<'PY'
import sys
a=[int(x) for x in sys.argv[1].split()[1:9]]; b=[int(x) for x in sys.argv[2].split()[1:9]]
d=[y-x for x,y in zip(a,b)]; t=sum(d)
print(f"machine: busy {100*(t-d[3]-d[4])/t:.0f}% user {100*(d[0]+d[1])/t:.0f}% system {100*(d[2]+d[5]+d[6])/t:.0f}% iowait {100*d[4]/t:.0f}% idle {100*d[3]/t:.0f}%")
PY
rm -f "$tc0" "$tc1"
