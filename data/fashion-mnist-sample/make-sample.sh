#!/usr/bin/env bash
# Rebuilds this folder's IDX files from the Debian package dataset-fashion-mnist: the first 1,000 images and
# labels of the Fashion-MNIST test set (t10k), byte for byte, with the item count in the header set to 1,000.
# gzip -n leaves the name and time out of the gzip header, so the output is the same on every run.
set -eu
src="${1:-/usr/share/datasets/fashion-mnist}"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
count=1000
[ -f "$src/t10k-images-idx3-ubyte.gz" ] || { echo "no $src/t10k-images-idx3-ubyte.gz: apt-get install dataset-fashion-mnist" >&2; exit 2; }

# IDX header: 4-byte magic, then one big-endian 4-byte size per dimension; the item count is the first size.
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }

# images: magic 0x00000803, count, rows (28), cols (28), then count*28*28 unsigned bytes
{ printf '\x00\x00\x08\x03'; be32 $count; zcat "$src/t10k-images-idx3-ubyte.gz" | tail -c +9 | head -c $((8 + count * 28 * 28)); } \
  | gzip -n -9 > "$out/t10k-images-idx3-ubyte.gz.part"
# labels: magic 0x00000801, count, then count unsigned bytes
{ printf '\x00\x00\x08\x01'; be32 $count; zcat "$src/t10k-labels-idx1-ubyte.gz" | tail -c +9 | head -c $count; } \
  | gzip -n -9 > "$out/t10k-labels-idx1-ubyte.gz.part"
# zcat stops early on purpose (head closes the pipe), so check what was written instead of exit codes.
[ "$(zcat "$out/t10k-images-idx3-ubyte.gz.part" | wc -c)" -eq $((16 + count * 28 * 28)) ] || { echo "short image file" >&2; exit 1; }
[ "$(zcat "$out/t10k-labels-idx1-ubyte.gz.part" | wc -c)" -eq $((8 + count)) ] || { echo "short label file" >&2; exit 1; }
mv "$out/t10k-images-idx3-ubyte.gz.part" "$out/t10k-images-idx3-ubyte.gz"
mv "$out/t10k-labels-idx1-ubyte.gz.part" "$out/t10k-labels-idx1-ubyte.gz"
sha256sum "$out"/t10k-*.gz
