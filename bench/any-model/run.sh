#!/usr/bin/env bash
# Issue 23's proof on real models (BENCHMARKS.md, "Any model: issue 23 proof"): makes the real inputs, trains the zoo
# LeNet-5 once, runs verdant optimize --config on each model, then checks each chosen model against its original with
# ONNX Runtime's Java API directly (IndependentCheck.java). Usage: bench/any-model/run.sh [MODEL...]
# (ppocr-det ppocr-rec silero-vad lenet5-png; default all). Extra Maven options in MAVEN_ARGS (e.g. -o).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(ppocr-det ppocr-rec silero-vad lenet5-png)
[ -d /tmp/any-inputs/ocr-det ] || bench/run-java.sh verdant-data bench/any-model/MakeInputs.java /tmp/any-inputs 32
for model in "${models[@]}"; do
  case "$model" in
    ppocr-det) kind=ppocr-det; folder=ocr-det ;;
    ppocr-rec) kind=ppocr-rec; folder=ocr-rec ;;
    silero-vad) kind=silero-vad; folder=speech ;;
    lenet5-png)
      kind=gray-classifier; folder=fashion-png
      [ -f /tmp/lenet5.onnx ] || ./verdant train --arch lenet5 --data fashion-mnist --epochs 2 --out /tmp/lenet5.onnx ;;
    *) echo "run.sh: unknown model '$model' (ppocr-det, ppocr-rec, silero-vad, lenet5-png)" >&2; exit 2 ;;
  esac
  config="bench/any-model/$model.yaml"
  work="$(sed -n 's/^work: *//p' "$config")"
  original="$(sed -n 's/^model: *//p' "$config")"
  rm -rf "$work"
  echo "== verdant optimize --config $config"
  ./verdant optimize --config "$config"
  echo "== independent check of $work/best.onnx"
  bench/run-java.sh verdant-runtime bench/any-model/IndependentCheck.java "$kind" "$original" "$work/best.onnx" \
    "/tmp/any-inputs/$folder"
done
