#!/bin/sh
# F1 through the real window opens the help page of what it shows: a help handler of its own
# (x-scheme-handler/help, as Yelp registers it) writes down each URI the app asks to open, and
# each page named exists in help/C. Starts its own Xvfb display; needs xvfb-run and xdotool.
#   test-app-help.sh SOURCE_DIR
set -eu

if [ -z "${BND_HELP_TEST_DISPLAY:-}" ]; then
  BND_HELP_TEST_DISPLAY=1 exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

: "${BUENDNIS:?}" "${DISPLAY:?}"
top=$1
work=$(mktemp -d)
trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT

# The handler, found through the XDG directories of a home of its own
mkdir -p "$work/data/applications" "$work/config" "$work/profile"
cat > "$work/handler" <<HANDLER
#!/bin/sh
echo "\$1" >> "$work/uris"
HANDLER
chmod +x "$work/handler"
cat > "$work/data/applications/bnd-test-help.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Help handler of test-app-help
Exec=$work/handler %u
MimeType=x-scheme-handler/help;
NoDisplay=true
DESKTOP
printf '[Default Applications]\nx-scheme-handler/help=bnd-test-help.desktop\n' > "$work/config/mimeapps.list"

HOME=$work XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config GTK_USE_PORTAL=0 LANGUAGE=en \
  dbus-run-session -- "$BUENDNIS" --profile "$work/profile" >"$work/app.log" 2>&1 &
app=$!

window=""
for _ in $(seq 1 100); do
  window=$(xdotool search --onlyvisible --name '^Bündnis$' 2>/dev/null | head -n 1 || true)
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { echo "the window did not appear"; cat "$work/app.log"; exit 1; }
sleep 1
xdotool windowfocus --sync "$window" || true

# Each view, the sketch editor (Ctrl+N opens a new sketch), the preferences (Ctrl+,)
for keys in "alt+1 F1" "alt+3 F1" "alt+5 F1" "alt+6 F1" "ctrl+n F1" "alt+7 F1" "ctrl+comma F1"; do
  for key in $keys; do
    xdotool key --clearmodifiers "$key"
    sleep 1.5
  done
done
sleep 1

expected="help:buendnis/overview
help:buendnis/fields
help:buendnis/procedure
help:buendnis/sketches
help:buendnis/sketch-editor
help:buendnis/dossiers
help:buendnis/preferences"
got=$(cat "$work/uris" 2>/dev/null || true)
if [ "$got" != "$expected" ]; then
  printf 'F1 opened:\n%s\nexpected:\n%s\n' "$got" "$expected"
  cat "$work/app.log"
  exit 1
fi
for uri in $got; do
  [ -f "$top/help/C/${uri#help:buendnis/}.page" ] || { echo "$uri names no page of help/C"; exit 1; }
done
echo "ok: F1 opens the help page of each view, of the editor and of the preferences"
