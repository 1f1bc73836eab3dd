#!/usr/bin/python3
# The mixed load of bench-mixed.py on a service of 20 alliances with 1,000 dossiers each, on
# SQLite and on PostgreSQL (a private cluster, tests/pgcluster.py), side by side. Every alliance
# has 1,000 submitted dossiers. First one partner's first sync of one alliance (every dossier,
# page by page), alone; then the steady load: in each alliance 5 partners poll GET /changes with
# their own tokens from where their last sync ended (100 in all) while a carrier writes and submits
# sketches (20 in all). Then the same load on the 19 other alliances while another session holds
# the first alliance's write lock and four of its saves wait for it (a long transaction of another
# process, a migration's lock): what one alliance's slow database costs the others. Prints the
# figures of both backends and their ratio. On demand (tests/bench/run-server.sh); not a test.
#
#   bench-alliances.py BUILD_DIR SOURCE_DIR [SECONDS]
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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mixedload import Client, run, start, figures, FAKE_PDF  # noqa: E402

build, top = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
server_bin = f"{build}/src/server/buendnis-server"
os.environ.setdefault("BUENDNIS_PDF_CHECK", f"{build}/src/server/pdf-check/buendnis-pdf-check")
reference = json.load(open(f"{top}/tests/data/reference-sketch.bndsketch"))
PACK = f"{top}/data/strategy/nordostniedersachsen-2024-2027.json"
ALLIANCES, DOSSIERS, POLLERS_EACH = 20, 1000, 5
SEATS = ["ihk-lw", "hwk-bls", "agv-lueneburg", "dgb-non", "leuphana"]


def connect(folder):
    """A DB-API connection to an alliance's database, and its parameter mark."""
    url_file = os.path.join(folder, "database")
    if os.path.exists(url_file):
        import psycopg2
        return psycopg2.connect(open(url_file).read().strip()), "%s"
    return sqlite3.connect(os.path.join(folder, "server.db")), "?"


def populate(folder, users, template_uuid):
    """Tokens for @users, stored as a sign-in stores them; the submitted dossier @template_uuid
    copied to 1,000 (its record and submission: the feed and the portfolio read those)."""
    db, mark = connect(folder)
    cursor = db.cursor()
    tokens = {name: uuid.uuid4().hex + uuid.uuid4().hex for name in users}
    cursor.executemany(f'INSERT INTO tokens (hash, "user", expires) VALUES ({mark}, {mark}, {mark})',
                       [(hashlib.sha256(token.encode()).hexdigest(), name, int(time.time()) + 86400)
                        for name, token in tokens.items()])
    cursor.execute(f"SELECT kind, org, stage, revision, data, updated_by, updated FROM records WHERE uuid = {mark}",
                   (template_uuid,))
    record = cursor.fetchone()
    cursor.execute(f"SELECT pdf, sha256, submitted_by, submitted, data FROM submissions WHERE uuid = {mark}",
                   (template_uuid,))
    submission = cursor.fetchone()
    cursor.execute("SELECT max(seq) FROM records")
    seq = cursor.fetchone()[0]
    populate.last_seq = seq + DOSSIERS - 1
    copies = [f"{n:08x}-0000-4000-8000-{n:012x}" for n in range(1, DOSSIERS)]
    marks = ", ".join([mark] * 8)
    cursor.executemany(f"INSERT INTO records (uuid, kind, org, stage, revision, data, updated_by, updated, seq) "
                       f"VALUES ({marks}, {mark})", [(u, *record, seq + i + 1) for i, u in enumerate(copies)])
    marks = ", ".join([mark] * 7)
    cursor.executemany(f"INSERT INTO submissions (uuid, n, pdf, sha256, submitted_by, submitted, data) "
                       f"VALUES ({marks})", [(u, 1, *submission) for u in copies])
    db.commit()
    db.close()
    return tokens


def hold_write_lock(folder):
    """Takes the write lock of the alliance in @folder as another process would; returns what
    releases it."""
    db, _ = connect(folder)
    if isinstance(db, sqlite3.Connection):
        db.isolation_level = None
        db.execute("BEGIN IMMEDIATE")
    else:
        db.autocommit = True
        db.cursor().execute("SELECT pg_advisory_lock (4243, hashtext ('public'))")
    return db.close


