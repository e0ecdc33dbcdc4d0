#!/usr/bin/env bash
# Runs the protocol module's JMH benchmarks (protocol/src/jmh/java, compiled only with -Pbench) and writes
# the results to docs/benchmarks/protocol-jmh.txt. Extra arguments go to JMH, e.g. `-f 3 -i 10` for a
# longer run or `encode` to run only the encoders.
# Usage: scripts/bench-protocol.sh [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/benchmarks/protocol-jmh.txt
mkdir -p docs/benchmarks target

./mvnw -B -q -pl protocol -Pbench test-compile -Djacoco.skip=true
./mvnw -B -q -pl protocol -Pbench dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/target/protocol-bench.classpath"
cp="protocol/target/test-classes:protocol/target/classes:$(cat target/protocol-bench.classpath)"

{
  echo "# xenclip protocol JMH results, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# command: scripts/bench-protocol.sh $*"
  echo "# java: $(java -version 2>&1 | head -1)"
  echo "# machine:"
  lscpu | head -n 15 | sed 's/^/#   /'
  echo
} >"$out.tmp"
java -cp "$cp" org.openjdk.jmh.Main -rf text -rff target/protocol-jmh-result.txt "$@" CutTextBenchmark \
  | tee target/protocol-jmh.log
cat target/protocol-jmh-result.txt >>"$out.tmp"
# Throughput in MiB/s: ops/s times the text size.
awk '$1 ~ /CutTextBenchmark/ {
       score = ($(NF-2) == "\302\261" || $(NF-2) == "±") ? $(NF-3) : $(NF-1)
       printf "# %-26s %-9s %8s B  %10.1f MiB/s\n", $1, $2, $3, score * $3 / 1048576 }' \
  target/protocol-jmh-result.txt >>"$out.tmp" || true
mv "$out.tmp" "$out"
echo "results written to $out"
