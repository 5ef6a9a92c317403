#!/usr/bin/env bash
# Installs Sluice in the standard (FHS) places. Idempotent: a second run changes nothing; an upgrade (new jar)
# replaces only what differs. Never overwrites an operator's /etc/sluice/sluice.yaml.
#
#   ./mvnw -q -B package -DskipTests && sudo scripts/install.sh
#   scripts/install.sh --destdir "$PWD/stage"  # stage into a scratch root: no root needed, the system untouched
#
# What goes where (docs/operations.md):
#   /usr/share/sluice/sluice.jar         the daemon and CLI (from relay-daemon/target/sluice.jar, or --jar FILE)
#   /usr/share/sluice/sluice             the launcher (scripts/sluice); /usr/bin/sluice links to it
#   /usr/share/sluice/prometheus/alerts.yml, /usr/share/sluice/grafana/sluice.json   alerts and dashboard
#   /etc/sluice/sluice.yaml              config, only if absent (root:sluice 0640); the shipped one is always
#                                        written beside it as sluice.yaml.dist to compare after an upgrade
#   /etc/sluice/shaping.yaml             the shipped traffic-shaping rules (root:sluice 0640), replaced by every
#                                        upgrade: put changes in the file shaping.overrides names (docs/shaping.md)
#   /etc/sluice/bounce-rules.yaml        the shipped bounce classification rules (root:sluice 0640), replaced by
#                                        every upgrade: put yours in bounces.rules_overrides (docs/BOUNCES.md)
#   /etc/sluice/admin.token              the admin API's bearer token, generated once (sluice:sluice 0600)
#   /etc/systemd/system/sluice.service   the unit (systemd/sluice.service)
#   /var/lib/sluice                      state: the journal (sluice:sluice 0750)
#   /var/log/sluice                      the JSON event log (sluice:sluice 0750)
#   /usr/share/doc/sluice                README and docs
# The installed config differs from conf/sluice.yaml in three absolute paths: journal.dir is
# /var/lib/sluice/journal and events.log_file /var/log/sluice/events.jsonl (the shipped relative ones would
# resolve against WorkingDirectory=/var/lib/sluice, putting the event log outside /var/log), and
# admin.token_file is /etc/sluice/admin.token (so `sluice reload` and systemctl reload work out of the box).
#
# With --destdir (or DESTDIR=...), every path is under that directory and the system is left alone: no user or
# group is created, nothing is chowned, systemctl is not called. Otherwise it must run as root: it creates the
# system user and group `sluice` (no login) and runs `systemctl daemon-reload` when systemd is running and the unit
# changed. It never enables, starts or restarts the service; it prints what to do next.
# Exit: 0 done, 1 failure, 2 bad usage or missing jar.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
destdir="${DESTDIR:-}"
jar="$src/relay-daemon/target/sluice.jar"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  echo "Options: --destdir DIR   stage into DIR;  --jar FILE   install this jar;  -h, --help"
}

while (($#)); do
  case "$1" in
    --destdir) destdir="${2:?--destdir needs a directory}"; shift 2 ;;
    --destdir=*) destdir="${1#*=}"; shift ;;
    --jar) jar="${2:?--jar needs a file}"; shift 2 ;;
    --jar=*) jar="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -f "$jar" ]]; then
  echo "install.sh: $jar not found; build it first: ./mvnw -q -B package -DskipTests" >&2
  exit 2
fi
if [[ -n "$destdir" ]]; then
  mkdir -p "$destdir"
  destdir="$(cd "$destdir" && pwd)"
  real=false
else
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "install.sh: run as root (or stage with --destdir DIR)" >&2
    exit 2
  fi
  real=true
fi

changed=0
say() { echo "install.sh: $*"; }

# mode_of PATH -> octal mode, e.g. 750
mode_of() { stat -c '%a' "$1"; }

# dir PATH MODE [OWNER:GROUP]: create or fix a directory's mode (and owner on a real install).
dir() {
  local path="$destdir$1" mode="$2" owner="${3:-}"
  if [[ ! -d "$path" ]]; then
    mkdir -p "$path"
    chmod "$mode" "$path"
    say "created $1"
    changed=$((changed + 1))
  elif [[ "$(mode_of "$path")" != "${mode#0}" ]]; then
    chmod "$mode" "$path"
    say "mode $mode on $1"
    changed=$((changed + 1))
  fi
  if $real && [[ -n "$owner" && "$(stat -c '%U:%G' "$path")" != "$owner" ]]; then
    chown "$owner" "$path"
    say "owner $owner on $1"
    changed=$((changed + 1))
  fi
}

# put SOURCE PATH MODE [OWNER:GROUP]: install a file unless an identical one with that mode is already there.
# Written to a temporary name and renamed, so a running daemon or reader never sees a half-written file.
put() {
  local from="$1" path="$destdir$2" mode="$3" owner="${4:-root:root}"
  if [[ -f "$path" && ! -L "$path" ]] && cmp -s "$from" "$path" && [[ "$(mode_of "$path")" == "${mode#0}" ]] \
      && { ! $real || [[ "$(stat -c '%U:%G' "$path")" == "$owner" ]]; }; then
    return 0
  fi
  mkdir -p "$(dirname "$path")"
  local tmp
  tmp="$(mktemp "$path.XXXXXX")"
  cp "$from" "$tmp"
  chmod "$mode" "$tmp"
  if $real; then chown "$owner" "$tmp"; fi
  mv -f "$tmp" "$path"
  say "installed $2"
  changed=$((changed + 1))
}

