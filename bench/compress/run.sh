#!/usr/bin/env bash
# A BERT-family encoder (minilm or e5-small): fp32 vs its published int8 build vs Verdant fuse / int8-dynamic, each
# with and without unpad, side by side in one JVM, on batches padded to 128 tokens and to their longest text.
# Usage: bench/compress/run.sh [threads=2] [rounds=20] [sentences=512] [timed batches=1] [model=minilm]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../run-java.sh" verdant-compress bench/compress/EncoderInt8Bench.java "$@"
