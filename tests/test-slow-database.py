#!/usr/bin/python3
# A slow PostgreSQL holds up nobody else (issue 15: libpq's calls block, so they stay off the main
# context that serves requests). Another session holds the first alliance's write lock, as a long
# transaction of another server process would; writes to that alliance, and the mail scheduler's
# round, then wait on threads of their own, and meanwhile the same process answers the health
# check, the alliance's own reads, and everything of a second alliance, even with every worker of
# the first one waiting. When the lock goes, each waiting write is taken, once. An alliance added
# while the server runs is opened in a thread too: its first sign-in waits while its schema is
# locked, and everyone else is served meanwhile. Stopped while a write waits, the server takes
# no new client but answers that write before it exits. Nothing here is timed: a request that the waiting
# work held up would not come back before the lock is released, which the test does only after it
# has its answers (each request gives up after 30 s). TAP output.
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import add_users, check, report, request, sign_in, start  # noqa: E402
from proceduretest import users, ORGS, PASSWORD  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PACK = os.path.join(TOP, "data", "strategy", "nordostniedersachsen-2024-2027.json")
WEST_PASSWORD = PASSWORD + "-west"
# bnd-server-worker.c: the worker threads of one alliance
WORKERS = 4

if os.environ.get("BUENDNIS_TEST_BACKEND") != "postgresql":
    print("1..0 # SKIP on SQLite a request's database work runs in place; this is PostgreSQL's")
    sys.exit(0)

import psycopg2  # noqa: E402


def answered(*args, **kwargs):
    """request(), or (None, error) when it does not come back within its 30 s."""
    try:
        return request(*args, **kwargs)
    except OSError as error:
        return None, error


class Background(threading.Thread):
    def __init__(self, call):
        super().__init__(daemon=True)
        self.call = call
        self.result = None
        self.start()

    def run(self):
        self.result = self.call()


