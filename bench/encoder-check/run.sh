#!/usr/bin/env bash
# Independent check of a written encoder against fp32 and peers: ONNX Runtime's Java API and DJL's tokenizer only.
# Usage: bench/encoder-check/run.sh REFERENCE.onnx TOKENIZER.json MODEL.onnx [MODEL.onnx ...] [--threads 2]
#        [--batch 16] [--padding longest|max] [--max-len 128] [--sentences 512] [--timed 8] [--rounds 20] [--skip 20000]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../run-java.sh" verdant-compress bench/encoder-check/IndependentCheck.java "$@"
