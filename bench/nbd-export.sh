#!/usr/bin/env bash
# bench/nbd-export.sh [FILE EXPORT HOST PORT]
# Serves FILE as NBD export EXPORT on HOST:PORT in the foreground (a linear device over the file),
# for ../shared/bench/perf_nbd_vs_nbdkit.sh:  perf_nbd_vs_nbdkit.sh -r 5 nbdkit 'mapperd=bench/nbd-export.sh'
# Arguments default to the $FILE $EXPORT $HOST $PORT environment the bench script exports.
# Builds dm-core when its classes are missing; JVM options can be added with NBD_JAVA_OPTS.
set -eu
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILE=${1:-${FILE:?FILE}} EXPORT=${2:-${EXPORT:-disk}} HOST=${3:-${HOST:-127.0.0.1}} PORT=${4:-${PORT:-10809}}
. "$ROOT/bin/jdk-env.sh"
CP_FILE=$ROOT/dm-core/target/runtime.classpath
if [ ! -d "$ROOT/dm-core/target/classes/io/mapperd/dm/export/nbd" ] || [ ! -s "$CP_FILE" ]; then
  (cd "$ROOT" && mvn -q -o -f dm-core/pom.xml compile dependency:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE") >&2
fi
exec java ${NBD_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms256m -Xmx1g \
  -Dio.netty.leakDetection.level=disabled \
  -cp "$ROOT/dm-core/target/classes:$(cat "$CP_FILE")" \
  io.mapperd.dm.export.nbd.NbdServeMain "$FILE" "$EXPORT" "$HOST" "$PORT"
