#!/usr/bin/env bash
# Distillation with a labelling budget (issue 6, sixth attempt in BENCHMARKS.md): LABELS labelled Fashion-MNIST
# training images (default 6,000 = 10 %: the first LABELS of the training part shuffled with seed 7), the rest
# unlabelled. Teacher: the mean of 5 LeNet-5 (init seeds 11-15), each trained on the labelled images only.
# Students: LeNet-5 (init seeds SEEDS, default 21-23; 1/5 of the teacher's MACs), three arms through `verdant compress --recipe
# distill:...` with --seed 7 (the same labelled images):
#   alone     alpha=0, the labelled images, as many epochs as each member had
#   distilled T=2, alpha=1, the labelled images and, through the teacher alone, the unlabelled rest (transfer=rest)
#   no-transfer (control, seed 21 only) T=2, alpha=1 on the labelled images only
# Settings (T=2, alpha=1, 120 distillation epochs, 240 epochs on the labelled images, lr 1e-3, shift2+flip) were
# fixed in this script before any of its runs, and are not chosen on the test set.
# Usage: bench/distill/label-budget.sh WORKDIR [JOBS] [EPOCHS] [LABELS] [STUDENT] [SEEDS]   (JOBS parallel runs, default 2;
# EPOCHS of distillation, default 120: about 1.5 h on 2 idle cores; LABELS, default 6000; STUDENT, a zoo architecture,
# default lenet5: with another, e.g. mlp (LeNet-300-100, 0.128 of the teacher's MACs), its runs are named
# alone-mlp-sN, distilled-mlp-eE-sN and the same teacher is reused; SEEDS, the students' init seeds, default "21 22 23":
# the 1,000-label figure is the mean over "21 22 23 24 25"). A run whose JSON report is complete is not run again (`verdant train` writes every epoch's checkpoint to --out, so the .onnx alone does not say a run
# finished), so a second call with another EPOCHS adds only its distilled students.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: label-budget.sh WORKDIR [JOBS] [EPOCHS] [LABELS] [STUDENT] [SEEDS]}"
jobs="${2:-2}"
epochs="${3:-120}"
labels="${4:-6000}"
student="${5:-lenet5}"
seeds="${6:-21 22 23}"
tag=""; [ "$student" = lenet5 ] || tag="$student-"
mkdir -p "$work" && cd "$work"
V="$repo/verdant"
. "$repo/scripts/find-jdk.sh"
"$repo/mvnw" -B -q -f "$repo/pom.xml" -DskipTests package
cp="$repo/verdant-cli/target/verdant-cli.jar:$repo/verdant-cli/target/lib/*"
java() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "classes:$cp" "$@"; }
"$JAVA_HOME/bin/javac" -cp "$cp" -d classes "$repo"/bench/distill/*.java
for seed in 11 12 13 14 15; do java MakeZooModel lenet5 "$seed" "lenet5-s$seed.onnx" >/dev/null; done
for seed in $seeds; do java MakeZooModel "$student" "$seed" "$student-s$seed.onnx" >/dev/null; done
common="--data fashion-mnist --threads 1"
recipe="lr=0.001,batch=64,augment=shift2+flip,examples=$labels"

# "NAME command...", one a line: the commands whose NAME.json is not complete yet, $jobs at a time, each with its own log
run_all() {
  while read -r name command; do
    grep -qs '^}' "$name.json" || echo "$command > $name.json 2> $name.log"
  done | xargs -d '\n' -P "$jobs" -I{} bash -c '{}'
}

for seed in 11 12 13 14 15; do
  echo "member-s$seed $V train --model lenet5-s$seed.onnx $common --limit $labels --seed 7 --epochs 240 --lr 0.001 --augment shift2+flip --json --out member-s$seed.onnx"
done | run_all
[ -f ens5.onnx ] || "$V" ensemble member-s11.onnx member-s12.onnx member-s13.onnx member-s14.onnx member-s15.onnx --out ens5.onnx

{
  for seed in $seeds; do
    out="distilled-$tag""e$epochs-s$seed"
    echo "$out $V compress ens5.onnx --recipe distill:student=$student-s$seed.onnx,T=2,alpha=1,epochs=$epochs,$recipe,transfer=rest $common --seed 7 --check 10000 --json --out $out.onnx"
  done
  for seed in $seeds; do
    echo "alone-$tag""s$seed $V compress ens5.onnx --recipe distill:student=$student-s$seed.onnx,alpha=0,epochs=240,$recipe $common --seed 7 --check 10000 --json --out alone-$tag""s$seed.onnx"
  done
  echo "notransfer-$tag""s21 $V compress ens5.onnx --recipe distill:student=$student-s21.onnx,T=2,alpha=1,epochs=240,$recipe $common --seed 7 --check 10000 --json --out notransfer-$tag""s21.onnx"
} | run_all

# accuracy on the labelled images, on the rest and on the test set: the teacher saw only the first
java LabelBudgetCheck "$labels" 7 member-s1?.onnx ens5.onnx alone-"$tag"s2?.onnx distilled-"$tag"e*-s2?.onnx \
    notransfer-"$tag"s21.onnx
