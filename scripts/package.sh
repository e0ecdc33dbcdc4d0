#!/usr/bin/env bash
# Builds the two Debian packages from the apps' runnable jars:
#   xenclip-host_<version>_amd64.deb   (dom0: tray app, menu entry, icons)
#   xenclip-guest_<version>_amd64.deb  (guests: agent, udev rule, user unit, autostart)
#
# Usually run by the build:  ./mvnw -B -Ppackage package   (debs land in dist/target/debs)
# Standalone, after ./mvnw -B package:  scripts/package.sh [--version V] [--out DIR] [--only host|guest]
#
# How (see docs/install.md, "How the packages are built"):
#   1. jdeps --print-module-deps on the jar (+ modules it cannot see) -> jlink a small runtime;
#   2. jpackage --type app-image: the native launcher, the jar and that runtime, in one tree;
#   3. the tree goes to /usr/lib/<pkg>, /usr/bin/<pkg> links to its launcher (the guest's is a script,
#      see guest_start_script), the desktop files,
#      icons, udev rule and unit go to their standard places;
#   4. Depends: computed from the ELF files (runtime, launcher and the natives inside the jar) like
#      dpkg-shlibdeps would, plus the libraries loaded by name at run time (declared in the control
#      template); dpkg-deb builds the .deb with files owned by root.
# jpackage's own deb type is not used: with --install-dir /usr its launcher asks dpkg where it is
# installed (so it cannot run from a 'dpkg -x' scratch root), and it cannot place files outside its
# install directory (/etc/xdg/autostart, /usr/lib/udev, ...), which we need.
#
# Needs: JDK 17 with jmods and jpackage (Debian: openjdk-17-jdk), dpkg-deb, readelf (binutils), unzip.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="${XENCLIP_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
version=""
out="$root/dist/target/debs"
only=""

while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

die() { echo "package.sh: $*" >&2; exit 1; }
log() { echo "package.sh: $*" >&2; }

for tool in "$jdk/bin/jlink" "$jdk/bin/jpackage" "$jdk/bin/jdeps"; do
  [ -x "$tool" ] || die "$tool not found: install openjdk-17-jdk or set XENCLIP_JDK to a JDK 17"
done
[ -d "$jdk/jmods" ] || die "$jdk/jmods missing: jlink needs the JDK's jmods (Debian: openjdk-17-jdk)"
for tool in dpkg-deb readelf unzip dpkg-query; do
  command -v "$tool" >/dev/null || die "$tool not found (Debian: dpkg, binutils, unzip)"
done

if [ -z "$version" ]; then
  # The parent pom's own <version>, the first one after </parent>-less header: good enough here.
  version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -1)"
  [ -n "$version" ] || die "cannot read the version from $root/pom.xml; pass --version"
fi
# Debian: a tilde sorts before the release, so 0.1.0~SNAPSHOT < 0.1.0.
deb_version="${version//-/\~}"
# jpackage wants 1-3 numeric components.
app_version="$(echo "$version" | grep -oE '^[0-9]+(\.[0-9]+){0,2}')"
arch="$(dpkg --print-architecture)"

work="$(mktemp -d "${TMPDIR:-/tmp}/xenclip-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

icons="$root/icons/src/main/resources/org/xenclip/icons"
debsrc="$root/dist/src/main/deb"
guest_dist="$root/guest-app/src/dist"

manifest_attr() { # jar attribute
  unzip -p "$1" META-INF/MANIFEST.MF | tr -d '\r' | sed -n "s/^$2: *//p" | head -1
}

# Runtime modules: what jdeps sees in the jar, plus what it cannot see (reflection, services,
# natives). jdk.unsupported: sun.misc.Unsafe for JavaFX, jnr-ffi and junixsocket; jdk.charsets:
# a desktop in a legacy locale; jdk.crypto.ec and jdk.zipfs: never needed, left out on purpose.
runtime_modules() { # jar extra-modules
  local deps
  deps="$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$1" 2>"$work/jdeps.err")" \
    || { cat "$work/jdeps.err" >&2; die "jdeps failed on $1"; }
  echo "$deps,$2" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -
}

