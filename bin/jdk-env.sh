# Sourced by the scripts: selects a JDK >= 25 (JAVA_HOME if it is one, else one under /usr/lib/jvm).
_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(_jdk_major "$JAVA_HOME")" -lt 25 ] 2>/dev/null; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [ -x "$d/bin/java" ] && [ "$(_jdk_major "$d")" -ge 25 ] 2>/dev/null; then JAVA_HOME=$d; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then echo "mapperd needs a JDK >= 25 (none found under /usr/lib/jvm; set JAVA_HOME)" >&2; exit 1; fi
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
