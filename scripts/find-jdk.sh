# Sourced by ./verdant and ./run-tests: sets JAVA_HOME to a JDK 21+ ($JAVA_HOME if it is one, else the Temurin 25
# these machines have, else any JDK 21+ under /usr/lib/jvm), or exits 2 with a one-line message.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME="$(pick_jdk)"; then
  echo "verdant: needs a JDK 21 or newer; set JAVA_HOME to one (for example /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 2
fi
export JAVA_HOME
