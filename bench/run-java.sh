#!/usr/bin/env bash
# Builds MODULE (and the Verdant modules it needs) and runs the single-file Java benchmark PROGRAM on its test class
# path, in one JVM. Test scope: PyTorch's native build and the built-in models are test dependencies (the libraries
# publish neither). The benchmark sees the load average at its start in LOADAVG.
# Usage: bench/run-java.sh MODULE PROGRAM [ARG...]; extra JVM options in BENCH_JAVA_OPTS, extra Maven options in
#        MAVEN_ARGS (e.g. -o).
set -euo pipefail
module="$1"
program="$2"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl "$module" -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
# BENCH_JAVA_OPTS is a list of options: split on spaces on purpose
# shellcheck disable=SC2086
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)" exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} -cp "$module/target/classes:$(cat "$module/target/classpath.txt")" \
  "$program" "$@"
