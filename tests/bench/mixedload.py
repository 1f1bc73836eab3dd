# What the mixed-load benchmarks share (bench-mixed.py, bench-alliances.py): keep-alive clients,
# the pollers of GET /changes and the writers of sketches, and the figures.
import asyncio
import json
import statistics
import subprocess
import time
import uuid

SAVES_PER_SECOND, SAVES_PER_SUBMIT = 5, 20
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


async def poll(port, token, stop, latencies, statuses, prefix="", since=0):
    client = Client(port, token)
    while time.monotonic() < stop:
        start = time.perf_counter()
        status, body = await client.request("GET", f"{prefix}/api/v1/changes?since={since}")
        latencies.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            since = json.loads(body).get("last_seq", since)


async def write(port, token, stop, latencies, statuses, reference, prefix=""):
    client = Client(port, token)
    while time.monotonic() < stop:
        sketch = dict(reference, uuid=str(uuid.uuid4()))
        for revision in range(SAVES_PER_SUBMIT):
            if time.monotonic() >= stop:
                return
            sketch["title"] = f"Projekt, Fassung {revision + 1}"
            start = time.perf_counter()
            status, _ = await client.request("PUT", f"{prefix}/api/v1/sketches/{sketch['uuid']}", json.dumps(sketch).encode(),
                                             [("If-Match", str(revision))])
            latencies["put"].append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
            await asyncio.sleep(max(1 / SAVES_PER_SECOND - (time.perf_counter() - start), 0))
        start = time.perf_counter()
        status, _ = await client.request("POST", f"{prefix}/api/v1/sketches/{sketch['uuid']}/submit", FAKE_PDF,
                                         [("If-Match", str(SAVES_PER_SUBMIT))])
        latencies["submit"].append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1


def figures(latencies):
    if len(latencies) < 2:
        return "      -", "      -"
    cuts = statistics.quantiles(latencies, n=100)
    return f"{cuts[49] * 1000:7.2f}", f"{cuts[98] * 1000:7.2f}"


async def run(port, seconds, pollers, writers, reference):
    """@pollers: (token, prefix, since) each, @writers: (token, prefix)."""
    stop = time.monotonic() + seconds
    polls, writes, statuses = [], {"put": [], "submit": []}, {}
    started = time.monotonic()
    await asyncio.gather(*[poll(port, token, stop, polls, statuses, prefix, since) for token, prefix, since in pollers],
                         *[write(port, token, stop, writes, statuses, reference, prefix) for token, prefix in writers])
    return polls, writes, statuses, time.monotonic() - started


def start(argv):
    # Its messages (a submitted PDF differs from its own render) are not figures.
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(process.stdout.readline().split()[-1])
    relay = subprocess.Popen(["cat"], stdin=process.stdout, stdout=subprocess.DEVNULL)
    return process, relay, port


