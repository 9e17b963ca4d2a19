#!/usr/bin/env bash
# Reruns the BENCHMARKS.md commands whose code paths the one-seam redesign (issue 19) changed, each with --json.
# Usage: bench/rerun/run.sh CHECKOUT OUTDIR (a LeNet-5 trained by the first run is kept in /tmp/rerun-lenet5.onnx so
# that later runs compress and transfer the same file); compare two OUTDIRs with bench/rerun/compare.py.
set -uo pipefail
co=$1; out=$2; mkdir -p $out; cd $co
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
v() { local name=$1; shift; echo "== $name: verdant $*" >> $out/commands.txt; /usr/bin/time -f "%e s" -o $out/$name.time ./verdant "$@" > $out/$name.out 2> $out/$name.err; echo "$name rc=$?" >> $out/commands.txt; }
v c-int8 compress minilm --recipe int8-dynamic --out $out/minilm-int8.onnx --min-fidelity 0.99 --rounds 10 --json
v c-unpad compress minilm --recipe int8-dynamic,unpad --out $out/minilm-int8-unpad.onnx --min-fidelity 0.99 --rounds 10 --json
v t-lenet5 train --arch lenet5 --data fashion-mnist --epochs 3 --limit 10000 --threads 2 --seed 1 --out $out/lenet5.onnx --json
[ -f /tmp/rerun-lenet5.onnx ] || cp $out/lenet5.onnx /tmp/rerun-lenet5.onnx
v c-static compress /tmp/rerun-lenet5.onnx --recipe int8-static --data fashion-mnist --calibration 1000 --check 10000 --max-accuracy-drop 0.5 --out $out/lenet5-int8.onnx --json
v c-dc compress /tmp/rerun-lenet5.onnx --recipe prune:0.92,share:5bit --data fashion-mnist --check 2000 --out $out/lenet-dc.vdz --json
v b-minilm bench minilm-int8 --baseline minilm --threads 1 --batch 16 --data wordnet-nouns --warmup 5 --iterations 20 --json
v f-fewshot fewshot --backbone minilm --support wordnet-nouns --shots 5 --queries 15 --episodes 200 --per-class 60 --classifier prototype --threads 1 --json
v x-transfer transfer --backbone /tmp/rerun-lenet5.onnx --cut Relu_1 --head linear --data fashion-mnist --classes 10 --limit 10000 --epochs 8 --batch 256 --lr 0.01 --threads 1 --out $out/transfer.onnx --json
v e-estimate estimate --processor A100 --count 8 --days 1 --country FR --json
v e-data data --json
