#!/usr/bin/env bash
# DKIM end to end (docs/BENCHMARKS.md section 10): delivered/s through the peer rig's smtp-sink, scenario s50-reuse
# (smtp-source: 20,000 x 5 KB, 50 sessions, connection reuse; its header From is sender@loadgen.peers.test), in ONE
# run, interleaved rep by rep so drift of the shared 2-core machine hits every peer alike:
#   postfix-opendkim  the rig's private Postfix (its own main.cf) with OpenDKIM (Debian's opendkim package) as a
#                     milter on 127.0.0.1:25030, signing d=loadgen.peers.test with an RSA-2048 key, relaxed/relaxed
#   ours-dkim         Sluice delivering (make-config.sh batch ... deliver) and signing with the same key, on 25031
#   ours              the same Sluice without DKIM, on 25028 (what signing costs)
# After the measured runs it checks that both signers signed: Sluice's sluice_dkim_signatures_total, and for
# OpenDKIM 20 more messages through Postfix with an smtp_header_checks rule that logs each DKIM-Signature it sends
# (added only then, so the measured runs carry no extra header check).
# Postfix's relay CPU (bench.py) covers its own processes only; OpenDKIM's CPU over the whole run is printed.
# usage: PEERS_DIR=<peer rig dir> scripts/bench/dkim-e2e.sh      (REPS=3, WARMUP, STALL, MSG_SIZE as the rig reads)
# Results: /var/tmp/sluice-bench/results/dkim-e2e-<stamp>.jsonl
set -euo pipefail
peers_dir="${PEERS_DIR:?set PEERS_DIR to the directory of the peer rig, the one holding run-all.sh}"
[[ -x "$peers_dir/run-all.sh" ]] || { echo "dkim-e2e.sh: PEERS_DIR=$peers_dir has no run-all.sh" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base=/var/tmp/sluice-bench
run="$base/dkim-e2e"
# shellcheck source=/dev/null
source "$peers_dir/common.sh"
# shellcheck source=/dev/null
source "$PEERS_DIR/postfix.sh"
"$PEERS_DIR/install.sh" --base
if [[ ! -x /usr/sbin/opendkim ]]; then
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then # the package's own service must not start
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
    guard_ours=true
    remove_guard() { if $guard_ours; then rm -f /usr/sbin/policy-rc.d; guard_ours=false; fi; }
    add_cleanup remove_guard # the rig's EXIT trap runs it even when the install fails; only ours is removed
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends opendkim >/dev/null
  if declare -F remove_guard >/dev/null; then remove_guard; fi
fi
reap_stale
start_watchdog

MILTER_PORT=25030
DKIM_PORT=25031
DKIM_ADMIN_PORT=25033
check_port "$MILTER_PORT"; check_port "$DKIM_PORT"; check_port "$DKIM_ADMIN_PORT"
# OpenDKIM refuses a config or key below a directory others may write (/var/tmp): its files go to the rig's state.
odk="$PEERS_STATE/opendkim"
rm -rf "$run" "$odk"; mkdir -p "$odk" "$run/ours" "$run/ours-dkim" "$base/results"
chmod 755 "$odk"

# One RSA-2048 key (PKCS#8 PEM) for both signers; OpenDKIM runs as its own user and must read it.
key="$odk/loadgen.peers.test.bench.pem"
"$root/scripts/sluice" dkim keygen --domain loadgen.peers.test --selector bench --out "$key" >/dev/null
chown opendkim "$key"

cat > "$odk/opendkim.conf" <<EOF
Syslog                  no
Mode                    s
Domain                  loadgen.peers.test
Selector                bench
KeyFile                 $key
Canonicalization        relaxed/relaxed
SignatureAlgorithm      rsa-sha256
OversignHeaders         From
Socket                  inet:$MILTER_PORT@127.0.0.1
UserID                  opendkim
UMask                   007
EOF

# Sluice: the delivering bench config; ours-dkim also signs (same key, same canonicalization).
"$here/make-config.sh" batch "$run/ours/journal" "$run/ours.yaml" deliver >/dev/null
"$here/make-config.sh" batch "$run/ours-dkim/journal" "$run/ours-dkim.tmp" deliver >/dev/null
sed -e "s|^\(    port: \)25028|\1$DKIM_PORT|" -e "s|^\(  port: \)8025 |\1$DKIM_ADMIN_PORT|" -e '/^dkim: \[\]/d' \
  "$run/ours-dkim.tmp" > "$run/ours-dkim.yaml"
cat >> "$run/ours-dkim.yaml" <<EOF
dkim:
  - domain: loadgen.peers.test
    selector: bench
    key_file: $key
    algorithm: rsa-sha256
    canonicalization: relaxed/relaxed
EOF
rm -f "$run/ours-dkim.tmp"

"$here/bench-dns.sh" start >/dev/null
add_cleanup "$here/bench-dns.sh stop"

OUT="$base/results/dkim-e2e-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
start_sink dkim

/usr/sbin/opendkim -f -x "$odk/opendkim.conf" > "$PEERS_STATE/log/opendkim.log" 2>&1 < /dev/null &
ODK_PID=$!
record_pid "$ODK_PID" "opendkim"
stop_opendkim() { stop_pid "$ODK_PID"; }
add_cleanup stop_opendkim
wait_port "$MILTER_PORT" 15 || die "opendkim not listening on 127.0.0.1:$MILTER_PORT (see $PEERS_STATE/log/opendkim.log)"

postfix_setup
postconf -c "$PF_CONF" -e "smtpd_milters = inet:127.0.0.1:$MILTER_PORT" "non_smtpd_milters = \$smtpd_milters" \
  "milter_default_action = tempfail" "milter_protocol = 6"
postfix_purge; postfix_start

start_external ours "$OURS_PORT" "$here/sluice-rig.sh" "$run/ours.yaml" "$run/ours/journal"
OURS_PID="$EXT_PID"
start_external ours-dkim "$DKIM_PORT" "$here/sluice-rig.sh" "$run/ours-dkim.yaml" "$run/ours-dkim/journal"
DKIM_PID="$EXT_PID"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
odk_start="$(cpu_ticks "$ODK_PID")"
sent_dkim=0
while read -r name count sess reuse rcpts; do
  warmup_one postfix-opendkim "$POSTFIX_PORT" postfix_queue_count "$sess" "$reuse"
  warmup_one ours-dkim "$DKIM_PORT" - "$sess" "$reuse"
  warmup_one ours "$OURS_PORT" - "$sess" "$reuse"
  sent_dkim=$((sent_dkim + ${WARMUP:-2000}))
  for rep in $(seq 1 "$REPS"); do
    bench_one postfix-opendkim "$POSTFIX_PORT" "$PF_MASTER_PID" postfix_queue_count "$name" "$count" "$sess" \
      "$reuse" "$rcpts" "$rep" --out "$OUT"
    bench_one ours-dkim "$DKIM_PORT" "$DKIM_PID" - "$name" "$count" "$sess" "$reuse" "$rcpts" "$rep" --out "$OUT"
    bench_one ours "$OURS_PORT" "$OURS_PID" - "$name" "$count" "$sess" "$reuse" "$rcpts" "$rep" --out "$OUT"
    sent_dkim=$((sent_dkim + count))
  done
done < <(read_scenarios "$PEERS_DIR/scenarios-relay.conf" "${SCENARIOS:-s50-reuse}")
odk_ticks=$(( $(cpu_ticks "$ODK_PID") - odk_start ))
log "OpenDKIM CPU over the whole run (warm-ups included): $(awk -v t="$odk_ticks" -v hz="$(getconf CLK_TCK)" \
  'BEGIN {printf "%.1f s", t / hz}')"

# Did they sign? Sluice: its counter. OpenDKIM: 20 more messages, each DKIM-Signature logged by Postfix's smtp client.
signed="$(curl -s "http://127.0.0.1:$DKIM_ADMIN_PORT/metrics" \
  | awk '/^sluice_dkim_signatures_total\{algorithm="rsa-sha256"\}/ {print int($2)}' || true)"
