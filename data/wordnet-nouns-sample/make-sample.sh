#!/usr/bin/env bash
# Rebuilds this folder's data.noun.gz from the Debian package wordnet-base: Princeton's licence header (the lines
# that start with two spaces) and, of each of the 26 noun supersenses (lexicographer files), every 20th synset line
# of WordNet 3.0's data.noun in file order, byte for byte; a supersense with fewer than 400 synsets gets every
# (count / 20)th instead, so each has at least 20 glosses (5-shot episodes with 15 queries need 20 a class).
# gzip -n leaves the name and time out of the gzip header, so the output is the same on every run.
set -eu
src="${1:-/usr/share/wordnet/data.noun}"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -f "$src" ] || { echo "no $src: apt-get install wordnet-base" >&2; exit 2; }
awk 'NR == FNR { if ($0 !~ /^  /) total[$2]++; next }
     /^  / { print; next }
     { step = int(total[$2] / 20); if (step > 20) step = 20; if (step < 1) step = 1;
       if (seen[$2]++ % step == 0) print }' "$src" "$src" | gzip -n -9 > "$out/data.noun.gz.part"
[ "$(zcat "$out/data.noun.gz.part" | grep -vc '^  ')" -gt 4000 ] || { echo "short sample" >&2; exit 1; }
mv "$out/data.noun.gz.part" "$out/data.noun.gz"
sha256sum "$out/data.noun.gz"