def waiting_saves(port, token, count):
    """@count threads that save to the first alliance until stopped; returns the stop."""
    import threading
    import urllib.request

    stopped = threading.Event()

    def save():
        while not stopped.is_set():
            sketch = dict(reference, uuid=str(uuid.uuid4()))
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/sketches/{sketch['uuid']}",
                                             json.dumps(sketch).encode(), method="PUT",
                                             headers={"Authorization": f"Bearer {token}", "If-Match": "0"})
            try:
                urllib.request.urlopen(request, timeout=120).read()
            except Exception:
                pass
    threads = [threading.Thread(target=save, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()

    def stop():
        stopped.set()
        for thread in threads:
            thread.join()
    return stop


def measure(backend, work, pghost):
    data = f"{work}/{backend}"
    args = []
    if backend == "postgresql":
        subprocess.run(["psql", "-h", pghost, "-U", "buendnis", "-d", "postgres", "-qc", "CREATE DATABASE bench"],
                       check=True, capture_output=True)
        args = ["--database", f"postgresql://buendnis@/bench?host={pghost}"]
    subprocess.run([server_bin, "init", "--data", data, *args], check=True, capture_output=True)
    pack = json.load(open(PACK))
    slugs = [None] + [f"b{i:02d}" for i in range(1, ALLIANCES)]
    folders = {}
    for slug in slugs:
        if slug is None:
            folders[slug] = data
            continue
        pack["id"] = f"bench-{slug}"
        path = f"{work}/{slug}.json"
        json.dump(pack, open(path, "w"), ensure_ascii=False)
        subprocess.run([server_bin, "add-alliance", "--data", data, "--strategy", path, slug],
                       check=True, capture_output=True)
        folders[slug] = f"{data}/alliances/{slug}"
    for folder in folders.values():
        for seat in SEATS:
            subprocess.run([server_bin, "add-user", "--data", folder, "--org", seat, "--role", "partner",
                            f"seat-{seat}"], check=True, capture_output=True)
        subprocess.run([server_bin, "add-user", "--data", folder, "--org", "lk-uelzen", "--role", "carrier",
                        "writer"], check=True, capture_output=True)
        subprocess.run([server_bin, "set-password", "--data", folder, "writer"], input="geheim-12345\n",
                       check=True, capture_output=True, text=True)

    # One dossier submitted through the API in each alliance, then copied.
    server, relay, port = start([server_bin, "serve", "--data", data, "--listen", "127.0.0.1:0"])
    try:
        templates = {}

        async def submit_one(slug):
            prefix = f"/a/{slug}" if slug else ""
            client = Client(port)
            status, body = await client.request("POST", f"{prefix}/api/v1/login",
                                                json.dumps({"user": "writer", "password": "geheim-12345"}).encode())
            client.token = json.loads(body)["token"]
            sketch = dict(reference, uuid=str(uuid.uuid4()))
            await client.request("PUT", f"{prefix}/api/v1/sketches/{sketch['uuid']}", json.dumps(sketch).encode(),
                                 [("If-Match", "0")])
            status, body = await client.request("POST", f"{prefix}/api/v1/sketches/{sketch['uuid']}/submit", FAKE_PDF,
                                                [("If-Match", "1")])
            assert status == 200, body
            templates[slug] = sketch["uuid"]

        async def submit_all():
            for slug in slugs:
                await submit_one(slug)
        asyncio.run(submit_all())
    finally:
        server.terminate()
        server.wait()
        relay.wait()

    pollers, writers = [], []
    for slug, folder in folders.items():
        prefix = f"/a/{slug}" if slug else ""
        tokens = populate(folder, [f"seat-{seat}" for seat in SEATS] + ["writer"], templates[slug])
        pollers += [(tokens[f"seat-{seat}"], prefix, populate.last_seq) for seat in SEATS[:POLLERS_EACH]]
        writers.append((tokens["writer"], prefix))

    async def first_sync(token, prefix):
        client, since, pages, started = Client(port, token), 0, 0, time.perf_counter()
        while True:
            status, body = await client.request("GET", f"{prefix}/api/v1/changes?since={since}")
            answer = json.loads(body)
            pages += 1
            since = answer["last_seq"]
            if not answer["more"]:
                break
        return time.perf_counter() - started, pages

    server, relay, port = start([server_bin, "serve", "--data", data, "--listen", "127.0.0.1:0"])
    try:
        syncs = [asyncio.run(first_sync(pollers[-1][0], pollers[-1][1])) for _ in range(3)]
        steady = asyncio.run(run(port, seconds, pollers, writers, reference))
        release = hold_write_lock(folders[None])
        stop = waiting_saves(port, writers[0][0], 4)
        try:
            others = asyncio.run(run(port, seconds, [p for p in pollers if p[1]], [w for w in writers if w[1]],
                                     reference))
        finally:
            release()
            stop()
        return steady, min(syncs), others
    finally:
        server.terminate()
        server.wait()
        relay.wait()


import pgcluster  # noqa: E402

with tempfile.TemporaryDirectory() as work:
    results = {"sqlite": measure("sqlite", work, None)}
    host = pgcluster.start()
    try:
        results["postgresql"] = measure("postgresql", work, host)
    finally:
        pgcluster.stop(host)

print(f"{ALLIANCES} alliances × {DOSSIERS} dossiers, {ALLIANCES * POLLERS_EACH} pollers of GET /changes with their own "
      f"tokens and {ALLIANCES} writers, {seconds:.0f} s each; the driver is Python on the same 2 cores")
print("'locked:' rows: the other 19 alliances, while the first one's write lock is held and 4 saves wait for it")
print(f"{'':34}{'sqlite':>16}{'postgresql':>16}{'ratio pg/sqlite':>18}")
rows = {}
for backend, (steady, (sync_took, pages), others) in results.items():
    rows.setdefault(f"first sync, {DOSSIERS} dossiers, ms", []).append(sync_took * 1000)
    for label, (polls, writes, statuses, took) in (("", steady), ("locked: ", others)):
        rows.setdefault(f"{label}polls per second", []).append(len(polls) / took)
        for kind, values in (("poll", polls), ("put", writes["put"]), ("submit", writes["submit"])):
            p50, p99 = figures(values)
            rows.setdefault(f"{label}{kind} p50 ms", []).append(float(p50) if p50.strip() != "-" else float("nan"))
            rows.setdefault(f"{label}{kind} p99 ms", []).append(float(p99) if p99.strip() != "-" else float("nan"))
        refused = {status: count for status, count in statuses.items() if status >= 300}
        rows.setdefault(f"{label}answers other than 2xx", []).append(sum(refused.values()))
for name, (lite, pg) in rows.items():
    ratio = pg / lite if lite else float("nan")
    print(f"{name:34}{lite:16.2f}{pg:16.2f}{ratio:18.2f}")