log "Sluice (ours-dkim) signed ${signed:-0} messages of $sent_dkim sent to it"
printf '/^DKIM-Signature:.* d=loadgen\\.peers\\.test;/ WARN dkim-e2e-signed\n' > "$PF_CONF/dkim_check.regexp"
postconf -c "$PF_CONF" -e "smtp_header_checks = regexp:$PF_CONF/dkim_check.regexp"
postfix -c "$PF_CONF" reload >/dev/null 2>&1
sleep 1
before="$(grep -c 'dkim-e2e-signed' "$PEERS_STATE/log/postfix.log" || true)"
/usr/sbin/smtp-source -4 -s 1 -m 20 -l "$MSG_SIZE" -M loadgen.peers.test -f sender@loadgen.peers.test \
  -t rcpt@dest.peers.test -S 'dkim check' "127.0.0.1:$POSTFIX_PORT"
drain_wait postfix-opendkim postfix_queue_count || true
sleep 1
after="$(grep -c 'dkim-e2e-signed' "$PEERS_STATE/log/postfix.log" || true)"
log "Postfix with OpenDKIM: $((after - before)) of 20 check messages left with a DKIM-Signature d=loadgen.peers.test"

echo
"$PY" "$BENCH" summary "$OUT" --baseline postfix-opendkim
log "results: $OUT"
