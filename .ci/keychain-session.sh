#!/usr/bin/env bash
# Runs a command inside a throwaway D-Bus session with an unlocked gnome-keyring (Secret Service), as needed by the
# keychain tests: no display, no prompt, works as root and without a terminal.
#
#   bash .ci/keychain-session.sh npx vitest run --config test/vitest.config.ts test/keychain
#
# The keyring lives in a temp dir with a random throwaway password; the `login` collection that `--unlock` creates
# is the default collection. Exported to the command: APRIORA_KEYCHAIN_TEST=1, APRIORA_KEYCHAIN_TEST_PASSWORD (to
# unlock the collection again after the locked-keychain test), DBUS_SESSION_BUS_ADDRESS.
# Debian packages: .ci/apt-packages.txt (gnome-keyring dbus-daemon libglib2.0-bin python3-dbus).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

if [ -z "${APRIORA_KEYCHAIN_SESSION_INNER:-}" ]; then
  for tool in dbus-run-session gnome-keyring-daemon gdbus; do
    command -v "$tool" >/dev/null || { echo "keychain-session: $tool not found (apt-get install \$(cat .ci/apt-packages.txt))" >&2; exit 127; }
  done
  # A private session bus, even on a desktop: the tests never touch the user's own keyring.
  # (dbus-daemon may warn "Failed to set fd limit" when not allowed to raise it; harmless.)
  APRIORA_KEYCHAIN_SESSION_INNER=1 exec dbus-run-session -- bash "$0" "$@"
fi
unset APRIORA_KEYCHAIN_SESSION_INNER

work="$(mktemp -d "${TMPDIR:-/tmp}/apriora-keyring.XXXXXX")"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill -CONT "$daemon_pid" 2>/dev/null || true; kill "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -m 700 "$work/run" "$work/data"
# The control socket goes to $XDG_RUNTIME_DIR/keyring; the keyring files to $XDG_DATA_HOME/keyrings.
export XDG_RUNTIME_DIR="$work/run"
password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# --unlock reads the password on stdin and creates (or unlocks) the `login` collection with it; --daemonize returns
# once the daemon is up. Only the secrets component: no ssh/pkcs11 agents.
printf '%s' "$password" | XDG_DATA_HOME="$work/data" \
  gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null

# Wait for the daemon started above to own the Secret Service's name, without activating it: a call made before
# then would make D-Bus start a second, locked daemon (with no default collection) that takes the name instead.
if ! gdbus wait --session --timeout 30 org.freedesktop.secrets; then
  echo "keychain-session: gnome-keyring-daemon did not take the Secret Service name within 30 s" >&2
  exit 1
fi
# Then until it answers with an unlocked default collection.
svc=(--session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets)
default=""
for _ in $(seq 1 100); do
  if out="$(gdbus call "${svc[@]}" --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null)"; then
    default="$(sed -n "s/^(objectpath '\(.*\)',)$/\1/p" <<<"$out")"
    [ -n "$default" ] && [ "$default" != "/" ] && break
  fi
  sleep 0.1
done
if [ -z "$default" ] || [ "$default" = "/" ]; then
  echo "keychain-session: gnome-keyring did not come up with a default collection" >&2
  exit 1
fi
daemon_pid="$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets | sed -n 's/^(uint32 \([0-9]*\),)$/\1/p')"
echo "keychain-session: gnome-keyring-daemon $daemon_pid, default collection $default" >&2

export APRIORA_KEYCHAIN_TEST=1
export APRIORA_KEYCHAIN_TEST_PASSWORD="$password"
set +e
"$@"
rc=$?
set -e
exit "$rc"
