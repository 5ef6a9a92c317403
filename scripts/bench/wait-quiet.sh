#!/usr/bin/env bash
# CPU hygiene: wait (poll every 30 s, at most 15 min) until no JMH / surefire / Maven process runs,
# so that benchmarks on this 2-core machine never overlap. Exit 1 if still busy after 15 min.
for _ in $(seq 1 30); do
  if ! pgrep -af 'jmh|surefire|maven' >/dev/null; then exit 0; fi
  echo "[wait-quiet] busy: $(pgrep -af 'jmh|surefire|maven' | cut -c1-120 | head -3)" >&2
  sleep 30
done
exit 1
