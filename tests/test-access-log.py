#!/usr/bin/python3
# The access log on stdout: one JSON line per request, written in batches (bnd-server.c,
# log_request()), soon while the server runs and all of it when it stops. TAP output.
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import database_args, check, request, report  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"


class Log:
    """The lines of @stream as they come, read by a thread."""
    def __init__(self, stream):
        self.lines = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)

    def wait_for(self, count, seconds):
        deadline = time.monotonic() + seconds
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.lines)


with tempfile.TemporaryDirectory() as data:
    def admin(*args, stdin=None):
        return subprocess.run([SERVER, *args, "--data", data], input=stdin, capture_output=True, text=True)

    admin("init", *database_args(data))
    admin("add-user", "--org", "lk-heidekreis", "--role", "carrier", "anna")
    admin("set-password", "anna", stdin=PASSWORD + "\n")

    server = subprocess.Popen([SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().split()[-1])
        log = Log(server.stdout)
        token = request(port, "POST", "/api/v1/login", {"user": "anna", "password": PASSWORD})[1]["token"]
        request(port, "GET", "/api/v1/changes?since=0", token=token)
        request(port, "GET", "/api/v1/with%22quote%5Cand%0Aline", token=token)
        entries = [json.loads(line) for line in log.wait_for(3, 2)]
        check("while the server runs, each request's line comes within a second or two", len(entries) == 3)
        check("a line has the request's method, path, status, remote address, user and time",
              len(entries) == 3 and entries[1]["method"] == "GET" and entries[1]["path"] == "/api/v1/changes" and
              entries[1]["status"] == 200 and entries[1]["remote"] == "127.0.0.1" and
              entries[1]["user"] == "anna" and isinstance(entries[1]["ms"], float))
        check("a sign-in's line says how many checks went ahead", len(entries) == 3 and
              entries[0]["path"] == "/api/v1/login" and entries[0].get("checks_ahead") == 0 and
              entries[0]["user"] == "anna")
        check("quotes, backslashes and line breaks in a path are escaped: the line is one JSON object",
              len(entries) == 3 and entries[2]["status"] == 404 and entries[2]["path"].startswith("/api/v1/with"))

        # Many requests, then the server is stopped at once: not one line is lost.
        for _ in range(200):
            request(port, "GET", "/api/v1/changes?since=0", token=token)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.thread.join(timeout=30)
        entries = [json.loads(line) for line in log.lines[3:]]
        check(f"a server stopped right after 200 requests has written all 200 lines ({len(entries)})",
              len(entries) == 200 and all(entry["path"] == "/api/v1/changes" for entry in entries))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

report()
