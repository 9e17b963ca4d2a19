#!/usr/bin/env bash
# Distillation with a labelling budget (issue 6, sixth attempt in BENCHMARKS.md): 6,000 labelled Fashion-MNIST
# training images (10 %, the first 6,000 of the training part shuffled with seed 7), the other 54,000 unlabelled.
# Teacher: the mean of 5 LeNet-5 (init seeds 11-15), each trained on the 6,000 labelled images only.
# Students: LeNet-5 (init seeds 21-23, 1/5 of the teacher's MACs), three arms through `verdant compress --recipe
# distill:...` with --seed 7 (the same 6,000 labelled images):
#   alone     alpha=0, the labelled images, as many epochs as each member had
#   distilled T=2, alpha=1, the labelled images and, through the teacher alone, the 54,000 unlabelled (transfer=rest)
#   no-transfer (control, seed 21 only) T=2, alpha=1 on the labelled images only
# Settings (T=2, alpha=1, 120 distillation epochs, 240 epochs on 6,000 images) were chosen beforehand on a validation
# split of the training part (images 50,000-59,999 of the same shuffle), never on the test set.
# Usage: bench/distill/label-budget.sh WORKDIR [JOBS] [EPOCHS]   (JOBS parallel runs, default 2; EPOCHS of distillation,
# default 120: about 2 h on 2 cores; 240 is the "patient" variant). A run whose output exists is not run again, so
# a second call with another EPOCHS adds only its distilled students.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: label-budget.sh WORKDIR [JOBS]}"
jobs="${2:-2}"
epochs="${3:-120}"
mkdir -p "$work" && cd "$work"
V="$repo/verdant"
. "$repo/scripts/find-jdk.sh"
"$repo/mvnw" -B -q -f "$repo/pom.xml" -DskipTests package
cp="$repo/verdant-cli/target/verdant-cli.jar:$repo/verdant-cli/target/lib/*"
java() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "classes:$cp" "$@"; }
"$JAVA_HOME/bin/javac" -cp "$cp" -d classes "$repo"/bench/distill/*.java
for seed in 11 12 13 14 15 21 22 23; do java MakeZooModel lenet5 "$seed" "lenet5-s$seed.onnx" >/dev/null; done
common="--data fashion-mnist --threads 1"
recipe="lr=0.001,batch=64,augment=shift2+flip,examples=6000"

# "OUT.onnx command...", one a line: the commands whose OUT does not exist yet, $jobs at a time, each with its own log
run_all() {
  while read -r out command; do [ -f "$out" ] || echo "$command"; done | xargs -d '\n' -P "$jobs" -I{} bash -c '{}'
}

for seed in 11 12 13 14 15; do
  echo "member-s$seed.onnx $V train --model lenet5-s$seed.onnx $common --limit 6000 --seed 7 --epochs 240 --lr 0.001 --augment shift2+flip --json --out member-s$seed.onnx > member-s$seed.json 2> member-s$seed.log"
done | run_all
[ -f ens5.onnx ] || "$V" ensemble member-s11.onnx member-s12.onnx member-s13.onnx member-s14.onnx member-s15.onnx --out ens5.onnx

{
  for seed in 21 22 23; do
    out="distilled-e$epochs-s$seed"
    echo "$out.onnx $V compress ens5.onnx --recipe distill:student=lenet5-s$seed.onnx,T=2,alpha=1,epochs=$epochs,$recipe,transfer=rest $common --seed 7 --check 10000 --json --out $out.onnx > $out.json 2> $out.log"
  done
  for seed in 21 22 23; do
    echo "alone-s$seed.onnx $V compress ens5.onnx --recipe distill:student=lenet5-s$seed.onnx,alpha=0,epochs=240,$recipe $common --seed 7 --check 10000 --json --out alone-s$seed.onnx > alone-s$seed.json 2> alone-s$seed.log"
  done
  echo "notransfer-s21.onnx $V compress ens5.onnx --recipe distill:student=lenet5-s21.onnx,T=2,alpha=1,epochs=240,$recipe $common --seed 7 --check 10000 --json --out notransfer-s21.onnx > notransfer-s21.json 2> notransfer-s21.log"
} | run_all

# accuracy on the labelled 6,000, on the other 54,000 and on the test set: the teacher saw only the first
java LabelBudgetCheck 6000 7 member-s1?.onnx ens5.onnx alone-s2?.onnx distilled-e*-s2?.onnx notransfer-s21.onnx
