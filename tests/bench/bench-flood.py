#!/usr/bin/python3
# Latency under a flood of idle connections, on demand: a real user signs in and syncs through
# buendnis-cli, and a new client asks for /healthz, first on an idle server, then while 1,500
# idle connections (tests/floods.py, reopened as the server closes them) hold every place of the
# default cap of 1000; prints the median, 90th percentile and worst time of each, and what the
# flood did. The server runs under systemd's default descriptor limit (soft 1,024), as the test
# test-flood does. Usage: bench-flood.py BUILD TOP
import os
import resource
import statistics
import sys
import tempfile
import time

build, top = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(top, "tests"))
from servertest import add_users, start, raise_open_files  # noqa: E402
from floods import IdleFlood, RealUser, served, percentile  # noqa: E402

SERVER = f"{build}/src/server/buendnis-server"
os.environ.setdefault("BUENDNIS_PDF_CHECK", f"{build}/src/server/pdf-check/buendnis-pdf-check")
CLI = f"{build}/src/cli/buendnis-cli"
REFERENCE = f"{top}/tests/data/reference-sketch.bndsketch"
PASSWORD = "geheim-12345"
ROUNDS = 10


def show(label, times):
    ms = [t * 1000 for t in times]
    print(f"  {label:<34} median {statistics.median(ms):7.0f} ms   p90 {percentile(ms, 0.9):7.0f} ms   "
          f"worst {max(ms):7.0f} ms")


def measure(user, port):
    first = {step: len(times) for step, times in user.timings.items()}
    healthz = []
    for _ in range(ROUNDS):
        if not user.round():
            print(f"  failed: {user.failures[-1]}")
        started = time.monotonic()
        if not served(port, timeout=60):
            print("  a new client was not served")
        healthz.append(time.monotonic() - started)
    show("sign-in (buendnis-cli login)", user.timings["login"][first["login"]:])
    show("sync (buendnis-cli sync)", user.timings["sync"][first["sync"]:])
    show("a new client, GET /healthz", healthz)


hard = raise_open_files()
with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier")}, PASSWORD)
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"],
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard)))
    user = RealUser(CLI, os.path.join(work, "profile"), f"http://127.0.0.1:{port}", "anna", PASSWORD, REFERENCE)
    try:
        user.round()
        print(f"== idle server, {ROUNDS} rounds")
        measure(user, port)
        flood = IdleFlood(1500)
        flood.start(port)
        time.sleep(2)
        print(f"== during {flood.name}, {ROUNDS} rounds")
        measure(user, port)
        print(f"  {flood.stop()}")
    finally:
        server.terminate()
        server.wait(timeout=10)
