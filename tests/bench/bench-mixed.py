#!/usr/bin/python3
# The server under a realistic mixed load, on demand (tests/bench/run-server.sh): 100 clients poll
# GET /api/v1/changes, each with its own user's token and its own last sequence number, while 10
# carriers write their sketches (PUT, about five saves a second each) and submit one now and then
# (the server renders its PDF). Prints the latency of the polls and of the writes (p50, p99) and
# the polls per second, beside the same 100 pollers against the minimal SoupServer handler.
#
#   bench-mixed.py BUILD_DIR SOURCE_DIR [SECONDS]
import asyncio
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mixedload import run, start, figures, SAVES_PER_SECOND, SAVES_PER_SUBMIT  # noqa: E402

build, top = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
server_bin = f"{build}/src/server/buendnis-server"
minimal_bin = f"{build}/tests/bench/bench-soup-minimal"
os.environ.setdefault("BUENDNIS_PDF_CHECK", f"{build}/src/server/pdf-check/buendnis-pdf-check")
reference = json.load(open(f"{top}/tests/data/reference-sketch.bndsketch"))
POLLERS, WRITERS = 100, 10
ORGS = ["lk-celle", "lk-heidekreis", "lk-lueneburg", "lk-harburg", "lk-uelzen", "lk-luechow-dannenberg"]


with tempfile.TemporaryDirectory() as work:
    data = f"{work}/server"
    subprocess.run([server_bin, "init", "--data", data], check=True, capture_output=True)
    names = [f"poll{i}" for i in range(POLLERS)] + [f"write{i}" for i in range(WRITERS)]
    for i, name in enumerate(names):
        subprocess.run([server_bin, "add-user", "--data", data, "--org", ORGS[i % len(ORGS)], "--role", "carrier",
                        name], check=True, capture_output=True)
    # Each user's own token, stored as a sign-in stores it (its SHA-256): 110 password checks
    # would only measure Argon2.
    tokens = {name: uuid.uuid4().hex + uuid.uuid4().hex for name in names}
    db = sqlite3.connect(f"{data}/server.db")
    db.executemany("INSERT INTO tokens (hash, user, expires) VALUES (?, ?, ?)",
                   [(hashlib.sha256(token.encode()).hexdigest(), name, int(time.time()) + 86400)
                    for name, token in tokens.items()])
    db.commit()
    db.close()

    server, relay, port = start([server_bin, "serve", "--data", data, "--listen", "127.0.0.1:0"])
    try:
        polls, writes, statuses, took = asyncio.run(run(port, seconds, [(tokens[n], "", 0) for n in names[:POLLERS]],
                                                        [(tokens[n], "") for n in names[POLLERS:]], reference))
    finally:
        server.terminate()
        server.wait()
        relay.wait()
    minimal, minimal_relay, minimal_port = start([minimal_bin])
    try:
        minimal_polls, _, _, minimal_took = asyncio.run(run(minimal_port, seconds, [(None, "", 0)] * POLLERS, [], reference))
    finally:
        minimal.terminate()
        minimal.wait()
        minimal_relay.wait()

refused = {status: count for status, count in statuses.items() if status >= 300}
p50, p99 = figures(polls)
m50, m99 = figures(minimal_polls)
print(f"mixed load: {POLLERS} pollers with their own tokens, {WRITERS} writers ({SAVES_PER_SECOND} saves/s each, "
      f"a submit every {SAVES_PER_SUBMIT}), {seconds:.0f} s; the driver is Python on the same 2 cores")
print(f"polls beside writes vs minimal handler:   p50 {p50} vs {m50} ms, p99 {p99} vs {m99} ms, "
      f"{len(polls) / took:6.0f} vs {len(minimal_polls) / minimal_took:6.0f} polls/s")
for kind in ("put", "submit"):
    k50, k99 = figures(writes[kind])
    print(f"{kind:6} latency under the polls:          p50 {k50} ms, p99 {k99} ms ({len(writes[kind])} requests)")
print(f"answers other than 2xx: {refused or 'none'}")