# Debian package owning a shared library, found the way the dynamic linker would (ldconfig cache).
declare -A lib_pkg_cache=()
package_of_lib() { # soname
  local soname="$1" path pkg
  if [ -n "${lib_pkg_cache[$soname]+x}" ]; then echo "${lib_pkg_cache[$soname]}"; return; fi
  path="$(/sbin/ldconfig -p | awk -v s="$soname" '$1==s && /x86-64/ {print $NF; exit}')"
  pkg=""
  if [ -n "$path" ]; then
    path="$(readlink -f "$path")"
    # usrmerge: dpkg may know the file as /lib/... or /usr/lib/...
    pkg="$(dpkg-query -S "$path" 2>/dev/null || dpkg-query -S "${path#/usr}" 2>/dev/null || true)"
    pkg="${pkg%%:*}"
  fi
  lib_pkg_cache[$soname]="$pkg"
  echo "$pkg"
}

# Packages for the NEEDED entries of the x86-64 ELF files under $1 that the tree does not provide
# itself. Natives inside jars are checked too (JavaFX, jffi, junixsocket): those not for this
# platform are skipped, as the library loading them would skip them.
native_depends() { # tree jar
  local tree="$1" jar="$2" own needed f pkg missing=()
  local natives="$work/jar-natives"
  rm -rf "$natives" && mkdir -p "$natives"
  unzip -q -o "$jar" '*.so' -d "$natives" 2>/dev/null || true
  own="$(find "$tree" "$natives" -name '*.so*' -printf '%f\n' | sort -u)"
  while IFS= read -r f; do
    readelf -h "$f" 2>/dev/null | grep -q 'Advanced Micro Devices X86-64' || continue
    # GTK 2 glass is JavaFX's fallback for old desktops; we declare GTK 3.
    case "$f" in *libglassgtk2.so) continue ;; esac
    # Jars carry natives for other systems (jffi: FreeBSD, SunOS...; junixsocket: musl for Alpine).
    case "${f,,}" in *freebsd*|*openbsd*|*netbsd*|*dragonfly*|*sunos*|*solaris*|*darwin*|*musl*) continue ;; esac
    while IFS= read -r needed; do
      grep -qxF "$needed" <<<"$own" && continue
      pkg="$(package_of_lib "$needed")"
      if [ -z "$pkg" ]; then
        case "$f" in
          "$natives"/*) log "note: $needed (needed by ${f#"$natives"/} in the jar) is not installed here; not a dependency" ;;
          *) missing+=("$needed (needed by ${f#"$tree"/})") ;;
        esac
        continue
      fi
      echo "$pkg"
    done < <(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  done < <(find "$tree" "$natives" -type f \( -name '*.so*' -o -perm -u+x \))
  [ ${#missing[@]} -eq 0 ] || die "cannot find the Debian package of: ${missing[*]}"
}

# The Java libraries shaded into the jar, for the copyright file.
bundled_libraries() { # jar
  unzip -Z1 "$1" | { grep -E '^META-INF/maven/.*/pom.properties$' || true; } | while IFS= read -r p; do
    unzip -p "$1" "$p" | tr -d '\r' | awk -F= '/^groupId=/{g=$2} /^artifactId=/{a=$2} /^version=/{v=$2} END{print g ":" a ":" v}'
  done | sort -u
}

# /usr/bin/xenclip-guest: a shell script that runs the package's Java runtime with the same options
# as jpackage's .cfg. jpackage's own launcher (lib/xenclip-guest/bin/xenclip-guest, still shipped) runs
# 'rpm -qf', 'dpkg -S' and 'dpkg -L' at every start to find which package owns it: about 150 ms on the
# build machine from a dpkg -x root, more on a guest with a full dpkg database, against the agent's
# start-up target of 300 ms. The script costs a sh and a readlink.
guest_start_script() { # pkg main-class java-options...
  local pkg="$1" main="$2" o
  shift 2
  echo '#!/bin/sh'
  echo "# $pkg: starts the agent on the package's own Java runtime (made by scripts/package.sh)."
  echo "# Not jpackage's launcher in ../lib/$pkg/bin: that one asks rpm and dpkg which package owns it at"
  echo "# every start, which costs more than the agent's start-up budget. Same options as its .cfg."
  echo 'self=$(readlink -f "$0") || exit 1'
  echo "app=\${self%/bin/$pkg}/lib/$pkg"
  printf 'exec "$app/lib/runtime/bin/java"'
  for o in "$@"; do
    # the .cfg's APPDIR is lib/app
    printf ' "%s"' "${o//\$APPDIR/\$app/lib/app}"
  done
  printf ' -cp "$app/lib/app/%s.jar" %s "$@"\n' "$pkg" "$main"
}

install_file() { # mode source dest-in-stage
  [ -f "$2" ] || die "missing $2"
  install -D -m "$1" "$2" "$3"
}

