#!/bin/sh
# Benchmarks, on demand: build-aux/setup.sh test first, then tests/bench/run.sh.
# They print figures; none of them is a pass/fail test.
set -eu
cd "$(dirname "$0")/../.."
builddir=${BUILDDIR:-_build}
ninja -C "$builddir" tests/bench/bench-pdf tests/bench/bench-fts >/dev/null
sketch=tests/data/reference-sketch.bndsketch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== PDF of the reference sketch (in process)"
"$builddir/tests/bench/bench-pdf" "$sketch"

echo "== buendnis-cli export-pdf, whole process (median of 20)"
cli_ms=$(python3 - "$builddir/src/cli/buendnis-cli" "$sketch" "$work" <<'PY'
import statistics, subprocess, sys, time
cli, sketch, work = sys.argv[1:]
times = []
for i in range(20):
    start = time.perf_counter()
    subprocess.run([cli, "--profile", work, "export-pdf", sketch, f"{work}/out.pdf"], check=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f}")
PY
)
echo "buendnis-cli export-pdf:              $cli_ms ms"

if command -v soffice >/dev/null 2>&1; then
  python3 -c "
import json,sys
s=json.load(open('$sketch'))
print(s['title']); [print('\n'+k+'\n'+v) for k,v in s['sections'].items()]" > "$work/sketch.txt"
  start=$(date +%s%N)
  soffice --headless --convert-to pdf --outdir "$work" "$work/sketch.txt" >/dev/null 2>&1
  lo_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "libreoffice --convert-to pdf:         $lo_ms ms"
  python3 -c "print(f'ratio LibreOffice / buendnis-cli:      {$lo_ms / $cli_ms:.1f}x  (target >= 20x)')"
else
  echo "LibreOffice is not installed: no comparison (apt-get install libreoffice-writer-nogui to measure it)"
fi

echo "== Full-text search"
"$builddir/tests/bench/bench-fts"

echo "== Start-up to the first painted frame (median of 5, Xvfb)"
python3 - "$builddir" <<'PY'
import os, statistics, subprocess, sys, tempfile
builddir = sys.argv[1]
times = []
for i in range(5):
    with tempfile.TemporaryDirectory() as profile:
        env = dict(os.environ, BND_BENCH_FIRST_FRAME="1", GSETTINGS_BACKEND="memory",
                   GSETTINGS_SCHEMA_DIR=f"{builddir}/data")
        out = subprocess.run(["xvfb-run", "-a", "dbus-run-session", "--", f"{builddir}/src/app/buendnis",
                              "--profile", profile], env=env, capture_output=True, text=True, timeout=60).stdout
        for line in out.splitlines():
            if line.startswith("first frame after"):
                times.append(float(line.split()[3]))
print(f"start-up to first frame:              {statistics.median(times):.0f} ms" if times else "no frame measured")
PY
