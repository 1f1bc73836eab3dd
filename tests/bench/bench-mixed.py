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
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

build, top = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
server_bin = f"{build}/src/server/buendnis-server"
minimal_bin = f"{build}/tests/bench/bench-soup-minimal"
os.environ.setdefault("BUENDNIS_PDF_CHECK", f"{build}/src/server/pdf-check/buendnis-pdf-check")
reference = json.load(open(f"{top}/tests/data/reference-sketch.bndsketch"))
POLLERS, WRITERS, SAVES_PER_SECOND, SAVES_PER_SUBMIT = 100, 10, 5, 20
ORGS = ["lk-celle", "lk-heidekreis", "lk-lueneburg", "lk-harburg", "lk-uelzen", "lk-luechow-dannenberg"]
FAKE_PDF = b"%PDF-1.4\n% the server renders its own and keeps that\n%%EOF\n"


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", headers=()):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        head += [f"{name}: {value}" for name, value in headers]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)


async def poll(port, token, stop, latencies, statuses):
    client, since = Client(port, token), 0
    while time.monotonic() < stop:
        start = time.perf_counter()
        status, body = await client.request("GET", f"/api/v1/changes?since={since}")
        latencies.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            since = json.loads(body).get("last_seq", since)


async def write(port, token, stop, latencies, statuses):
    client = Client(port, token)
    while time.monotonic() < stop:
        sketch = dict(reference, uuid=str(uuid.uuid4()))
        for revision in range(SAVES_PER_SUBMIT):
            if time.monotonic() >= stop:
                return
            sketch["title"] = f"Projekt, Fassung {revision + 1}"
            start = time.perf_counter()
            status, _ = await client.request("PUT", f"/api/v1/sketches/{sketch['uuid']}", json.dumps(sketch).encode(),
                                             [("If-Match", str(revision))])
            latencies["put"].append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
            await asyncio.sleep(max(1 / SAVES_PER_SECOND - (time.perf_counter() - start), 0))
        start = time.perf_counter()
        status, _ = await client.request("POST", f"/api/v1/sketches/{sketch['uuid']}/submit", FAKE_PDF,
                                         [("If-Match", str(SAVES_PER_SUBMIT))])
        latencies["submit"].append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1


def figures(latencies):
    if len(latencies) < 2:
        return "      -", "      -"
    cuts = statistics.quantiles(latencies, n=100)
    return f"{cuts[49] * 1000:7.2f}", f"{cuts[98] * 1000:7.2f}"


async def run(port, poll_tokens, write_tokens):
    stop = time.monotonic() + seconds
    polls, writes, statuses = [], {"put": [], "submit": []}, {}
    started = time.monotonic()
    await asyncio.gather(*[poll(port, token, stop, polls, statuses) for token in poll_tokens],
                         *[write(port, token, stop, writes, statuses) for token in write_tokens])
    return polls, writes, statuses, time.monotonic() - started


def start(argv):
    # Its messages (a submitted PDF differs from its own render) are not figures.
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(process.stdout.readline().split()[-1])
    relay = subprocess.Popen(["cat"], stdin=process.stdout, stdout=subprocess.DEVNULL)
    return process, relay, port


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
        polls, writes, statuses, took = asyncio.run(run(port, [tokens[n] for n in names[:POLLERS]],
                                                        [tokens[n] for n in names[POLLERS:]]))
    finally:
        server.terminate()
        server.wait()
        relay.wait()
    minimal, minimal_relay, minimal_port = start([minimal_bin])
    try:
        minimal_polls, _, _, minimal_took = asyncio.run(run(minimal_port, [None] * POLLERS, []))
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
