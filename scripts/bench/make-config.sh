#!/usr/bin/env bash
# Writes a benchmark config derived from conf/sluice.yaml (the shipped defaults), changing only:
#   listeners[0].port 2525 -> 25028 (the peer rig's port for "ours"), smtp.hostname -> sluice.bench.test,
#   smtp.max_connections_per_ip 50 -> 1000 (open-loop sluice-bench runs use more than 50 connections),
#   journal.dir -> JOURNAL_DIR, journal.sync -> SYNC (batch | none), journal.min_free stays 1GiB,
#   queue.max_pending_recipients stays 5_000_000.
# usage: make-config.sh SYNC JOURNAL_DIR OUT_FILE
set -euo pipefail
sync="$1"; dir="$2"; out="$3"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ "$sync" == batch || "$sync" == none ]] || { echo "SYNC must be batch or none" >&2; exit 2; }
sed -e 's|^\(    port: \)2525 |\125028|' \
    -e 's|^\(  hostname:\) |\1 sluice.bench.test|' \
    -e 's|^\(  max_connections_per_ip: \)50 |\11000|' \
    -e "s|^\(  dir: \)data/journal |\1$dir|" \
    -e "s|^\(  sync: \)batch |\1$sync|" \
    "$root/conf/sluice.yaml" > "$out"
diff -u "$root/conf/sluice.yaml" "$out" || true
