#!/usr/bin/env bash
# all-MiniLM-L6-v2: fp32 vs published int8 vs Verdant fuse / int8-dynamic, each with and without unpad, side by side in one JVM.
# Usage: bench/compress/run.sh [threads=2] [rounds=20] [sentences=512] [timed batches=1]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../run-java.sh" verdant-compress bench/compress/MiniLmInt8Bench.java "$@"
