# Sourced by ./mapperd and the bench scripts: selects a JDK >= 25 (JAVA_HOME when it is one, else the
# first under /usr/lib/jvm) and exports JAVA_HOME and PATH. The version comes from the JDK's release
# file, which is much faster than starting java to ask.
_jdk_major() {
	local v=
	[ -r "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
	echo "${v:-0}"
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ] || [ "$(_jdk_major "$JAVA_HOME")" -lt 25 ]; then
	JAVA_HOME=
	for _d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
		if [ -x "$_d/bin/javac" ] && [ "$(_jdk_major "$_d")" -ge 25 ]; then JAVA_HOME=$_d; break; fi
	done
	if [ -z "$JAVA_HOME" ]; then
		echo "mapperd: no JDK 25 or newer found (set JAVA_HOME, or install temurin-25-jdk)" >&2
		exit 1
	fi
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
