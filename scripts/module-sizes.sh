#!/usr/bin/env bash
# What a Java team downloads for each Verdant module: for every module the BOM lists, a throwaway consumer project
# that depends on it by coordinates only resolves its runtime class path (compile + runtime scope, as a user's build
# would) from the local Maven repository, and the jar sizes are summed. Run it after ./mvnw install; prints the
# Markdown table of the README's "Use from Java" section. Extra arguments go to Maven (-Dmaven.repo.local=...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
. "$here/find-jdk.sh"

version="$(sed -n 's#^  <version>\(.*\)</version>#\1#p' "$root/verdant-bom/pom.xml" | head -1)"
modules="$(sed -n 's#.*<artifactId>\(verdant-[a-z-]*\)</artifactId><version>.*#\1#p' "$root/verdant-bom/pom.xml")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

megabytes() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }

# one consumer project per module, built as one reactor so that Maven starts once
{
  echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
  echo '<groupId>size.check</groupId><artifactId>consumers</artifactId><version>1</version><packaging>pom</packaging><modules>'
  for module in $modules; do echo "<module>$module</module>"; done
  echo '</modules></project>'
} >"$work/pom.xml"
for module in $modules; do
  mkdir -p "$work/$module"
  cat >"$work/$module/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>size.check</groupId><artifactId>consumer-of-$module</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>dev.verdant</groupId><artifactId>$module</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
done
"$root/mvnw" -q -B -f "$work/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=classpath.txt "$@" >"$work/maven.log" 2>&1 \
  || { cat "$work/maven.log" >&2; echo "cannot resolve the modules at $version by coordinates (run ./mvnw install first)" >&2; exit 1; }

echo "| module | jars | MB | largest jars (MB) |"
echo "| --- | ---: | ---: | --- |"
for module in $modules; do
  # one jar a line: bytes, then its artifactId (the folder two levels above the file in the repository)
  { tr ':' '\n' <"$work/$module/classpath.txt"; echo; } | while read -r jar; do
    [ -n "$jar" ] && printf '%s %s\n' "$(stat -c %s "$jar")" "$(basename "$(dirname "$(dirname "$jar")")")"
  done | sort -rn >"$work/sizes.txt"
  count="$(wc -l <"$work/sizes.txt")"
  total="$(awk '{ s += $1 } END { print s + 0 }' "$work/sizes.txt")"
  largest="$(head -3 "$work/sizes.txt" | while read -r bytes name; do printf '%s %s, ' "$name" "$(megabytes "$bytes")"; done)"
  echo "| $module | $count | $(megabytes "$total") | ${largest%, } |"
done

# the native build is in the same repository as any jar resolved above
repo_jar="$(tr ':' '\n' <"$work/verdant-train/classpath.txt" | grep -m1 '/ai/djl/pytorch/pytorch-jni/' || true)"
native="$(ls "${repo_jar%/ai/djl/*}"/ai/djl/pytorch/pytorch-native-cpu/*/pytorch-native-cpu-*-linux-x86_64.jar 2>/dev/null | head -1 || true)"
if [ -n "$native" ]; then
  echo
  echo "The library rows leave out the PyTorch native build that training needs, which the application adds" \
    "(the CLI row includes it): $(basename "$native" .jar) is $(megabytes "$(stat -c %s "$native")") MB."
fi
