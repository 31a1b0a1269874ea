#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (prepack builds), the tarball checked (no source maps, no tests) and
# installed globally into a temporary prefix (its dependencies from the registry), then the installed `apriora` run
# from outside the repository by a throwaway user (empty home, config, data and cache dirs, the file credential
# store, nothing of the caller's environment): --version, help pages, an unknown command, and a sandbox round trip
# (Tracker login, field map, Apriora login, an interview, a completion, the push, the activity read back, a second
# push that skips it, tracker connect, doctor, smoke) and the bash completion script loaded by bash. Every step's exit
# code is checked, and no output may hold a stack trace.
#
#   bash .ci/package-round-trip.sh [NODE_BIN_DIR...]
#
# The round trip runs under the `node` on PATH, then again under the node of each NODE_BIN_DIR (e.g. another major
# version from .ci/fetch-node.sh). PACK_IGNORE_SCRIPTS=1 packs the existing build instead of building (development).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/apriora-package.XXXXXX")"
sandbox_pid=""
cleanup() {
  stop_sandbox
  rm -rf "$tmp"
}
stop_sandbox() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=""
  fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
fail() {
  echo "package round trip: $*" >&2
  exit 1
}
# json FILE EXPRESSION: the JavaScript expression evaluated with `d` bound to the JSON document in FILE.
json() {
  node -e 'const d = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const v = new Function("d", `return (${process.argv[2]})`)(d);
    if (v === undefined || v === null || v === false) process.exit(1);
    process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}

# --- pack -------------------------------------------------------------------------------------------------------
started="$(now_ms)"
mkdir "$tmp/pack"
pack_flags=()
[ "${PACK_IGNORE_SCRIPTS:-}" = 1 ] && pack_flags+=(--ignore-scripts)
(cd "$repo" && npm pack "${pack_flags[@]}" --pack-destination "$tmp/pack" >"$tmp/pack.log" 2>&1) || {
  cat "$tmp/pack.log" >&2
  fail "npm pack failed"
}
tarball="$(ls "$tmp"/pack/*.tgz)"
tar -tzf "$tarball" | sed 's|^package/||' | grep -v '/$' >"$tmp/files.txt"
file_count="$(wc -l <"$tmp/files.txt")"
size_kb=$(($(stat -c %s "$tarball") / 1024))
for required in bin/apriora.js dist/cli/main.js dist/cli/help-pages.json package.json README.md; do
  grep -qx "$required" "$tmp/files.txt" || fail "the tarball lacks $required"
done
if grep -E '\.map$|(^|/)(test|tests|__tests__)/|\.(test|spec)\.[cm]?[jt]s$|^src/|\.ts$' "$tmp/files.txt" >&2; then
  fail "the tarball holds the files above (source maps, tests or sources)"
fi
echo "package: $(basename "$tarball"), ${size_kb} kB, ${file_count} files (no source maps, tests or sources), packed in $(seconds_since "$started")"

# --- install ----------------------------------------------------------------------------------------------------
started="$(now_ms)"
prefix="$tmp/prefix"
npm install --global --prefix "$prefix" --no-audit --no-fund "$tarball" >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  fail "npm install --global of the tarball failed"
}
[ -x "$prefix/bin/apriora" ] || fail "the install put no apriora in $prefix/bin"
echo "install: global, into a temporary prefix: $(tail -n 1 "$tmp/install.log") ($(seconds_since "$started"))"

version="$(json "$repo/package.json" d.version)"

