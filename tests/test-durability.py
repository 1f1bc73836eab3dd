#!/usr/bin/python3
# What the server promises about an acknowledged write: it is on the disk (the WAL is flushed
# with fsync) before the answer leaves, so that it survives a power cut, not only a killed
# process. Watched from outside with strace on a real server. TAP output.
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, add_users  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
UUID = "5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10"
PASSWORD = "geheim-12345"

if os.environ.get("BUENDNIS_TEST_BACKEND") == "postgresql":
    # The write is committed before the answer on PostgreSQL as well; that the commit is on the
    # disk is the database server's promise (fsync, synchronous_commit), which the private test
    # cluster gives up for speed.
    print("1..0 # SKIP on PostgreSQL the commit's flush is the database server's")
    sys.exit(0)
if shutil.which("strace") is None or \
        subprocess.run(["strace", "-o", "/dev/null", "true"], capture_output=True).returncode != 0:
    print("1..0 # SKIP strace is missing or may not trace here")
    sys.exit(0)

with tempfile.TemporaryDirectory() as data:
    add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier")}, PASSWORD)
    trace = os.path.join(data, "trace.txt")
    # -y names the file behind each descriptor; only the syscalls that make data durable.
    server = subprocess.Popen(["strace", "-f", "-qq", "-y", "-e", "trace=fsync,fdatasync", "-o", trace,
                               SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().split()[-1])

        def wal_syncs():
            time.sleep(0.3)   # strace writes its line after the call returned
            return sum(1 for line in open(trace) if "-wal>" in line)

        status, payload = request(port, "GET", "/healthz")
        check("/healthz answers as before", status == 200 and payload["status"] == "ok")
        status, payload = request(port, "POST", "/api/v1/login", {"user": "anna", "password": PASSWORD})
        check("anna signs in", status == 200)
        token = payload["token"]
        before = wal_syncs()
        sketch = json.load(open(REFERENCE))
        status, payload = request(port, "PUT", f"/api/v1/sketches/{UUID}", sketch, token, {"If-Match": "0"})
        check("the carrier writes a sketch", status == 200 and payload["revision"] == 1)
        check("the acknowledged write was flushed to the disk (fsync of the WAL) before the answer",
              wal_syncs() > before)
        status, payload = request(port, "GET", "/healthz")
        check("/healthz still answers", status == 200 and payload["status"] == "ok")
    finally:
        # Stopping strace would leave the server running: stop the server, strace follows.
        for child in open(f"/proc/{server.pid}/task/{server.pid}/children").read().split():
            os.kill(int(child), 15)
        server.wait(timeout=10)

report()
