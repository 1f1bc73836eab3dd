#!/bin/bash
# Takes the README's screenshots of every view, in English and German, into data/screenshots/.
# Needs a built tree (build-aux/setup.sh test), Xvfb, xdotool and ImageMagick's import.
set -eu
cd "$(dirname "$0")/.."
builddir=${BUILDDIR:-_build}
out=data/screenshots
mkdir -p "$out"

# Installed, so that the German catalogue and the icons are found.
if [ "$(id -u)" = 0 ]; then meson install -C "$builddir" --quiet --only-changed; else sudo meson install -C "$builddir" --quiet --only-changed; fi
app=/usr/local/bin/buendnis
cli=/usr/local/bin/buendnis-cli

shoot() {
  local lang=$1 name=$2 view=$3 area=$4; shift 4
  local home display
  home=$(mktemp -d)
  # A profile with the reference sketch, for the Sketches view
  "$cli" --profile "$home/profile" import tests/data/reference-sketch.bndsketch >/dev/null
  display=:$((100 + RANDOM % 800))
  mkdir -p "$home/glib-2.0/settings"
  cat > "$home/glib-2.0/settings/keyfile" <<KEYFILE
[de/fachkraefteallianz_non/Buendnis]
last-view='$view'
region-area='$area'
window-width=1100
window-height=760
KEYFILE
  Xvfb "$display" -screen 0 1100x760x24 >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY=$display XDG_CONFIG_HOME=$home GSETTINGS_BACKEND=keyfile \
    LANGUAGE=$lang LANG=C.UTF-8 dbus-run-session -- "$app" --profile "$home/profile" >/dev/null 2>&1 &
  local app_pid=$!
  sleep 3
  for step in "$@"; do
    case $step in
      type:*) DISPLAY=$display xdotool type --delay 40 "${step#type:}"; sleep 1 ;;
      click:*) c=${step#click:}; DISPLAY=$display xdotool mousemove "${c%,*}" "${c#*,}" click 1; sleep 2 ;;
      *) DISPLAY=$display xdotool key --clearmodifiers "$step"; sleep 1 ;;
    esac
  done
  sleep 1
  DISPLAY=$display import -window root "$out/$name-$lang.png"
  kill $app_pid; sleep 0.5; kill $xvfb || true
  rm -rf "$home"
}

for lang in en de; do
  shoot $lang overview overview region
  shoot $lang goals goals region
  shoot $lang goal goals region ctrl+f "type:potenziale nutzen" Return
  shoot $lang fields fields region
  shoot $lang region region celle
  shoot $lang region-whole region region
  shoot $lang procedure procedure region
  shoot $lang search overview region ctrl+f "type:Ausbildung"
  shoot $lang sketches sketches region
  shoot $lang editor sketches region click:400,137
done
echo "Screenshots in $out"
