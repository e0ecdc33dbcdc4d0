#!/bin/sh
# Host app benchmark (issue 3): 200 simulated VMs connected to one host app (--no-ui) on a private Xvfb:
# time for one dom0 copy to reach all of them (target p99 <= 200 ms) and the app's RSS (<= 300 MiB);
# then 10 VMs connected and idle: the app's CPU use (<= 0.3 % of a core).
# Writes docs/benchmarks/host.md. Needs: Xvfb, xclip (Debian: xvfb xclip). Takes about 3 minutes.
#
#   scripts/bench-host.sh                 # defaults
#   VMS=50 IDLE_SECONDS=20 scripts/bench-host.sh
set -eu
cd "$(dirname "$0")/.."
VMS="${VMS:-200}"
IDLE_VMS="${IDLE_VMS:-10}"
COPIES="${COPIES:-100}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
# What the packaged launcher passes (scripts/package.sh) and docs/host-app.md recommends for java -jar.
RECOMMENDED_OPTS="${RECOMMENDED_OPTS:--Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
OUT=docs/benchmarks/host.md
RAW=host-app/target/bench-host.md

./mvnw -B -q -pl host-app -am package -DskipTests
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# The driver reads its settings from the environment (surefire hands it to the forked test JVM).
export VMS IDLE_VMS COPIES IDLE_SECONDS HOST_JAVA_OPTS
export BENCH_JAR="$(pwd)/host-app/target/xenclip-host.jar"
: > "$RAW.all"
for opts in "" "$RECOMMENDED_OPTS"; do
  HOST_JAVA_OPTS="$opts"
  export BENCH_REPORT="$(pwd)/$RAW"
  ./mvnw -B -q -pl host-app -am verify -Dtest=HostBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true
  cat "$RAW" >> "$RAW.all"
done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$(dirname "$OUT")"
{
  echo "# Host app benchmark"
  echo
  echo "Measured by \`scripts/bench-host.sh\` (driver: \`host-app/src/test/java/org/xenclip/host/bench/HostBenchmark.java\`)."
  echo "The real \`host-app/target/xenclip-host.jar\` runs as its own process with \`--no-ui --no-xenstore"
  echo "--socket-dir DIR\`, default mode \`both\`, its dom0 clipboard on a private Xvfb. Each simulated VM is a"
  echo "listening Unix socket (like QEMU's) with a real protocol client (\`ClientSession\`) behind it, all in the"
  echo "driver's JVM. A copy is \`xclip\` taking the CLIPBOARD selection; its time runs from just before xclip"
  echo "starts until the last VM has the text, so it includes xclip's own start-up."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- command: \`VMS=$VMS IDLE_VMS=$IDLE_VMS COPIES=$COPIES IDLE_SECONDS=$IDLE_SECONDS scripts/bench-host.sh\`"
  echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- java: $(java -version 2>&1 | head -1); each table names the JVM options the app ran with"
  echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
  echo "- note: the machine is shared with other builds; the driver and its $VMS clients share the same CPUs"
  echo
  cat "$RAW.all"
} > "$OUT"
cat "$OUT"
