#!/usr/bin/env bash
# all-MiniLM-L6-v2: fp32 vs published int8 vs Verdant fuse / int8-dynamic, each with and without unpad, side by side in one JVM.
# Usage: bench/compress/run.sh [threads=2] [rounds=20] [sentences=512] [timed batches=1]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# test scope: PyTorch's native build and the built-in models are test dependencies (the libraries publish neither)
./mvnw -q -B -pl verdant-compress -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)" exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true -cp "verdant-compress/target/classes:$(cat verdant-compress/target/classpath.txt)" \
  bench/compress/MiniLmInt8Bench.java "$@"
