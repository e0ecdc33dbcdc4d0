#!/usr/bin/env bash
# Screenshots of the host app's window and tray menus on made-up VMs (org.xenclip.host.ui.UiDemo, test
# sources), each under its own Xvfb, written to docs/screenshots/:
#   window.png, settings.png   no tray at all: the window is the UI
#   tray-xembed.png            AWT's XEmbed tray icon in trayer, its menu and one VM's submenu
#   tray-sni.png               the StatusNotifierItem in gtk-sni-tray-standalone, menu from dbusmenu
# Run by hand from anywhere: scripts/screenshots.sh. Not part of the test suite.
# Debian packages: xvfb x11-utils xdotool imagemagick trayer haskell-gtk-sni-tray-utils dbus libgtk-3-0
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/docs/screenshots"
SCREEN_W=1280
SCREEN_H=800

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "screenshots.sh: '$1' not found: apt-get install $2" >&2; exit 1; }
}

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            echo "screenshots.sh: timed out after ${seconds}s waiting for $what" >&2
            return 1
        fi
        sleep 0.2
    done
}

# Takes a window's picture once it is more than a blank rectangle (a PNG of one colour is tiny).
shoot_window() {
    local win=$1 file=$2 deadline=$((SECONDS + 30))
    sleep 1
    while :; do
        import -window "$win" "$file"
        if (($(stat -c %s "$file") > 20000)) || ((SECONDS >= deadline)); then
            return 0
        fi
        sleep 1
    done
}

# One scenario, run inside its own D-Bus session (dbus-run-session) and its own Xvfb.
scenario() {
    local name=$1
    work=$(mktemp -d)
    pids=()
    # stop in reverse order: the app before its tray host, the X server last (GTK dies hard without X)
    trap 'for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; sleep 0.5; done
          rm -rf "${work:-/nonexistent}"' EXIT

    Xvfb -displayfd 3 -screen 0 "${SCREEN_W}x${SCREEN_H}x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
    pids+=($!)
    wait_for 10 "Xvfb to start" test -s "$work/display"
    export DISPLAY=":$(head -n1 "$work/display")"
    export NO_AT_BRIDGE=1
    xsetroot -solid '#1e2a30' 2>/dev/null || true

    local demo=(java -XX:ErrorFile="$work/hs_err_%p.log" -cp "$CP" org.xenclip.host.ui.UiDemo)
    case "$name" in
    window)
        "${demo[@]}" >"$work/demo.log" 2>&1 &
        pids+=($!)
        wait_for 60 "the xenclip window" xdotool search --onlyvisible --name '^xenclip$'
        local win
        win=$(xdotool search --onlyvisible --name '^xenclip$' | head -n1)
        # JavaFX paints the first frame a while after mapping the window: retry until it has content
        shoot_window "$win" "$OUT/window.png"
        # the Settings tab, second tab at the top left of the window
        xdotool mousemove --window "$win" 80 62 click 1
        sleep 1
        shoot_window "$win" "$OUT/settings.png"
        ;;
    xembed)
        trayer --edge top --align right --widthtype pixel --width 120 --height 32 --SetDockType true \
            --transparent true --alpha 0 --tint 0x263238 >"$work/trayer.log" 2>&1 &
        pids+=($!)
        wait_for 10 "trayer" xdotool search --name '^panel$'
        "${demo[@]}" >"$work/demo.log" 2>&1 &
        pids+=($!)
        wait_for 60 "the AWT tray icon in trayer" xdotool search --name '^JavaEmbeddedFrame$'
        sleep 1.5
        local icon X Y WIDTH HEIGHT
        icon=$(xdotool search --name '^JavaEmbeddedFrame$' | head -n1)
        eval "$(xdotool getwindowgeometry --shell "$icon")"
        # right click opens the popup; leave the icon at once so that its tooltip stays away
        xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2)) click 3 mousemove $((X - 200)) $((Y + 300))
        wait_for 10 "the AWT popup menu" xdotool search --name 'XPopupMenuPeer'
        local popup
        popup=$(xdotool search --name 'XPopupMenuPeer' | head -n1)
        eval "$(xdotool getwindowgeometry --shell "$popup")"
        # the fifth VM entry ("work"), each AWT menu row is 19 px high
        xdotool mousemove $((X + 120)) $((Y + 11 + 4 * 19)) click 1
        sleep 1.5
        import -window root "$work/root.png"
        convert "$work/root.png" -crop 760x300+$((SCREEN_W - 760))+0 +repage "$OUT/tray-xembed.png"
        ;;
    sni)
        gtk-sni-tray-standalone --watcher --top --end --size 32 >"$work/sni.log" 2>&1 &
        pids+=($!)
        wait_for 20 "the StatusNotifierWatcher" dbus-send --session --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.GetNameOwner string:org.kde.StatusNotifierWatcher
        "${demo[@]}" >"$work/demo.log" 2>&1 &
        pids+=($!)
        wait_for 60 "the app to register its StatusNotifierItem" grep -q 'tray: using StatusNotifierItem' "$work/demo.log"
        sleep 2
        # the icon sits at the right end of the bar; the host builds the menu from our dbusmenu
        xdotool mousemove $((SCREEN_W - 17)) 16 click 3 mousemove $((SCREEN_W - 300)) 48
        sleep 1.5
        import -window root "$work/root.png"
        convert "$work/root.png" -crop 760x280+$((SCREEN_W - 760))+0 +repage "$OUT/tray-sni.png"
        ;;
    esac
    echo "screenshots.sh: $name done"
}

if [[ "${1:-}" == "--scenario" ]]; then
    scenario "$2"
    exit 0
fi

need Xvfb xvfb
need xwininfo x11-utils
need xdotool xdotool
need import imagemagick
need convert imagemagick
need trayer trayer
need gtk-sni-tray-standalone haskell-gtk-sni-tray-utils
need dbus-run-session dbus
need dbus-send dbus

cd "$ROOT"
./mvnw -B -q -pl host-app -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
# XENCLIP_EXTRA_CP: more classpath entries first, e.g. icons rendered on another branch
export CP="${XENCLIP_EXTRA_CP:+$XENCLIP_EXTRA_CP:}$ROOT/host-app/target/test-classes:$ROOT/host-app/target/classes:$(cat "$ROOT/host-app/target/classpath.txt")"
mkdir -p "$OUT"
for name in window xembed sni; do
    dbus-run-session -- "$0" --scenario "$name"
done
ls -l "$OUT"
