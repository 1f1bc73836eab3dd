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


def tracer_failure(text):
    """LeakSanitizer's own failure: it could not stop the threads of a process.

    It cannot stop a process that is traced already (the durability test runs the server under
    strace), and clang 14's tracer now and then dies of a segfault in a process whose threads
    are exiting. That is a process it could not check, not a finding."""
    lines = text.strip().splitlines()
    return bool(lines) and all(line.startswith(("==", "Tracer caught signal")) and
                               ("LeakSanitizer has encountered a fatal error" in line or
                                "HINT" in line or "Tracer caught" in line)
                               for line in lines)


def run_once():
    with tempfile.TemporaryDirectory(prefix="bnd-sanitize-") as logs:
        env = dict(os.environ)
        for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            env[var] = ":".join(filter(None, [env.get(var, ""), f"log_path={logs}/report"]))
        # Readable stacks: function, file and line.
        symbolizer = shutil.which("llvm-symbolizer-14")
        if symbolizer:
            env.setdefault("ASAN_SYMBOLIZER_PATH", symbolizer)
            env.setdefault("UBSAN_SYMBOLIZER_PATH", symbolizer)
        # The test's output (TAP) is held back until it is known whether this run counts, so
        # that a second run does not print a second plan.
        run = subprocess.run(sys.argv[1:], env=env, stdout=subprocess.PIPE)
        status = run.returncode
        reports, tracer_failures = [], 0
        for path in sorted(glob.glob(os.path.join(logs, "report*"))):
            with open(path, errors="replace") as report:
                text = report.read()
            sys.stderr.write(f"# sanitizer report {os.path.basename(path)}:\n{text}\n")
            if tracer_failure(text):
                tracer_failures += 1
            elif text.strip():
                reports.append(path)
        return status, reports, tracer_failures, run.stdout


status, reports, tracer_failures, output = run_once()
# The tracer's death ends its process with a failing status after main() returned, so a step
# that ran such a program fails although the program did its work. When that is the only thing
# wrong, run the test once more; a real failure fails the second run as well.
if status != 0 and not reports and tracer_failures:
    print(f"# LeakSanitizer's tracer failed in {tracer_failures} process(es) and the test failed: "
          "running it once more", file=sys.stderr)
    status, reports, tracer_failures, output = run_once()
sys.stdout.buffer.write(output)
sys.stdout.flush()
if reports:
    print(f"# {len(reports)} sanitizer report(s) from the processes of this test", file=sys.stderr)
    sys.exit(status if status > 0 else 1)
sys.exit(status if status >= 0 else 128 - status)
