#!/usr/bin/env bash
# Builds verdant-spark with its tests' class path and runs SparkBench.java on it, with the module flags Spark needs
# and what LocalStandaloneCluster (a test fixture) reads. Usage: bench/spark/run.sh; MAVEN_ARGS for Maven (e.g. -o).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# shellcheck disable=SC2086
./mvnw -q -B -pl verdant-spark -am test-compile ${MAVEN_ARGS:-} >&2
./mvnw -q -B -pl verdant-spark generate-test-resources ${MAVEN_ARGS:-} >&2
flags="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' verdant-spark/pom.xml | head -1)"
target="$root/verdant-spark/target"
# shellcheck disable=SC2086
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)" exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow $flags -Xmx3g -Dspark.jvm.flags="$flags" \
  -Dverdant.spark.test.classpath="$target/test-classpath.txt" \
  -cp "$target/classes:$target/test-classes:$(cat "$target/test-classpath.txt")" "$root/bench/spark/SparkBench.java" "$@"
