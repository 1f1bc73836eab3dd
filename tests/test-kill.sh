#!/bin/sh
# Typing through the real window, then SIGKILL 1.5 s later: nothing typed is lost.
# Starts its own Xvfb display; needs xvfb-run and xdotool.
set -eu

# A display of its own, so that no other test's window is found or focused.
if [ -z "${BND_KILL_TEST_DISPLAY:-}" ]; then
  BND_KILL_TEST_DISPLAY=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

: "${BUENDNIS:?}" "${BUENDNIS_CLI:?}" "${DISPLAY:?}"
profile=$(mktemp -d)
trap 'kill -9 $app 2>/dev/null || true; rm -rf "$profile"' EXIT

# A private session bus, so that no other instance answers for the app id.
dbus-run-session -- "$BUENDNIS" --profile "$profile" >"$profile/app.log" 2>&1 &
app=$!

window=""
for _ in $(seq 1 100); do
  window=$(xdotool search --onlyvisible --name '^Bündnis$' 2>/dev/null | head -n 1 || true)
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { echo "the window did not appear"; cat "$profile/app.log"; exit 1; }
sleep 1
xdotool windowfocus --sync "$window" || true

# A new sketch puts the focus into its title; type there as a user would.
xdotool key --window "$window" ctrl+n
sleep 2
xdotool type --window "$window" --delay 30 "Killtest 4711 Fachkraefte"

sleep 1.5
kill -9 "$(pgrep -P "$app" -f "$BUENDNIS" | head -n 1)" 2>/dev/null || kill -9 "$app"
wait "$app" 2>/dev/null || true

listing=$("$BUENDNIS_CLI" --profile "$profile" list)
echo "$listing"
id=$(echo "$listing" | grep 'Killtest 4711 Fachkraefte' | cut -c1-8)
[ -n "$id" ] || { echo "the typed title was lost"; cat "$profile/app.log"; exit 1; }
"$BUENDNIS_CLI" --profile "$profile" show "$id" | head -n 1 | grep -qx 'Killtest 4711 Fachkraefte'
echo "ok: the text typed 1.5 s before SIGKILL is in the store"
