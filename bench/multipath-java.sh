# Sourced by bench/multipath.sh and bench/multipath-syscalls.sh after benchmarks-classpath.sh: runs
# MultipathFailoverBench with the settings both take from the environment.
#   multipath_java MODE KILLS HANG_KILLS [more JVM options...]   (stderr: the caller's)
TIMEOUT_MS=${TIMEOUT_MS:-1000}
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
SIZE_MIB=${SIZE_MIB:-256}
SELECTOR=${SELECTOR:-service-time 0}
SIM_LOOPS=${SIM_LOOPS:-2}
LOAD=${LOAD:-steady}
multipath_java() {
  local mode=$1 kills=$2 hangs=$3
  shift 3
  # no Netty leak sampling (a stack trace per 128 buffers), as the daemon runs
  "$JAVA_HOME/bin/java" -Dio.netty.leakDetection.level=disabled -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dmode="$mode" \
    -Dkills="$kills" -DhangKills="$hangs" -DtimeoutMs="$TIMEOUT_MS" -Drounds="$ROUNDS" -Dseconds="$SECONDS_PER_RUN" \
    -DsizeMiB="$SIZE_MIB" -Dselector="$SELECTOR" -Dmapperd.sim.loops="$SIM_LOOPS" -Dload="$LOAD" "$@" \
    -cp "$CP" io.mapperd.bench.MultipathFailoverBench
}