def waiting_for_lock(cursor, count, kind="advisory"):
    """Whether @count sessions wait for a lock of @kind, within 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        cursor.execute("SELECT count (*) FROM pg_locks WHERE locktype = %s AND NOT granted", (kind,))
        if cursor.fetchone()[0] >= count:
            return True
        time.sleep(0.05)
    return False


with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as work:
    accounts = {name: account for name, account in users().items() if name in ("anna", "clara", "root")}
    add_users(SERVER, data, accounts, PASSWORD, ORGS)
    pack = json.load(open(PACK))
    pack["id"], pack["alliance"]["name"] = "west-2025-2028", "Fachkräftebündnis West (Test)"
    pack_path = os.path.join(work, "west.json")
    json.dump(pack, open(pack_path, "w"), ensure_ascii=False)
    subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", pack_path, "--coordinator", "clara",
                    "--org", "ihk-lw", "west"], input=WEST_PASSWORD + "\n", capture_output=True, text=True,
                   check=True)
    add_users(SERVER, os.path.join(data, "alliances", "west"), {"anna": accounts["anna"]}, WEST_PASSWORD)
    sketch = json.load(open(REFERENCE))

    # The scheduler claims from the outbox every second, in a write transaction: nothing listens
    # at its SMTP address, and nothing is sent.
    config = os.path.join(work, "server.conf")
    with open(config, "w") as f:
        f.write(f"[server]\ndata = {data}\n\n[mail]\nenabled = true\nsmtp-url = smtp://127.0.0.1:9\n"
                "smtp-from = Bündnis <buendnis@example.org>\ninterval = 1\n")
    server, port = start(SERVER, ["--config", config, "--listen", "127.0.0.1:0"])
    locker = psycopg2.connect(open(os.path.join(data, "database")).read().strip())
    locker.autocommit = True
    watcher = locker.cursor()
    try:
        anna = sign_in(port, ["anna"], PASSWORD)["anna"]
        west = sign_in(port, ["anna"], WEST_PASSWORD, "/a/west")["anna"]

        def put(prefix, token, uuid, revision, title):
            return answered(port, "PUT", f"{prefix}/api/v1/sketches/{uuid}", dict(sketch, uuid=uuid, title=title),
                            token, {"If-Match": str(revision)})

        first = [str(uuidlib.uuid4()) for _ in range(WORKERS + 1)]
        for uuid in first:
            put("", anna, uuid, 0, "Entwurf")
        status, _ = put("", anna, first[0], 1, "vor der Sperre")
        check("before the lock, a write to the first alliance is taken at once", status == 200)

        # The first alliance's schema is the database's public one (BND_PG_WRITE_LOCK).
        locker.cursor().execute("SELECT pg_advisory_lock (4243, hashtext ('public'))")
        held = Background(lambda: put("", anna, first[0], 2, "nach der Sperre"))
        check("a write to the first alliance now waits for the lock", waiting_for_lock(watcher, 1))
        check("and so does the mail scheduler's next round", waiting_for_lock(watcher, 2))

        status, payload = answered(port, "GET", "/healthz")
        check("meanwhile the process answers the health check", status == 200 and payload.get("status") == "ok")
        status, payload = answered(port, "GET", "/api/v1/changes?since=0", token=anna)
        check("and the first alliance's reads", status == 200 and
              any(change.get("uuid") == first[0] for change in payload.get("changes", [])))
        status, payload = answered(port, "GET", f"/api/v1/sketches/{first[0]}", token=anna)
        check("which see the last write before the lock", status == 200 and
              payload.get("data", {}).get("title") == "vor der Sperre")
        uuid = str(uuidlib.uuid4())
        status, _ = put("/a/west", west, uuid, 0, "im Westen")
        check("and a write to the second alliance", status == 200)
        check("while the first write still waits", held.is_alive())

        # Every worker of the first alliance waits, and one more write is queued behind them.
        others = [Background(lambda uuid=uuid: put("", anna, uuid, 1, "gestaut")) for uuid in first[1:]]
        check(f"{WORKERS} writes to the first alliance wait for the lock at once",
              waiting_for_lock(watcher, WORKERS + 1))
        status, _ = answered(port, "POST", "/a/west/api/v1/login", {"user": "anna", "password": WEST_PASSWORD})
        check("with all of them waiting, the second alliance signs in", status == 200)
        status, payload = answered(port, "GET", "/a/west/api/v1/changes?since=0", token=west)
        check("reads", status == 200 and any(change.get("uuid") == uuid for change in payload.get("changes", [])))
        status, _ = put("/a/west", west, uuid, 1, "wieder im Westen")
        check("and writes", status == 200)
        status, _ = answered(port, "GET", "/healthz")
        check("and the health check is answered", status == 200)
        check("while the first alliance's writes still wait", held.is_alive() and all(o.is_alive() for o in others))

        locker.cursor().execute("SELECT pg_advisory_unlock (4243, hashtext ('public'))")
        for thread in [held, *others]:
            thread.join(60)
        check("once the lock is released, the waiting write is taken", held.result and held.result[0] == 200)
        check("and so is each write that waited behind it", all(o.result and o.result[0] == 200 for o in others))
        status, payload = answered(port, "GET", f"/api/v1/sketches/{first[0]}", token=anna)
        check("each once: the revision counts one write", status == 200 and payload.get("revision") == 3 and
              payload.get("data", {}).get("title") == "nach der Sperre")
        status, _ = put("", anna, first[0], 3, "danach")
        check("and the alliance takes writes at once again", status == 200)

        # An alliance added now is opened at its first request; its schema is locked meanwhile,
        # as a long migration or a restore would lock it.
        subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", pack_path, "--coordinator", "clara",
                        "--org", "ihk-lw", "ost"], input=WEST_PASSWORD + "\n", capture_output=True, text=True,
                       check=True)
        blocker = psycopg2.connect(open(os.path.join(data, "database")).read().strip())
        blocker.cursor().execute("LOCK TABLE alliance_ost.schema_version IN ACCESS EXCLUSIVE MODE")
        opening = Background(lambda: answered(port, "POST", "/a/ost/api/v1/login",
                                              {"user": "clara", "password": WEST_PASSWORD}))
        check("opening an alliance added since the start waits for its locked schema",
              waiting_for_lock(watcher, 1, "relation") and opening.is_alive())
        status, _ = answered(port, "GET", "/healthz")
        west_status, _ = answered(port, "GET", "/a/west/api/v1/changes?since=0", token=west)
        first_status, _ = answered(port, "GET", "/api/v1/changes?since=0", token=anna)
        check("meanwhile the process serves the others", (status, west_status, first_status) == (200, 200, 200))
        check("while the sign-in to the new alliance waits", opening.is_alive())
        blocker.rollback()
        blocker.close()
        opening.join(60)
        check("once the schema is free, the alliance opens and the sign-in is answered",
              opening.result and opening.result[0] == 200 and "token" in opening.result[1])

        # A stop while a write waits: no new client, but that write's answer before the exit.
        locker.cursor().execute("SELECT pg_advisory_lock (4243, hashtext ('public'))")
        last = Background(lambda: put("", anna, first[0], 4, "beim Anhalten"))
        check("a write waits for the lock again", waiting_for_lock(watcher, 1))
        server.terminate()
        deadline, refused = time.monotonic() + 30, False
        while not refused and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                time.sleep(0.05)
            except (ConnectionRefusedError, ConnectionResetError):
                refused = True
        check("stopped, the server takes no new client", refused)
        check("while the waiting write is still under way", last.is_alive() and server.poll() is None)
        locker.cursor().execute("SELECT pg_advisory_unlock (4243, hashtext ('public'))")
        last.join(60)
        check("and answers it before it exits", last.result and last.result[0] == 200)
        check("then it exits", server.wait(timeout=30) == 0)
    finally:
        locker.close()
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)

report()
