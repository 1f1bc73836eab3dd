#!/usr/bin/python3
# Runs one test of the sanitizer build (meson's test setup "sanitize", tests/fuzz/meson.build)
# and fails it when any process it started reported a sanitizer error or a leak. The server and
# the programs a test starts write their reports to files here (log_path) rather than to a
# stderr that the test may not read, so nothing is missed because a test did not look.
#
#   sanitize-wrap.py PROGRAM ARG…
import glob
import os
import shutil
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory(prefix="bnd-sanitize-") as logs:
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        env[var] = ":".join(filter(None, [env.get(var, ""), f"log_path={logs}/report"]))
    # Readable stacks: function, file and line.
    symbolizer = shutil.which("llvm-symbolizer-14")
    if symbolizer:
        env.setdefault("ASAN_SYMBOLIZER_PATH", symbolizer)
        env.setdefault("UBSAN_SYMBOLIZER_PATH", symbolizer)
    status = subprocess.run(sys.argv[1:], env=env).returncode
    reports = []
    for path in sorted(glob.glob(os.path.join(logs, "report*"))):
        with open(path, errors="replace") as report:
            text = report.read()
        sys.stderr.write(f"# sanitizer report {os.path.basename(path)}:\n{text}\n")
        # LeakSanitizer cannot stop the threads of a process that is traced already (the
        # durability test runs the server under strace), and its tracer now and then fails in a
        # process with many threads: a process it could not check, not a finding.
        if text.strip() and not all(line.startswith(("==", "Tracer caught signal")) and
                                    ("LeakSanitizer has encountered a fatal error" in line or
                                     "HINT" in line or "Tracer caught" in line)
                                    for line in text.strip().splitlines()):
            reports.append(path)

if reports:
    print(f"# {len(reports)} sanitizer report(s) from the processes of this test", file=sys.stderr)
    sys.exit(status if status > 0 else 1)
sys.exit(status if status >= 0 else 128 - status)
