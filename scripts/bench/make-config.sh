#!/usr/bin/env bash
# Writes a benchmark config derived from conf/sluice.yaml (the shipped defaults), changing only:
#   listeners[0].port 2525 -> 25028 (the peer rig's port for "ours"), smtp.hostname -> sluice.bench.test,
#   smtp.max_connections_per_ip 50 -> 1000 (open-loop sluice-bench runs use more than 50 connections),
#   journal.dir -> JOURNAL_DIR, journal.sync -> SYNC (batch | none), journal.min_free stays 1GiB,
#   queue.max_pending_recipients stays 5_000_000,
#   dns.resolvers -> ["127.0.0.1:9"]: a loopback port where no resolver listens, so the delivery stage's
#   lookups fail and accepted mail is only deferred; this machine may send traffic to loopback only;
#   admin.token_file -> JOURNAL_DIR/../admin.token (created at start) and events.log_file ->
#   JOURNAL_DIR/../events/events.jsonl, both outside the rig's working directory.
# With MODE=deliver (4th argument) the relay delivers instead, for delivered/s runs through the peer rig:
#   dns.resolvers -> ["127.0.0.1:25053"] (bench-dns.sh serves peers.zone there: dest.peers.test MX -> 127.0.0.1),
#   delivery.mx_port -> 25026 (the rig's smtp-sink), delivery.allow_private_mx -> true (the MX is loopback).
# Bounce rules: the shipped conf/bounce-rules.yaml, by absolute path (the config is written elsewhere).
# Traffic shaping: off (shaping.file emptied: every path takes delivery.*), unless SHAPING=on, which loads the
#   shipped conf/shaping.yaml (by absolute path) with scripts/bench/shaping-bench.yaml merged over it: the same
#   rules with limits the rig's one destination never reaches, to measure what shaping costs.
# usage: [SHAPING=on] make-config.sh SYNC JOURNAL_DIR OUT_FILE [accept|deliver]
set -euo pipefail
sync="$1"; dir="$2"; out="$3"; mode="${4:-accept}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ "$sync" == batch || "$sync" == none ]] || { echo "SYNC must be batch or none" >&2; exit 2; }
case "$mode" in
  accept) resolver='127.0.0.1:9'; delivery=() ;;
  deliver) resolver='127.0.0.1:25053'
           delivery=(-e 's|^\(  mx_port: \)25 |\125026|' -e 's|^\(  allow_private_mx: \)false|\1true |') ;;
  *) echo "MODE must be accept or deliver" >&2; exit 2 ;;
esac
if [[ "${SHAPING:-off}" == on ]]; then
  shaping=(-e "s|^\(  file: \)shaping.yaml |\1$root/conf/shaping.yaml |"
           -e "s|^\(  overrides:\) |\1 $root/scripts/bench/shaping-bench.yaml|")
else
  shaping=(-e 's|^\(  file: \)shaping.yaml |\1             |')
fi
sed -e 's|^\(    port: \)2525 |\125028|' \
    -e 's|^\(  hostname:\) |\1 sluice.bench.test|' \
    -e 's|^\(  max_connections_per_ip: \)50 |\11000|' \
    -e "s|^\(  dir: \)data/journal |\1$dir|" \
    -e "s|^\(  sync: \)batch |\1$sync|" \
    -e "s|^\(  resolvers: \)\[\] |\1[\"$resolver\"]|" \
    -e "s|^\(  token_file: \)data/admin.token |\1$(dirname "$dir")/admin.token|" \
    -e "s|^\(  log_file: \)data/events/events.jsonl |\1$(dirname "$dir")/events/events.jsonl|" \
    -e "s|^\(  rules: \)bounce-rules.yaml |\1$root/conf/bounce-rules.yaml |" \
    "${delivery[@]}" \
    "${shaping[@]}" \
    "$root/conf/sluice.yaml" > "$out"
diff -u "$root/conf/sluice.yaml" "$out" || true
