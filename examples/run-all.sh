#!/usr/bin/env bash
# Builds and runs the three examples against the Verdant artifacts in the local Maven repository, and checks what
# each prints. Run it after the root install (./mvnw -B -q install -DskipTests). Extra arguments go to Maven
# (for example -Dmaven.repo.local=...). Exits non-zero when an example fails to build, run or print what it should.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
. "$root/scripts/find-jdk.sh"

failures=0

# run_example NAME PATTERN...: ./mvnw verify on examples/NAME (which runs its main), then every PATTERN (an extended
# regular expression) must match a line of the output.
run_example() {
  local name="$1"; shift
  local log="$here/$name/target/run-all.log"
  mkdir -p "$here/$name/target"
  echo "== examples/$name"
  if ! "$root/mvnw" -B -q -f "$here/$name/pom.xml" verify "${maven_args[@]}" >"$log" 2>&1; then
    cat "$log"
    echo "FAILED: examples/$name did not build or run (log: $log)"
    failures=$((failures + 1))
    return
  fi
  cat "$log"
  local pattern
  for pattern in "$@"; do
    if ! grep -Eq -- "$pattern" "$log"; then
      echo "FAILED: examples/$name printed no line matching: $pattern"
      failures=$((failures + 1))
    fi
  done
}

maven_args=("$@")

run_example track-workload \
  '^sink: run .count-primes. ' \
  '^sink:   CPU +[0-9.]+ J  (measured|estimated)$' \
  '^primes below 5,000,000: 348513$' \
  '^energy: [0-9.]+ J \((measured|estimated)\), CPU [0-9.]+ J' \
  '^reports the sink received: 1$'

run_example compress-model \
  '^recipe: int8-dynamic on classifier.onnx$' \
  '^size: [0-9,]+ bytes -> [0-9,]+ bytes \([0-9.]+x smaller\)$' \
  '^accuracy \(ONNX Runtime, 800 check rows\): 9[0-9.]+ % -> 9[0-9.]+ %' \
  '^fidelity: min cosine 0\.9' \
  '^check max-accuracy-drop \(limit 1.00, got -?[0-9.]+\): passed$'

run_example train-with-energy \
  '^mlp/epoch-1: [0-9.]+ J \((measured|estimated)\)' \
  '^mlp/epoch-4: [0-9.]+ J \((measured|estimated)\)' \
  '^training accuracy after 4 epochs: 0\.[89]' \
  '^training energy: [0-9.]+ J \((measured|estimated)\) over 4 epochs'

if [ "$failures" -gt 0 ]; then
  echo "examples: $failures check(s) failed"
  exit 1
fi
echo "examples: all three built, ran and printed what they should"
