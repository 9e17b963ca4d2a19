#!/usr/bin/env bash
# Rebuilds this folder's data.noun.gz from the Debian package wordnet-base: Princeton's licence header (the lines
# that start with two spaces) and every 20th synset line of WordNet 3.0's data.noun, byte for byte, so the loader
# reads it exactly as it reads the full file. Every 20th line keeps the 26 supersenses in about their proportions.
# gzip -n leaves the name and time out of the gzip header, so the output is the same on every run.
set -eu
src="${1:-/usr/share/wordnet/data.noun}"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
every=20
[ -f "$src" ] || { echo "no $src: apt-get install wordnet-base" >&2; exit 2; }
awk -v every=$every '/^  / { print; next } { if (n++ % every == 0) print }' "$src" | gzip -n -9 > "$out/data.noun.gz.part"
[ "$(zcat "$out/data.noun.gz.part" | grep -vc '^  ')" -gt 4000 ] || { echo "short sample" >&2; exit 1; }
mv "$out/data.noun.gz.part" "$out/data.noun.gz"
sha256sum "$out/data.noun.gz"
