#!/bin/sh
# Server benchmarks, on demand, after the test command: sign-in latency during a flood of wrong
# sign-ins, throughput against a minimal SoupServer (wrk on loopback, 5 s each) and sync of
# 10,000 sketches. Prints figures; not a test.
set -eu
cd "$(dirname "$0")/../.."
builddir=${BUILDDIR:-_build}
python3 tests/bench/bench-signin.py "$builddir" "$PWD"
python3 tests/bench/bench-flood.py "$builddir" "$PWD"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
ninja -C "$builddir" tests/bench/bench-soup-minimal >/dev/null
python3 tests/bench/bench-server.py "$builddir" "$PWD"
