#!/usr/bin/env bash
# docs/screenshots/demo.png: the README demo (./xenclip-demo) on a private Xvfb with a window manager, after
# one copy each way: first "Copy in the VM" in the demo-vm window (checked on the desktop with xclip), then a
# desktop copy with xclip (checked in the demo-vm window through the demo's --test-hook reports).
# Run by hand from anywhere: scripts/demo-screenshot.sh. Not part of the test suite.
# Debian packages: xvfb xclip imagemagick libgtk-3-0 x11-utils x11-xserver-utils; openbox (optional: window frames)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/docs/screenshots/demo.png"
SCREEN=1680x1050

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "demo-screenshot.sh: '$1' not found: apt-get install $2" >&2; exit 1; }
}
need Xvfb xvfb
need xclip xclip
need import imagemagick
need sha256sum coreutils

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            echo "demo-screenshot.sh: timed out after ${seconds}s waiting for $what" >&2
            [[ -f "$work/demo.err" ]] && tail -n 30 "$work/demo.err" >&2
            return 1
        fi
        sleep 0.2
    done
}

work=$(mktemp -d)
pids=()
cleanup() {
    exec 7>&- 2>/dev/null || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 "${SCREEN}x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
wait_for 20 "Xvfb to start" test -s "$work/display"
export DISPLAY=":$(head -n1 "$work/display")"
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
export NO_AT_BRIDGE=1

if command -v openbox >/dev/null; then
    openbox --sm-disable >"$work/openbox.log" 2>&1 &
    pids+=($!)
    wait_for 20 "openbox to manage the screen" bash -c "xprop -root _NET_SUPPORTING_WM_CHECK | grep -q 'window id'"
else
    echo "demo-screenshot.sh: no openbox (apt-get install openbox): windows will have no frames" >&2
fi
# after the window manager, which paints the root window black
command -v xsetroot >/dev/null && xsetroot -solid '#2b3a42'

# the demo reads test-hook commands from a FIFO kept open on descriptor 7
mkfifo "$work/commands"
"$ROOT/xenclip-demo" --test-hook <"$work/commands" >"$work/demo.out" 2>"$work/demo.err" &
pids+=($!)
exec 7>"$work/commands"
wait_for 600 "the demo to start (it may build first)" grep -qx connected "$work/demo.out"

from_vm='Typed in demo-vm: Grüße aus der VM, שלום, こんにちは'
from_desktop='Copied on the desktop: naïve café, مرحبا, 你好世界'

echo "copy $(printf '%s' "$from_vm" | base64 -w0)" >&7
desktop_has() { [[ "$(xclip -o -selection clipboard 2>/dev/null)" == "$1" ]]; }
wait_for 30 "the VM's text on the desktop clipboard" desktop_has "$from_vm"

printf '%s' "$from_desktop" | xclip -selection clipboard -i
sha=$(printf '%s' "$from_desktop" | sha256sum | cut -d' ' -f1)
wait_for 30 "the desktop's text in the demo-vm window" grep -q "^shown $sha " "$work/demo.out"
# the status line refreshes twice a second and JavaFX repaints after that: give both a moment
sleep 1.5

mkdir -p "$(dirname "$OUT")"
import -window root "$OUT"
echo "demo-screenshot.sh: wrote $OUT"

echo quit >&7
exec 7>&-
demo_pid=${pids[-1]}
wait_for 60 "the demo to quit" bash -c "! kill -0 $demo_pid"
