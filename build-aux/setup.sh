#!/bin/sh
# Bündnis set-up for Debian 12, as root or as a user with sudo.
#
#   build-aux/setup.sh run    install what is missing, build, install into /usr/local, start the app
#   build-aux/setup.sh test   install what is missing, build, run every test under Xvfb;
#                             the last line is "N passed, N failed"
#
# Both are idempotent: when nothing changed they only check and return.
set -eu

cd "$(dirname "$0")/.."
mode=${1:-}
builddir=${BUILDDIR:-_build}

common_packages="meson ninja-build pkg-config gcc libc6-dev git
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
  libsqlite3-dev libpoppler-glib-dev libcairo2-dev libpango1.0-dev fonts-liberation2
  libsoup-3.0-dev libsodium-dev libsecret-1-dev libsystemd-dev libgnutls28-dev glib-networking
  gettext itstool yelp-tools appstream desktop-file-utils
  adwaita-icon-theme librsvg2-common fonts-cantarell"
run_packages="yelp"
test_packages="xvfb xauth dbus dbus-x11 python3 python3-jsonschema xdotool poppler-utils openssl"

case "$mode" in
  run) packages="$common_packages $run_packages" ;;
  test) packages="$common_packages $test_packages" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=""
for package in $packages; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --werror --prefix=/usr/local
fi
meson compile -C "$builddir"

if [ "$mode" = run ]; then
  as_root meson install -C "$builddir" --quiet --only-changed
  exec /usr/local/bin/buendnis
fi

# Every test, the UI ones under a virtual display and a private session bus.
set +e
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2
set -e

python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
sys.exit(1 if failed or passed == 0 else 0)
PY
