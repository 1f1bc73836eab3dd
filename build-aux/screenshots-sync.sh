#!/bin/bash
# Screenshots of signing in, the sync status and the conflicts dialog, in English and German, into
# data/screenshots/. Runs a buendnis-server on loopback and two profiles that edit the same
# section. Needs a built and installed tree (build-aux/screenshots.sh installs it), Xvfb, xdotool.
set -eu
cd "$(dirname "$0")/.."
out=data/screenshots
work=$(mktemp -d)
server=/usr/local/bin/buendnis-server
cli=/usr/local/bin/buendnis-cli
app=/usr/local/bin/buendnis
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$server" init --data "$work/server" >/dev/null
for user in anna ben; do
  "$server" add-user --data "$work/server" --org lk-heidekreis --role carrier $user
  echo "geheim-12345" | "$server" set-password --data "$work/server" $user
done
"$server" serve --data "$work/server" --listen 127.0.0.1:0 > "$work/server.log" &
server_pid=$!
sleep 1
url="http://127.0.0.1:$(head -n 1 "$work/server.log" | awk '{print $4}')"

for p in a b; do
  echo geheim-12345 | "$cli" --profile "$work/$p" login "$url" --user $([ $p = a ] && echo anna || echo ben) --token-file "$work/$p.token" >/dev/null
done
"$cli" --profile "$work/a" import tests/data/reference-sketch.bndsketch >/dev/null
"$cli" --profile "$work/a" sync >/dev/null
"$cli" --profile "$work/b" sync >/dev/null
"$cli" --profile "$work/a" edit 5b0c --section summary --text "Das Projekt „Welcome & Stay“ baut in Heidekreis, Celle und Uelzen eine gemeinsame Anlaufstelle für internationale Fachkräfte auf – mit Onboarding in den Betrieben."
"$cli" --profile "$work/b" edit 5b0c --section summary --text "Das Projekt „Welcome & Stay“ hilft kleinen und mittleren Unternehmen der Logistik und Pflege, internationale Fachkräfte zu gewinnen und zu halten."
"$cli" --profile "$work/a" sync >/dev/null
"$cli" --profile "$work/b" sync >/dev/null

shoot() {
  local lang=$1 name=$2 profile=$3; shift 3
  local home display
  home=$(mktemp -d)
  display=:$((100 + RANDOM % 800))
  mkdir -p "$home/glib-2.0/settings"
  printf "[de/fachkraefteallianz_non/Buendnis]\nlast-view='sketches'\nwindow-width=1100\nwindow-height=760\n" \
    > "$home/glib-2.0/settings/keyfile"
  Xvfb "$display" -screen 0 1100x760x24 >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY=$display XDG_CONFIG_HOME=$home GSETTINGS_BACKEND=keyfile LANGUAGE=$lang LANG=C.UTF-8 \
    dbus-run-session -- "$app" --profile "$profile" >/dev/null 2>&1 &
  local app_pid=$!
  sleep 4
  for step in "$@"; do
    case $step in
      click:*) c=${step#click:}; DISPLAY=$display xdotool mousemove "${c%,*}" "${c#*,}" click 1; sleep 2 ;;
      *) DISPLAY=$display xdotool key --clearmodifiers "$step"; sleep 2 ;;
    esac
  done
  DISPLAY=$display import -window root "$out/$name-$lang.png"
  kill $app_pid; sleep 0.5; kill $xvfb || true
  rm -rf "$home"
}

for lang in en de; do
  shoot $lang sign-in "$work/fresh-$lang" ctrl+comma
  shoot $lang sync-status "$work/a"
  shoot $lang conflicts "$work/b" click:104,27
done
echo "Screenshots in $out"
