#!/usr/bin/env bash
# Multipath figures (issue 6): failover stall from a transport error injected on the active path
# to the next completed I/O (p50/p99 over KILLS kills, default 100), and 4 KiB random-read
# throughput of a 2-path multibus map vs a 1-path map in the same run (ROUNDS rounds, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${KILLS:-100}
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
. ./bin/jdk-env.sh
mvn -q -DskipTests -pl benchmarks -am package
CP="benchmarks/target/classes:$(ls benchmarks/target/lib/*.jar | tr '\n' ':')"
exec "$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dkills="$KILLS" -Drounds="$ROUNDS" \
  -Dseconds="$SECONDS_PER_RUN" -cp "$CP" io.mapperd.bench.MultipathFailoverBench
