#!/usr/bin/python3
# Download benchmark, on demand: a 15 MB attachment read by 1 client, then by 10 at once, then
# by 30 that stall after the first bytes; prints the time of each and the server's VmRSS growth.
# Usage: bench-downloads.py BUILD TOP
#
# Measured on the development machine (loopback, 15 MB attachment):
#                          whole copy per request   one piece per re-opened   handle held while
#                          (before)                 BLOB handle               the client keeps up
#   1 download             15 ms                    123 ms                    10-17 ms
#   10 parallel downloads  224 ms, VmRSS +60 MB     1292 ms, +0 MB            128-180 ms, +0 MB
#   30 stalled downloads   VmRSS +435 MB            +0.8 MB                   +2.4 MB
# A re-opened handle walks the row's overflow pages up to its offset, so reading piece by piece
# through new handles is quadratic in the file's size: the handle stays open while the client
# takes each piece within a second.
import os
import socket
import sys
import tempfile
import threading
import time

build, top = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(top, "tests"))
from servertest import request, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = f"{build}/src/server/buendnis-server"
CLI = f"{build}/src/cli/buendnis-cli"
# The server of the build directory checks uploaded PDFs with the helper built beside it.
os.environ.setdefault("BUENDNIS_PDF_CHECK", f"{build}/src/server/pdf-check/buendnis-pdf-check")
REFERENCE = f"{top}/tests/data/reference-sketch.bndsketch"
UUID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
MB = 1024 * 1024


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def download(port, path, token):
    raw = socket.create_connection(("127.0.0.1", port))
    raw.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                 "Connection: close\r\n\r\n").encode())
    total = 0
    while piece := raw.recv(1 << 20):
        total += len(piece)
    raw.close()
    return total


with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier")}
    add_users(SERVER, data, users, "geheim-12345")
    server, port = serve(SERVER, data)
    # The access log goes to a pipe nobody reads here; keep it drained.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    try:
        token = sign_in(port, users, "geheim-12345")["anna"]
        _, pdf = submit_sketch(port, token, UUID, CLI, REFERENCE)
        tail = pdf[pdf.rindex(b"startxref"):]
        big = pdf + b"\n%" + b"x" * (15 * MB - len(pdf)) + b"\n" + tail
        _, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/attachments?kind=other&name=b.pdf", big, token)
        path = f"/api/v1/dossiers/{UUID}/attachments/{payload['id']}"
        download(port, path, token)
        base = rss(server.pid)

        start = time.monotonic()
        download(port, path, token)
        print(f"1 download of 15 MB: {(time.monotonic() - start) * 1000:.0f} ms")

        peak = [base]
        threads = [threading.Thread(target=download, args=(port, path, token)) for _ in range(10)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            peak[0] = max(peak[0], rss(server.pid))
            time.sleep(0.01)
        print(f"10 parallel downloads: {(time.monotonic() - start) * 1000:.0f} ms, "
              f"VmRSS peak +{(peak[0] - base) / MB:.1f} MB")

        stalled = []
        for _ in range(30):
            raw = socket.create_connection(("127.0.0.1", port))
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            raw.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
            raw.recv(4096)
            stalled.append(raw)
        time.sleep(2)
        print(f"30 stalled downloads: VmRSS +{(rss(server.pid) - base) / MB:.1f} MB")
        for raw in stalled:
            raw.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
