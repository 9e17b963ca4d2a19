#!/usr/bin/env bash
# Distillation of an ensemble teacher (issue 6): what produced the "fourth attempt" figures in BENCHMARKS.md.
# Teacher: the mean of 5 MLP 784-256-10 trained with seeds 11-15; students: the same MLP (1/5 of the teacher's MACs),
# seeds 21-23, trained alone (alpha 0) and distilled, by the same `verdant compress --recipe distill:...` code path.
# T=4, alpha=0.9 came from a validation sweep whose teacher had trained on the validation images (members trained on
# all 60,000): that sweep was invalid (see BENCHMARKS.md), and DistillValidationSweep now refuses such a teacher.
# Usage: bench/distill/ensemble.sh WORKDIR [T ALPHA]   (defaults T=4 alpha=0.9; about 25 min on 1 core)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: ensemble.sh WORKDIR [T ALPHA]}"
temperature="${2:-4}"
alpha="${3:-0.9}"
mkdir -p "$work" && cd "$work"
V="$repo/verdant"
. "$repo/scripts/find-jdk.sh"
"$repo/mvnw" -B -q -f "$repo/pom.xml" -DskipTests package
cp="$repo/verdant-cli/target/verdant-cli.jar:$repo/verdant-cli/target/lib/*"
"$JAVA_HOME/bin/javac" -cp "$cp" -d classes "$repo"/bench/distill/*.java
for seed in 11 12 13 14 15 21 22 23; do
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "classes:$cp" MakeMlpStudent "$seed" "mlp256-s$seed.onnx" 256
done
for seed in 11 12 13 14 15; do
  "$V" train --model "mlp256-s$seed.onnx" --data fashion-mnist --epochs 20 --threads 1 --seed "$seed" --out "member-s$seed.onnx"
done
"$V" ensemble member-s11.onnx member-s12.onnx member-s13.onnx member-s14.onnx member-s15.onnx --out ens5.onnx
for seed in 21 22 23; do
  for arm in "0" "$alpha"; do
    "$V" compress ens5.onnx --recipe "distill:student=mlp256-s$seed.onnx,T=$temperature,alpha=$arm,epochs=20,lr=0.001,batch=64" \
      --data fashion-mnist --check 10000 --threads 1 --seed "$seed" --out "student-s$seed-alpha$arm.onnx" | grep -E "accuracy|macsRatio"
  done
done