build_package() { # app (host|guest)
  local app="$1" pkg="xenclip-$1"
  local jar="$root/$app-app/target/$pkg.jar"
  [ -f "$jar" ] || die "$jar missing: build it first (./mvnw -B package, or ./mvnw -B -Ppackage package)"
  local main
  main="$(manifest_attr "$jar" Main-Class)"
  [ -n "$main" ] || die "$jar has no Main-Class in its manifest"

  local extra java_opts=()
  case "$app" in
    host)
      extra="jdk.unsupported,jdk.charsets"
      # GTK 3 for both AWT and JavaFX: loading GTK 2 first (AWT) makes JavaFX fail; start FX first or pass -Djdk.gtk.version=3.
      # Heap and JIT sized for one app with 200 VMs: RSS about 130 MiB there (default heap: 384 MiB, a
      # quarter of the RAM as ceiling); the 160 MiB cap keeps even a full heap under the 300 MB target and
      # leaves room for a large text fanned out to many VMs. C1 only: less memory and no C2 compile storms
      # competing with the first copies. Numbers: docs/benchmarks/host.md.
      java_opts=(-Djdk.gtk.version=3 -Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
      ;;
    guest)
      extra="jdk.unsupported,jdk.charsets"
      # A small, mostly idle agent: the serial collector and C1 only start faster and stay smaller.
      # The AppCDS archive is made by postinst from the class list shipped in lib/app: JDK 17 only
      # uses an archive whose recorded class path is exactly the run's, so it cannot be made here.
      # Without the archive (dpkg -x, failed dump) -Xshare:auto starts normally; cds logging off so
      # a missing or stale archive never prints. See docs/benchmarks/guest-startup.md.
      # -Xms8m: the JVM's default first heap is 1/64 of the RAM, and the serial collector keeps every page
      # of a young generation that large once touched; a small start heap grows only when live data needs it.
      java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms8m -Xshare:auto
        -XX:SharedArchiveFile=/var/lib/xenclip-guest/xenclip-guest.jsa -Xlog:cds=off,cds+dynamic=off)
      ;;
  esac
  local modules
  modules="$(runtime_modules "$jar" "$extra")"
  log "$pkg: main class $main, runtime modules $modules"

  local w="$work/$app"
  mkdir -p "$w/input"
  cp "$jar" "$w/input/"
  # No sound and no splash screen: their natives would pull libasound2, libgif7, libjpeg and libpng
  # into Depends for nothing. --generate-cds-archive: the runtime's default CDS archive makes every
  # start faster; it runs the image's bin/java, so --strip-native-commands cannot go with it.
  "$jdk/bin/jlink" --add-modules "$modules" --output "$w/runtime" \
    --strip-debug --no-header-files --no-man-pages \
    --exclude-files '**/libjsound.so,**/libsplashscreen.so' \
    --generate-cds-archive >"$w/jlink.log" 2>&1 \
    || { cat "$w/jlink.log" >&2; die "jlink failed for $pkg"; }
  if [ "$app" = guest ]; then
    # The classes one run loads up to "watching" (on Xvfb, a pty as device): the AppCDS class list.
    command -v Xvfb >/dev/null || die "Xvfb not found (Debian: xvfb): needed for the guest's AppCDS training run"
    python3 "$root/scripts/bench-guest-startup.py" --train-classlist "$w/input/$pkg.classlist" \
      --java "$w/runtime/bin/java" --jar "$jar" >/dev/null \
      || die "the guest agent's training run failed (scripts/bench-guest-startup.py --train-classlist)"
    log "$pkg: AppCDS class list of $(wc -l <"$w/input/$pkg.classlist") classes"
    # jffi's native stub ships next to the jar: otherwise jffi extracts it from the jar into a temporary
    # file at every start (about 40 ms of the agent's start-up in a probe, and a write to /tmp each time).
    local jffi_dir=""
    case "$arch" in
      amd64) jffi_dir=x86_64-Linux ;;
      arm64) jffi_dir=aarch64-Linux ;;
    esac
    if [ -n "$jffi_dir" ] && unzip -l "$jar" "jni/$jffi_dir/libjffi-1.2.so" >/dev/null 2>&1; then
      unzip -q -j -o "$jar" "jni/$jffi_dir/libjffi-1.2.so" -d "$w/input/jni"
      java_opts+=('-Djffi.boot.library.path=$APPDIR/jni')
    else
      log "$pkg: no jffi stub for $arch in the jar; jffi extracts its own at start"
    fi
  fi
  local opts=()
  for o in "${java_opts[@]}"; do opts+=(--java-options "$o"); done
  "$jdk/bin/jpackage" --type app-image --dest "$w/image" --name "$pkg" \
    --app-version "$app_version" --vendor xenclip --description "$pkg" \
    --input "$w/input" --main-jar "$pkg.jar" --main-class "$main" \
    --runtime-image "$w/runtime" --icon "$icons/48/xenclip.png" "${opts[@]}"

  local stage="$w/stage"
  mkdir -p "$stage/usr/lib" "$stage/usr/bin"
  cp -a "$w/image/$pkg" "$stage/usr/lib/$pkg"
  if [ "$app" = guest ]; then
    guest_start_script "$pkg" "$main" "${java_opts[@]}" >"$stage/usr/bin/$pkg"
    chmod 0755 "$stage/usr/bin/$pkg"
  else
    ln -s "../lib/$pkg/bin/$pkg" "$stage/usr/bin/$pkg"
  fi

  local doc="$stage/usr/share/doc/$pkg"
  mkdir -p "$doc"
  sed "s|@PACKAGE@|$pkg|g" "$debsrc/copyright" >"$doc/copyright"
  bundled_libraries "$jar" >"$doc/bundled-libraries.txt"

  case "$app" in
    host)
      install_file 644 "$root/dist/src/main/linux/xenclip-host.desktop" \
        "$stage/usr/share/applications/xenclip-host.desktop"
      local size state
      for size in $(ls "$icons" | grep -E '^[0-9]+$' | sort -n); do
        install_file 644 "$icons/$size/xenclip.png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/xenclip.png"
        # Tray icons under theme names too, for trays that take an icon name (StatusNotifierItem).
        for state in idle syncing attention paused off; do
          install_file 644 "$icons/$size/tray-$state.png" \
            "$stage/usr/share/icons/hicolor/${size}x${size}/status/xenclip-tray-$state.png"
        done
      done
      install_file 644 "$icons/scalable/xenclip.svg" "$stage/usr/share/icons/hicolor/scalable/apps/xenclip.svg"
      for state in idle syncing attention paused off; do
        install_file 644 "$icons/scalable/tray-$state.svg" \
          "$stage/usr/share/icons/hicolor/scalable/status/xenclip-tray-$state.svg"
      done
      ;;
    guest)
      install_file 644 "$guest_dist/autostart/xenclip-guest.desktop" "$stage/etc/xdg/autostart/xenclip-guest.desktop"
      install_file 644 "$guest_dist/systemd/xenclip-guest.service" "$stage/usr/lib/systemd/user/xenclip-guest.service"
      install_file 644 "$guest_dist/udev/90-xenclip-channel.rules" "$stage/usr/lib/udev/rules.d/90-xenclip-channel.rules"
      # RUN+="xen-console-setup" in the rule: udev resolves a bare program name in /usr/lib/udev.
      install_file 755 "$guest_dist/bin/xen-console-setup" "$stage/usr/lib/udev/xen-console-setup"
      ;;
  esac

  # Debian modes: directories and executables 0755, everything else 0644 (the CDS archive comes 0444).
  find "$stage" -type d -exec chmod 0755 {} +
  find "$stage" -type f -perm /111 -exec chmod 0755 {} +
  find "$stage" -type f ! -perm /111 -exec chmod 0644 {} +

  # Control files.
  local control="$stage/DEBIAN"
  mkdir -p "$control"
  local depends
  depends="$(native_depends "$stage/usr/lib/$pkg" "$jar" | sort -u | paste -sd, - | sed 's/,/, /g')"
  local installed_size
  installed_size="$(du -k -s --apparent-size "$stage" | cut -f1)"
  sed -e "s|@VERSION@|$deb_version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
      -e "s|@NATIVE_DEPENDS@|$depends|" "$debsrc/$pkg/control" >"$control/control.in"
  # One entry per package in Depends, sorted, whatever the template and the scan both listed.
  local merged
  merged="$(sed -n 's/^Depends: *//p' "$control/control.in" | tr ',' '\n' | sed 's/^ *//; s/ *$//; /^$/d' \
    | sort -u | paste -sd, - | sed 's/,/, /g')"
  sed "s/^Depends: .*/Depends: $merged/" "$control/control.in" >"$control/control"
  rm "$control/control.in"
  local script
  for script in preinst postinst prerm postrm; do
    [ -f "$debsrc/$pkg/$script" ] && install -m 755 "$debsrc/$pkg/$script" "$control/$script"
  done
  # Everything under /etc is a configuration file (Debian policy 10.7.2).
  if [ -d "$stage/etc" ]; then
    (cd "$stage" && find etc -type f -printf '/%p\n' | sort) >"$control/conffiles"
  fi
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$control/md5sums"

  local deb="$out/${pkg}_${deb_version}_${arch}.deb"
  rm -f "$out/${pkg}"_*.deb
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
  log "$pkg: $(du -h "$deb" | cut -f1) $deb"
  log "$pkg: Depends: $(dpkg-deb -f "$deb" Depends)"
}

case "$only" in
  "") build_package host; build_package guest ;;
  host|guest) build_package "$only" ;;
  *) die "--only takes host or guest, not '$only'" ;;
esac
