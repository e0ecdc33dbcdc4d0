#!/usr/bin/env bash
# Renders the icon SVG sources to the PNGs committed as classpath resources of the icons module.
#
#   scripts/render-icons.sh            render every icons/src/main/svg/*.svg at every size
#   scripts/render-icons.sh --check    render to a temp dir and fail if the committed files differ
#   scripts/render-icons.sh --sheet    also write docs/icons-contact-sheet.png (light/dark panels)
#
# Needs rsvg-convert (Debian: librsvg2-bin); --sheet also needs montage (Debian: imagemagick).
# The sizes must match Icons.sizes() in org.xenclip.icons.Icons; IconsTest checks that they do.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/icons/src/main/svg"
out="$root/icons/src/main/resources/org/xenclip/icons"
sizes=(16 22 24 32 48 64 128 256)

check=false
sheet=false
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    --sheet) sheet=true ;;
    *) echo "render-icons.sh: unknown argument '$arg' (expected --check or --sheet)" >&2; exit 2 ;;
  esac
done

command -v rsvg-convert >/dev/null || { echo "render-icons.sh: rsvg-convert not found: apt-get install librsvg2-bin" >&2; exit 1; }

dest="$out"
if $check; then
  dest="$(mktemp -d)"
  trap 'rm -rf "$dest"' EXIT
fi

shopt -s nullglob
svgs=("$src"/*.svg)
[ ${#svgs[@]} -gt 0 ] || { echo "render-icons.sh: no SVG in $src" >&2; exit 1; }

mkdir -p "$dest/scalable"
for svg in "${svgs[@]}"; do
  name="$(basename "$svg" .svg)"
  cp "$svg" "$dest/scalable/$name.svg"
  for size in "${sizes[@]}"; do
    mkdir -p "$dest/$size"
    rsvg-convert --width "$size" --height "$size" --format png "$svg" --output "$dest/$size/$name.png"
  done
done

if $check; then
  # Byte equality holds for one librsvg version; another version may anti-alias differently.
  if diff -r "$out" "$dest" >/dev/null; then
    echo "render-icons.sh: committed icons match the sources ($(rsvg-convert --version))"
  else
    diff -rq "$out" "$dest" >&2 || true
    echo "render-icons.sh: committed icons differ from a fresh render: run scripts/render-icons.sh and commit" >&2
    exit 1
  fi
  exit 0
fi

echo "render-icons.sh: ${#svgs[@]} icons x ${#sizes[@]} sizes written to ${out#"$root"/} ($(rsvg-convert --version))"

if $sheet; then
  command -v montage >/dev/null || { echo "render-icons.sh: montage not found: apt-get install imagemagick" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  names=(); for svg in "${svgs[@]}"; do names+=("$(basename "$svg" .svg)"); done
  rows=()
  for bg in '#f2f2f2' '#2b2b2b' '#3c6db0'; do
    for size in 16 22 24 32 48; do
      row="$tmp/row-${bg#\#}-$size.png"
      montage -background "$bg" -geometry +3+3 -tile x1 \
        $(for n in "${names[@]}"; do echo "$out/$size/$n.png"; done) "$row"
      rows+=("$row")
    done
  done
  montage -background '#888888' -geometry +0+1 -gravity west -tile 1x "${rows[@]}" "$tmp/sheet.png"
  mkdir -p "$root/docs"
  # Point filter: each icon pixel becomes a 3x3 block, so 16 px detail stays visible.
  convert "$tmp/sheet.png" -filter point -resize 300% -strip "$root/docs/icons-contact-sheet.png"
  echo "render-icons.sh: contact sheet ${names[*]} -> docs/icons-contact-sheet.png"
fi