# link TARGET PATH: a symbolic link PATH -> TARGET (TARGET as the installed system sees it).
link() {
  local target="$1" path="$destdir$2"
  if [[ -L "$path" && "$(readlink "$path")" == "$target" ]]; then
    return 0
  fi
  if [[ -e "$path" && ! -L "$path" ]]; then
    echo "install.sh: $2 exists and is not a symbolic link; not replacing it" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$path")"
  ln -sfn "$target" "$path"
  say "linked $2 -> $target"
  changed=$((changed + 1))
}

# The config as installed: the shipped one with absolute state and log paths. Fails loudly if the shipped file
# no longer has the lines it rewrites, rather than installing relative paths unnoticed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
config="$work/sluice.yaml"
{
  echo "# Installed by scripts/install.sh: journal.dir and events.log_file point into /var/lib/sluice and"
  echo "# /var/log/sluice, the directories the systemd unit may write; admin.token_file is /etc/sluice/admin.token"
  echo "# (generated once, mode 0600, owner sluice: the admin API and 'sluice reload'). Newest shipped: sluice.yaml.dist."
  sed -E \
    -e 's#^(  dir: )data/journal( +)#\1/var/lib/sluice/journal #' \
    -e 's#^(  log_file: )data/events/events\.jsonl#\1/var/log/sluice/events.jsonl#' \
    -e 's|^(  token_file: )data/admin\.token( +)#|\1/etc/sluice/admin.token #|' \
    "$src/conf/sluice.yaml"
} > "$config"
for expected in '^  dir: /var/lib/sluice/journal ' '^  log_file: /var/log/sluice/events.jsonl' \
    '^  token_file: /etc/sluice/admin.token '; do
  if ! grep -Eq "$expected" "$config"; then
    echo "install.sh: conf/sluice.yaml has no line matching '$expected' after rewriting; update install.sh" >&2
    exit 1
  fi
done

if $real; then
  if ! getent group sluice >/dev/null; then
    groupadd --system sluice
    say "created group sluice"
    changed=$((changed + 1))
  fi
  if ! getent passwd sluice >/dev/null; then
    nologin="$(command -v nologin || echo /usr/sbin/nologin)"
    useradd --system --gid sluice --home-dir /var/lib/sluice --no-create-home --shell "$nologin" \
      --comment "Sluice SMTP relay" sluice
    say "created user sluice"
    changed=$((changed + 1))
  fi
fi

dir /usr/share/sluice 0755
put "$jar" /usr/share/sluice/sluice.jar 0644
put "$src/scripts/sluice" /usr/share/sluice/sluice 0755
link /usr/share/sluice/sluice /usr/bin/sluice
put "$src/conf/prometheus/alerts.yml" /usr/share/sluice/prometheus/alerts.yml 0644
put "$src/conf/grafana/sluice.json" /usr/share/sluice/grafana/sluice.json 0644

dir /etc/sluice 0750 root:sluice
put "$config" /etc/sluice/sluice.yaml.dist 0640 root:sluice
put "$src/conf/shaping.yaml" /etc/sluice/shaping.yaml 0640 root:sluice
put "$src/conf/bounce-rules.yaml" /etc/sluice/bounce-rules.yaml 0640 root:sluice
if [[ -e "$destdir/etc/sluice/sluice.yaml" ]]; then
  if ! cmp -s "$config" "$destdir/etc/sluice/sluice.yaml"; then
    say "kept your /etc/sluice/sluice.yaml; compare it with sluice.yaml.dist"
  fi
else
  put "$config" /etc/sluice/sluice.yaml 0640 root:sluice
fi

# The admin API's bearer token: generated once and never replaced (the CLI and systemctl reload read it).
token="$destdir/etc/sluice/admin.token"
if [[ ! -e "$token" ]]; then
  tmp="$(mktemp "$token.XXXXXX")"
  chmod 0600 "$tmp"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp"
  if $real; then chown sluice:sluice "$tmp"; fi
  mv -f "$tmp" "$token"
  say "generated /etc/sluice/admin.token"
  changed=$((changed + 1))
fi

dir /var/lib/sluice 0750 sluice:sluice
dir /var/log/sluice 0750 sluice:sluice

unit_changes=$changed
put "$src/systemd/sluice.service" /etc/systemd/system/sluice.service 0644
unit_changed=$((changed - unit_changes))

dir /usr/share/doc/sluice 0755
put "$src/README.md" /usr/share/doc/sluice/README.md 0644
for doc in "$src"/docs/*.md; do
  put "$doc" "/usr/share/doc/sluice/$(basename "$doc")" 0644
done

if $real && ((unit_changed)); then
  # systemd is the running init exactly when this directory exists (sd_booted(3)); containers often lack it.
  if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
    say "systemctl daemon-reload"
  else
    say "systemd is not running here; the unit is installed for when it is"
  fi
fi

if ((changed == 0)); then
  say "nothing to change${destdir:+ in $destdir}"
else
  say "$changed change(s)${destdir:+ in $destdir}"
fi
if $real; then
  say "next: systemctl enable --now sluice (first install) or systemctl restart sluice (upgrade)"
fi
