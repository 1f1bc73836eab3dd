#!/bin/sh
# Server benchmarks, on demand, after a build (meson compile -C _build): sign-in latency during a
# flood of wrong sign-ins, throughput against a minimal SoupServer (wrk on loopback), sync of
# 10,000 sketches, and a mixed load of polls and writes beside the minimal handler. Prints
# figures; not a test. wrk is a benchmark's tool only: it is not in build-aux/setup.sh.
set -eu
cd "$(dirname "$0")/../.."
builddir=${BUILDDIR:-_build}
command -v wrk >/dev/null || { echo "run-server.sh needs wrk, the HTTP benchmark tool: apt-get install wrk" >&2; exit 1; }
# The server of the build directory checks uploaded PDFs with the helper built beside it, not
# the installed one (which a fresh build does not have).
BUENDNIS_PDF_CHECK=$PWD/$builddir/src/server/pdf-check/buendnis-pdf-check
export BUENDNIS_PDF_CHECK
ninja -C "$builddir" src/server/buendnis-server src/server/pdf-check/buendnis-pdf-check src/cli/buendnis-cli \
  tests/bench/bench-soup-minimal >/dev/null
python3 tests/bench/bench-signin.py "$builddir" "$PWD"
python3 tests/bench/bench-flood.py "$builddir" "$PWD"
python3 tests/bench/bench-server.py "$builddir" "$PWD"
python3 tests/bench/bench-mixed.py "$builddir" "$PWD"
# Several alliances, PostgreSQL beside SQLite (the packages of the test command: postgresql-15 and
# Debian's python3-psycopg2, hence Debian's python3)
/usr/bin/python3 tests/bench/bench-alliances.py "$builddir" "$PWD"
