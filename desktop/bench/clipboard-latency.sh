#!/usr/bin/env bash
# Measures the desktop clipboard's latencies (copy -> event, read, write -> event) on X11 (Xvfb + xclip) and
# Wayland (sway headless + wl-clipboard); writes desktop/target/benchmarks/clipboard-latency.txt.
# Needs: xvfb xclip xsel sway wl-clipboard.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o -pl desktop -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
cp="desktop/target/test-classes:desktop/target/classes:$(cat desktop/target/cp.txt)"
exec java -cp "$cp" org.xenclip.desktop.bench.ClipboardLatency desktop/target/benchmarks/clipboard-latency.txt
