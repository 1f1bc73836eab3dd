#!/bin/sh
# Bündnis set-up for Debian 12, as root or as a user with sudo.
#
#   build-aux/setup.sh run    install what is missing, build, install into /usr/local, start the app
#   build-aux/setup.sh test   install what is missing, build, run every test under Xvfb, then
#                             the core and server tests again in a second build with clang's
#                             AddressSanitizer and UndefinedBehaviorSanitizer, and each fuzz
#                             target of tests/fuzz for 30 s; the last line is "N passed, N failed"
#                             over both builds
#
# Both are idempotent: when nothing changed they only check and return.
set -eu

cd "$(dirname "$0")/.."
mode=${1:-}
builddir=${BUILDDIR:-_build}
sanitize_builddir=${SANITIZE_BUILDDIR:-_build-asan}

# The packages, one a line: the set (build: both commands; run: the app; test: the suite), the
# package, and for a need that tests/check-setup.py cannot find in a file of ours, "why:" and
# what needs it. That test fails when a package the build or the tests need is missing here.
package_table() {
  cat <<'EOF'
build meson
build ninja-build
build pkgconf
build gcc
build libc6-dev
build git
build libglib2.0-dev
build libglib2.0-dev-bin
build libglib2.0-bin
build libgtk-4-dev
build libadwaita-1-dev
build libjson-glib-dev
build libsqlite3-dev
build libpoppler-glib-dev
build libcairo2-dev
build libqpdf-dev
build libpango1.0-dev
build fonts-liberation2
build libsoup-3.0-dev
build libsodium-dev
build libsecret-1-dev
build libsystemd-dev
build libseccomp-dev
build libgnutls28-dev
build libcurl4-gnutls-dev
build libpq-dev
build libxlsxwriter-dev
build gettext
build itstool
build yelp-tools
build appstream
build desktop-file-utils
build gtk-update-icon-cache
build shared-mime-info
build librsvg2-common
build fonts-cantarell
run   yelp
test  xvfb
test  xauth
test  dbus-daemon
test  python3
test  python3-jsonschema
test  python3-openpyxl
test  xdotool
test  poppler-utils
test  qpdf
test  openssl
test  python3-aiosmtpd
test  gnome-keyring why: tests/test-keyring.py runs gnome-keyring-daemon as the Secret Service on a private bus
test  libsecret-tools why: tests/test-keyring.py reads the keyring with secret-tool
test  strace
test  procps
test  fontconfig
test  systemd
test  at-spi2-core
test  python3-gi
test  gir1.2-atspi-2.0 why: tests/apptest.py reads the app's accessibility tree through AT-SPI's typelib
test  clang-14
test  libclang-rt-14-dev
test  llvm-14
test  postgresql-15 why: tests/pgcluster.py runs the server suite on a private PostgreSQL cluster
test  postgresql-client-common
test  python3-psycopg2
EOF
}

case "$mode" in
  run|test) packages=$(package_table | awk -v mode="$mode" '$1 == "build" || $1 == mode { print $2 }') ;;
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

# The sanitizer build: only what its tests need is built (meson test builds their targets). Its
# tests run through tests/fuzz/sanitize-wrap.py, with leak checking on.
if [ ! -f "$sanitize_builddir/build.ninja" ]; then
  CC=clang-14 meson setup "$sanitize_builddir" --werror -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true ||
    echo "The sanitizer build could not be set up; its tests count as failed." >&2
fi
rm -f "$builddir/meson-logs/testlog.json" "$sanitize_builddir/meson-logs/testlog.json"

# Every test, the UI ones under a virtual display and a private session bus; then the core and
# server tests and the short fuzz runs in the sanitizer build.
set +e
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2
meson test -C "$sanitize_builddir" --print-errorlogs --num-processes 2 --suite core --suite server --suite fuzz
# The server suite once more with its data in PostgreSQL, on a private cluster stopped at the end.
rm -f "$builddir/meson-logs/testlog-postgresql.json"
if pghost=$(python3 tests/pgcluster.py start); then
  BUENDNIS_TEST_PGHOST=$pghost meson test -C "$builddir" --setup postgresql --suite server --print-errorlogs \
    --num-processes 2
  python3 tests/pgcluster.py stop "$pghost"
else
  echo "The PostgreSQL cluster could not be started; the server suite on PostgreSQL counts as failed." >&2
fi
set -e

python3 - "$builddir/meson-logs/testlog.json" "$sanitize_builddir/meson-logs/testlog.json" \
  "$builddir/meson-logs/testlog-postgresql.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        log = open(path)
    except OSError:
        print(f"{path}: no tests ran (the build failed?)")
        failed += 1
        continue
    with log:
        for line in log:
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
# The last line is the plain summary CI reads; tests skipped for their stated reason are counted
# on the line before.
if skipped:
    print(f"{skipped} skipped (each says why in its log)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
PY