# --- one throwaway user, under one node -------------------------------------------------------------------------
# step LABEL EXPECTED_EXIT COMMAND...: runs COMMAND as the throwaway user in its working dir, stdin from $input (empty
# when unset); its output goes to $out and $err. Fails on another exit code or a stack trace in either.
step() {
  local label="$1" expected="$2" code started
  shift 2
  steps=$((steps + 1))
  out="$user/step$steps.out"
  err="$user/step$steps.err"
  started="$(now_ms)"
  set +e
  (cd "$user/cwd" && env -i "${user_env[@]}" "$@" <<<"${input:-}" >"$out" 2>"$err")
  code=$?
  set -e
  if [ "$code" != "$expected" ] || grep -qE '^\s+at .+:[0-9]+:[0-9]+\)?$' "$out" "$err"; then
    echo "  ✗ $label: exit $code (expected $expected)" >&2
    sed 's/^/    stdout: /' "$out" >&2
    sed 's/^/    stderr: /' "$err" >&2
    fail "$label failed"
  fi
  printf '  ✓ %-58s exit %s  %s\n' "$label" "$code" "$(seconds_since "$started")"
}

round_trip() {
  local node_dir="$1" node_version major sandbox job position report activity candidate
  node_version="$("$node_dir/node" --version)"
  major="${node_version#v}"
  major="${major%%.*}"
  user="$tmp/user-$major"
  mkdir -p "$user/home" "$user/cwd"
  steps=0
  user_env=(
    PATH="$node_dir:$prefix/bin:/usr/local/bin:/usr/bin:/bin"
    HOME="$user/home"
    LANG=C.UTF-8
    APRIORA_CONFIG_DIR="$user/config"
    APRIORA_DATA_DIR="$user/data"
    APRIORA_CREDENTIAL_STORE=file
    CI=1
  )
  echo "Node $node_version: the installed apriora, run from an empty directory outside the repository"

  step "apriora --version" 0 apriora --version
  [ "$(cat "$out")" = "$version" ] || fail "--version printed '$(cat "$out")', not $version"
  step "apriora --help" 0 apriora --help
  grep -q '^Usage: apriora' "$out" || fail "--help printed no usage"
  step "apriora help api" 0 apriora help api
  grep -q 'THE TRACKER AND APRIORA APIS' "$out" || fail "help api printed no topic"
  step "apriora sandbox start --help" 0 apriora sandbox start --help
  step "apriora no-such-command (a usage error, exit 2)" 2 apriora no-such-command
  grep -q '^Error: ' "$err" || fail "an unknown command printed no error"

  sandbox="$user/sandbox.json"
  (cd "$user/cwd" && exec env -i "${user_env[@]}" apriora sandbox start --port 0 --json >"$sandbox" 2>"$user/sandbox.err") &
  sandbox_pid=$!
  for _ in $(seq 1 300); do
    grep -q '}$' "$sandbox" 2>/dev/null && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$user/sandbox.err" >&2; fail "apriora sandbox start ended"; }
    sleep 0.1
  done
  json "$sandbox" d.ok >/dev/null || { cat "$sandbox" "$user/sandbox.err" >&2; fail "apriora sandbox start printed no ready document"; }
  local tracker_url apriora_url admin_url api_key username password rest_token apriora_key
  tracker_url="$(json "$sandbox" d.data.trackerUrl)"
  apriora_url="$(json "$sandbox" d.data.aprioraUrl)"
  admin_url="$(json "$sandbox" d.data.adminUrl)"
  api_key="$(json "$sandbox" d.data.credentials.apiKey)"
  username="$(json "$sandbox" d.data.credentials.username)"
  password="$(json "$sandbox" d.data.credentials.password)"
  rest_token="$(json "$sandbox" d.data.credentials.restToken)"
  apriora_key="$(json "$sandbox" d.data.credentials.aprioraApiKey)"
  printf '  ✓ %-58s pid %s\n' "apriora sandbox start --port 0 --json: $tracker_url" "$sandbox_pid"

  input="$(printf '%s\n%s\n%s' "$api_key" "$password" "$rest_token")" step "apriora tracker login --sandbox (secrets on stdin)" 0 \
    apriora tracker login --profile ci --sandbox --insecure-storage --base-url "$tracker_url" --username "$username" \
    --api-key-stdin --password-stdin --rest-token-stdin --rate-burst 90
  step "apriora tracker fields map --auto" 0 apriora tracker fields map --profile ci --auto --json
  input="$apriora_key" step "apriora login --sandbox (key on stdin)" 0 \
    apriora login --profile ci --sandbox --insecure-storage --base-url "$apriora_url" --api-key-stdin --modality phone
  step "apriora tracker jobs list" 0 apriora tracker jobs list --profile ci --json
  job="$(json "$out" 'd.data.jobs[0].id')" || fail "jobs list returned no job"
  step "apriora interview generate --job $job" 0 apriora interview generate --profile ci --job "$job" --json
  json "$out" 'd.data.summary.created === 1' >/dev/null || fail "generate created no interview: $(cat "$out")"
  position="$(json "$out" 'd.data.items[0].positionId')"
  step "apriora sandbox complete --position $position" 0 apriora sandbox complete --profile ci --position "$position" \
    --email grace.hopper@example.com --first-name Grace --last-name Hopper --json
  report="$(json "$out" d.data.report.reportId)" || fail "sandbox complete returned no report"
  step "apriora activity push --report $report" 0 apriora activity push --profile ci --report "$report" --json
  json "$out" 'd.data.summary.created === 1 && d.data.items[0].status === "created"' >/dev/null ||
    fail "the push created no activity: $(cat "$out")"
  activity="$(json "$out" 'd.data.items[0].activityId')"
  # Read back from the sandbox's Tracker database, with the admin endpoint (loopback, no credentials).
  candidate="$(node -e 'fetch(process.argv[1] + "/state").then((r) => r.json()).then((s) => {
      const a = s.tracker.activities.find((a) => a.id === Number(process.argv[2]));
      const ok = a && a.type === "Apriora Interview" && a.subject.includes(`[apriora:${process.argv[3]}]`) && a.customFields.length === 4;
      if (ok) process.stdout.write(String(a.linkRecordId));
      process.exit(ok ? 0 : 1);
    })' "$admin_url" "$activity" "$report")" || fail "activity $activity is not in the sandbox's Tracker database as pushed"
  printf '  ✓ %-58s %s\n' "activity $activity read back from the sandbox: 4 fields" "$report"
  step "apriora activity push --report $report (again: skipped)" 0 apriora activity push --profile ci --report "$report" --json
  json "$out" 'd.data.summary.skipped === 1 && d.data.summary.created === 0' >/dev/null || fail "the second push was not skipped: $(cat "$out")"
  step "apriora tracker connect" 0 apriora tracker connect --profile ci --json
  step "apriora doctor --json" 0 apriora doctor --profile ci --json
  json "$out" 'd.ok && d.data.ok && d.data.summary.fail === 0' >/dev/null || fail "doctor did not pass: $(cat "$out")"
  step "apriora smoke --job $job --candidate $candidate --json" 0 \
    apriora smoke --profile ci --job "$job" --candidate "$candidate" --timeout 60 --json
  json "$out" 'd.data.ok && d.data.steps.every((s) => s.status === "ok")' >/dev/null || fail "smoke did not pass: $(cat "$out")"
  # shellcheck disable=SC2016 # expanded by the inner bash
  step "bash: source <(apriora completion bash); complete -p apriora" 0 \
    bash -c 'source <(apriora completion bash) && complete -p apriora'
  grep -q 'apriora$' "$out" || fail "the completion script registered nothing for apriora: $(cat "$out")"

  stop_sandbox
  [ -z "$(ls -A "$user/cwd")" ] || fail "the installed apriora wrote into its working directory: $(ls -A "$user/cwd")"
  # Node 22.1+ keeps a compile cache; it belongs in the user's cache dir (nothing is cached on Node 20).
  if [ "$major" -ge 22 ]; then
    [ -n "$(ls -A "$user/home/.cache/apriora/node-compile-cache" 2>/dev/null)" ] || fail "no compile cache in the user's ~/.cache/apriora"
    echo "  ✓ compile cache in ~/.cache/apriora/node-compile-cache, nothing written to the working directory"
  else
    echo "  ✓ nothing written to the working directory"
  fi
}

round_trip "$(dirname "$(command -v node)")"
for node_dir in "$@"; do
  round_trip "$node_dir"
done
