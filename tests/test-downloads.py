#!/usr/bin/python3
# Downloads on a real buendnis-server hold no whole copy of the file in memory: 30 clients that
# ask for a 15 MB attachment, read its first bytes and stall leave the server's resident memory
# far below 30 copies; a stalled download still ends with the exact bytes, and a file that
# changes while it is streamed is read on in one version or cut off, never mixed. TAP output.
import hashlib
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, request, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
STALLED = 30
MB = 1024 * 1024


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def padded(pdf, size):
    """@pdf grown to about @size bytes: a comment after its end, then its own startxref again,
    so that it still opens where it did."""
    tail = pdf[pdf.rindex(b"startxref"):]
    filler = bytes((i * 7919) % 251 for i in range(MB)).replace(b"\n", b" ").replace(b"\r", b" ")
    body = b"\n%" + (filler * (size // MB + 1))[:size - len(pdf)] + b"\n"
    return pdf + body + tail


def start_download(port, path, token):
    raw = socket.create_connection(("127.0.0.1", port))
    # A small receive buffer, so that the kernel does not take the whole file off the server.
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    raw.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                 "Connection: close\r\n\r\n").encode())
    return raw


def read_response(raw, start=b""):
    """Reads what is left after @start; returns the status line, the headers (lower-case names)
    and the body."""
    data = bytearray(start)
    while True:
        piece = raw.recv(1 << 20)
        if not piece:
            break
        data += piece
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return lines[0], headers, body


with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        anna = tokens["anna"]
        status, pdf = submit_sketch(port, anna, UUID, CLI, REFERENCE)
        check("the carrier submits the sketch", status == 200)
        big = padded(pdf, 15 * MB)
        base = f"/api/v1/dossiers/{UUID}/attachments"
        status, payload = request(port, "POST", f"{base}?kind=long-form&name=Langfassung.pdf", big, anna)
        check("a 15 MB attachment is stored", status == 200)
        path = f"{base}/{payload.get('id')}"

        # One full download first, so that whatever the server keeps for good is counted before.
        status, body = request(port, "GET", path, token=tokens["dora"])
        check("a download has the exact bytes", status == 200 and body == big)
        before = rss(server.pid)
        descriptors_before = len(os.listdir(f"/proc/{server.pid}/fd"))

        stalled = [start_download(port, path, tokens["dora"]) for _ in range(STALLED)]
        starts = [raw.recv(4096) for raw in stalled]
        time.sleep(2)
        growth = rss(server.pid) - before
        print(f"# {STALLED} stalled downloads of {len(big) // MB} MB: VmRSS grew by {growth / MB:.1f} MB",
              file=sys.stderr)
        check(f"{STALLED} stalled downloads add less than 150 MB to the server "
              f"(grew {growth // MB} MB)", growth < 150 * MB)
        descriptors = len(os.listdir(f"/proc/{server.pid}/fd")) - descriptors_before
        # Its socket; SQLite keeps the descriptor of a closed connection for the next one to the
        # same file while the server's connection holds a lock on it, so at most one more.
        check(f"a stalled download holds its socket and no database connection ({descriptors} more descriptors)",
              descriptors <= 2 * STALLED)

        status, body = request(port, "GET", path, token=anna)
        check("a download beside the stalled ones has the exact bytes",
              status == 200 and hashlib.sha256(body).hexdigest() == hashlib.sha256(big).hexdigest())
        first = stalled.pop(0)
        status_line, headers, body = read_response(first, starts[0])
        first.close()
        check("a stalled download, read on, ends with the exact bytes and its Content-Length",
              status_line.endswith("200 OK") and headers.get("content-length") == str(len(big)) and
              hashlib.sha256(body).digest() == hashlib.sha256(big).digest())
        for raw in stalled:
            raw.close()

        status, body = request(port, "GET", path, token=anna, headers={"Range": "bytes=10485760-10747903"})
        check("a request for a range across pieces gets 206 and exactly those bytes",
              status == 206 and body == big[10485760:10747904])

        status, payload = request(port, "GET", f"/api/v1/sketches/{UUID}/pdf", token=anna)
        check("the submitted PDF streams whole", status == 200 and payload == pdf)

        # The file changes under downloads that have begun. One that keeps up reads on in the
        # version it began with; one that stalled (and so let go of its read transaction) is cut
        # off, its Content-Length telling it so. Neither gets the start of one file and the end of
        # another.
        stalling = start_download(port, path, tokens["dora"])
        start_stalling = stalling.recv(4096)
        time.sleep(1.5)    # longer than the server waits for a stalled client (DOWNLOAD_REST_MS)
        keeping_up = start_download(port, path, tokens["dora"])
        start_keeping_up = keeping_up.recv(4096)
        other = padded(pdf + b"\n% another version\n", 15 * MB)
        with Database(data) as db:
            db.execute("UPDATE attachments SET pdf = ?, sha256 = ?", (other, hashlib.sha256(other).hexdigest()))
        status_line, headers, body = read_response(keeping_up, start_keeping_up)
        keeping_up.close()
        check("a download that keeps up while its file changes reads on in its version (or is cut off)",
              body == big or (len(body) < int(headers.get("content-length", "0")) and big.startswith(body)))
        status_line, headers, body = read_response(stalling, start_stalling)
        stalling.close()
        check("a stalled download of a file that changed is cut off, not mixed",
              len(body) < int(headers.get("content-length", "0")) and big.startswith(body))
        status, body = request(port, "GET", path, token=anna)
        check("the next download has the new bytes", status == 200 and body == other)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
