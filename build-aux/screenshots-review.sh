#!/bin/bash
# Screenshots of the Dossiers view (My tasks, a dossier with its vote, a rating, the documents and
# the thread, the portfolio, the coordination's next step) in English and German, into
# data/screenshots/. Runs a buendnis-server on loopback with three dossiers
# (build-aux/review-demo.py) and signs in as a partner's seat and as the coordination.
# Needs a built and installed tree (build-aux/screenshots.sh installs it), Xvfb and xdotool.
set -eu
cd "$(dirname "$0")/.."
out=data/screenshots
work=$(mktemp -d)
server=/usr/local/bin/buendnis-server
cli=/usr/local/bin/buendnis-cli
app=/usr/local/bin/buendnis
mkfifo "$work/hold"
trap 'exec 3>&-; rm -rf "$work"' EXIT

python3 build-aux/review-demo.py "$work/server" "$server" "$cli" "$PWD" < "$work/hold" > "$work/url" &
exec 3> "$work/hold"
while [ ! -s "$work/url" ]; do sleep 0.5; done
url=$(cat "$work/url")

echo geheim-12345 | "$cli" --profile "$work/seat" login "$url" --user seat-hwk-bls \
  --token-file "$work/seat.token" >/dev/null
echo geheim-12345 | "$cli" --profile "$work/coordination" login "$url" --user clara \
  --token-file "$work/coordination.token" >/dev/null

shoot() {
  local lang=$1 name=$2; shift 2
  local home display
  home=$(mktemp -d)
  display=:$((100 + RANDOM % 800))
  mkdir -p "$home/glib-2.0/settings"
  printf "[de/fachkraefteallianz_non/Buendnis]\nlast-view='dossiers'\nwindow-width=1100\nwindow-height=760\n" \
    > "$home/glib-2.0/settings/keyfile"
  Xvfb "$display" -screen 0 1100x760x24 >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY=$display XDG_CONFIG_HOME=$home GSETTINGS_BACKEND=keyfile LANGUAGE=$lang LANG=C.UTF-8 \
    dbus-run-session -- "$app" --profile "$work/${profile:-seat}" >/dev/null 2>&1 &
  local app_pid=$!
  sleep 6
  for step in "$@"; do
    case $step in
      click:*) c=${step#click:}; DISPLAY=$display xdotool mousemove "${c%,*}" "${c#*,}" click 1; sleep 1.5 ;;
      scroll:*) for _ in $(seq "${step#scroll:}"); do DISPLAY=$display xdotool mousemove 700 500 click 5; done; sleep 1 ;;
      *) DISPLAY=$display xdotool key --clearmodifiers "$step"; sleep 1.5 ;;
    esac
  done
  DISPLAY=$display import -window root "$out/$name-$lang.png"
  kill $app_pid; sleep 0.5; kill $xvfb || true
  rm -rf "$home"
}

for lang in en de; do
  shoot $lang my-tasks
  shoot $lang vote click:120,264
  shoot $lang dossier click:120,264 scroll:15
  shoot $lang rating click:120,226
  shoot $lang portfolio click:120,114 scroll:8
  profile=coordination shoot $lang next-step click:120,186
done
echo "Screenshots in $out"
