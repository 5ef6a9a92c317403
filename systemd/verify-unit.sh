#!/usr/bin/env bash
# Checks systemd/sluice.service with `systemd-analyze verify`, as installed: it stages the install with
# scripts/install.sh --destdir into a scratch root, copies this machine's systemd unit directory there (the targets
# the unit refers to), and verifies with --root, so ExecStart and ExecReload must exist and be executable at their
# installed paths. Works without systemd running (containers, CI) and without touching the system.
# Any output fails the check: systemd-analyze exits 0 on an unknown or misspelt key and only prints a warning.
# Then it plants a bad key in the staged copy and expects a complaint, so a blind check cannot pass.
# Needs systemd-analyze (Debian package systemd). Uses relay-daemon/target/sluice.jar when built, else a
# placeholder (verify does not read the jar). Exit: 0 clean, 1 findings, 2 missing tool.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "verify-unit: systemd-analyze not found (apt-get install systemd)" >&2
  exit 2
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

jar="$src/relay-daemon/target/sluice.jar"
if [[ ! -f "$jar" ]]; then
  jar="$root.placeholder.jar"
  : > "$jar"
  trap 'rm -rf "$root" "$jar"' EXIT
fi
"$src/scripts/install.sh" --destdir "$root" --jar "$jar" >/dev/null

units=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
  if [[ -f "$d/multi-user.target" ]]; then units="$d"; break; fi
done
if [[ -z "$units" ]]; then
  echo "verify-unit: no systemd unit directory with multi-user.target on this machine" >&2
  exit 2
fi
mkdir -p "$root/usr/lib/systemd/system"
cp -R "$units/." "$root/usr/lib/systemd/system/"

unit=/etc/systemd/system/sluice.service
verify() {
  # --man=no: Documentation= points at the installed docs, not a man page to look up.
  systemd-analyze verify --man=no --root="$root" "$unit" 2>&1
}

if ! out="$(verify)" || [[ -n "$out" ]]; then
  echo "verify-unit: systemd-analyze verify found problems in systemd/sluice.service:" >&2
  echo "$out" >&2
  exit 1
fi

sed -i 's/^\[Service\]$/[Service]\nProtectEverythingPlease=true/' "$root$unit"
if out="$(verify)" && [[ -z "$out" ]]; then
  echo "verify-unit: systemd-analyze did not notice a bad key; the check is blind" >&2
  exit 1
fi
echo "verify-unit: systemd/sluice.service verified (systemd $(systemd-analyze --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p'))"
