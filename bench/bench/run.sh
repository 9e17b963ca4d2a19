#!/usr/bin/env bash
# JMH cross-check of the verdant bench runner (see README.md). Extra arguments go to JMH, e.g.
#   bench/bench/run.sh -p model=minilm-int8 -p batch=1,16
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="verdant-bench/target/jmh"
./mvnw -q -B -pl verdant-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
cp="verdant-bench/target/classes:$(cat verdant-bench/target/classpath.txt)"
rm -rf "$out" && mkdir -p "$out"
# jmh-generator-annprocess (test scope in verdant-bench) writes the harness classes next to the benchmark's
"$JAVA_HOME/bin/javac" -proc:full -cp "$cp" -d "$out" bench/bench/OrtRunBenchmark.java
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$out:$cp" \
  org.openjdk.jmh.Main dev.verdant.bench.jmh.OrtRunBenchmark "$@"
