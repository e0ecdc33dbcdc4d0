#!/usr/bin/env bash
# Fuzzes the protocol sessions with Jazzer (SessionFuzzTest) for SECONDS (default: one hour).
# Findings are written as files into
#   protocol/src/test/resources/org/xenclip/protocol/fuzz/SessionFuzzTestInputs/sessionsSurviveArbitraryInput/
# where the normal test run replays them once committed; the growing corpus stays in protocol/.cifuzz-corpus/.
# Usage: scripts/fuzz-protocol.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3600}"
exec ./mvnw -B -pl protocol verify -Pfuzz -Djacoco.skip=true \
  -Dtest='SessionFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dxenclip.fuzz.seconds="$seconds"
