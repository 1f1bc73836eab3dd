#!/usr/bin/python3
# Offline-first sync through buendnis-cli against a real buendnis-server on loopback: two profiles
# edit offline, merge, meet a conflict and converge; a lost answer is retried without writing
# twice; a vanished server loses nothing. TAP output.
import http.server
import json
import os
import subprocess
import sys
import tempfile
import random
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import database_args  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
REFERENCE = os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
results = []


def check(name, condition):
    results.append((name, bool(condition)))
    if not condition:
        print(f"# failed: {name}", file=sys.stderr)


class Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the server; when told to, drops the connection after the server answered.
    With `faults` set it also drops requests before they arrive, answers 500 and delays."""
    target = None
    drop_next_put = False
    faults = None

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        fault = Proxy.faults.random() if Proxy.faults else 1.0
        if Proxy.faults:
            time.sleep(Proxy.faults.random() * 0.05)
        if fault < 0.1:
            self.close_connection = True         # dropped before the server saw it
            self.connection.shutdown(2)
            return
        if fault < 0.2:
            self.send_response(500)              # a failing server
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(Proxy.target + self.path, data=body, method=self.command)
        for key in ("Authorization", "If-Match", "Idempotency-Key", "Content-Type"):
            if self.headers.get(key):
                request.add_header(key, self.headers[key])
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, kind = response.status, response.read(), response.headers.get("Content-Type")
        except urllib.error.HTTPError as error:
            status, payload, kind = error.code, error.read(), error.headers.get("Content-Type")
        except OSError:
            self.close_connection = True      # the server is gone: so is the answer
            return
        if (self.command == "PUT" and Proxy.drop_next_put) or (Proxy.faults and fault < 0.3):
            Proxy.drop_next_put = False
            self.close_connection = True
            self.connection.shutdown(2)    # the write happened; its answer is lost
            return
        self.send_response(status)
        self.send_header("Content-Type", kind or "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = forward

    def log_message(self, *args):
        pass


def cli(profile, *args, stdin=None):
    run = subprocess.run([CLI, "--profile", profile, *args], input=stdin, capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def section(profile, uuid, section_id):
    code, out, _ = cli(profile, "show", uuid, "--json")
    return json.loads(out)["sections"].get(section_id, "") if code == 0 else None


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    subprocess.run([SERVER, "init", "--data", data, *database_args(data)], check=True, capture_output=True)
    for user in ("anna", "ben"):
        subprocess.run([SERVER, "add-user", "--data", data, "--org", "lk-heidekreis", "--role", "carrier", user],
                       check=True, capture_output=True)
        subprocess.run([SERVER, "set-password", "--data", data, user], input=PASSWORD + "\n", text=True,
                       check=True, capture_output=True)

    def start_server():
        process = subprocess.Popen([SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                                   stdout=subprocess.PIPE, text=True)
        return process, int(process.stdout.readline().split()[-1])

    server, port = start_server()
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    Proxy.target = f"http://127.0.0.1:{port}"
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    a, b = os.path.join(work, "a"), os.path.join(work, "b")

    try:
        for profile, user in ((a, "anna"), (b, "ben")):
            code, _, err = cli(profile, "login", url, "--user", user, "--token-file", profile + ".token",
                               stdin=PASSWORD + "\n")
            check(f"{user} signs in with a token file", code == 0)
        code, out, _ = cli(a, "import", REFERENCE)
        uuid = out.strip()
        check("A syncs its new sketch up", cli(a, "sync")[0] == 0)
        check("B syncs it down", cli(b, "sync")[0] == 0 and section(b, uuid, "need") == section(a, uuid, "need"))

        # Different sections, edited offline, merge by themselves
        cli(a, "edit", uuid, "--section", "need", "--text", "A schreibt den Bedarf neu.")
        cli(b, "edit", uuid, "--section", "approach", "--text", "B schreibt das Vorgehen neu.")
        cli(a, "sync")
        cli(b, "sync")
        cli(a, "sync")
        for profile, name in ((a, "A"), (b, "B")):
            check(f"{name} has both edits", section(profile, uuid, "need") == "A schreibt den Bedarf neu." and
                  section(profile, uuid, "approach") == "B schreibt das Vorgehen neu.")

        # The same section: a conflict with both texts kept, then resolved, then converged
        cli(a, "edit", uuid, "--section", "summary", "--text", "Kurz von A.")
        cli(b, "edit", uuid, "--section", "summary", "--text", "Kurz von B.")
        cli(a, "sync")
        cli(b, "sync")
        code, out, _ = cli(b, "conflicts")
        check("B sees the conflict with both texts", "section:summary" in out and "Kurz von A." in out
              and "Kurz von B." in out)
        check("B keeps its own text until it decides", section(b, uuid, "summary") == "Kurz von B.")
        check("A's text is on the server and with A", section(a, uuid, "summary") == "Kurz von A.")
        code, _, _ = cli(b, "resolve", uuid, "--section", "summary", "--text", "Kurz von A und B.")
        check("B resolves it with a text edited from both", code == 0 and cli(b, "conflicts")[1] == "")
        cli(b, "sync")
        cli(a, "sync")
        check("both converge", cli(a, "show", uuid, "--json")[1] == cli(b, "show", uuid, "--json")[1] and
              section(a, uuid, "summary") == "Kurz von A und B.")
        check("no duplicate sketches", len(json.loads(cli(a, "list", "--json")[1])) == 1 and
              len(json.loads(cli(b, "list", "--json")[1])) == 1)

        # A write whose answer is lost is retried with the same key: written once
        revision_before = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/changes?since=0",
            headers={"Authorization": "Bearer " + open(a + ".token").read().strip()})).read())["changes"][0]["revision"]
        cli(a, "edit", uuid, "--section", "sustainability", "--text", "Nach dem Abbruch.")
        Proxy.drop_next_put = True
        code, _, err = cli(a, "sync")
        check("a sync whose answer is lost fails without losing the edit", code != 0 and
              section(a, uuid, "sustainability") == "Nach dem Abbruch.")
        check("the next sync completes it", cli(a, "sync")[0] == 0)
        changes = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/changes?since=0",
            headers={"Authorization": "Bearer " + open(a + ".token").read().strip()})).read())["changes"]
        print(f"# revision before {revision_before}, after {changes[0]['revision']}", file=sys.stderr)
        check("the retried write was applied once", changes[0]["revision"] == revision_before + 1 and
              changes[0]["data"]["sections"]["sustainability"] == "Nach dem Abbruch.")

        # The server goes away: edits wait, nothing is lost; it comes back and they go out
        server.terminate()
        server.wait(timeout=10)
        cli(b, "sync")
        cli(b, "edit", uuid, "--section", "partners", "--text", "Offline geschrieben.")
        code, _, err = cli(b, "sync")
        check("offline, sync fails with a clear message", code == 1 and "could not be reached" in err)
        check("offline, the edit stays", section(b, uuid, "partners") == "Offline geschrieben.")
        server, port = start_server()
        Proxy.target = f"http://127.0.0.1:{port}"
        check("back online, the edit goes out", cli(b, "sync")[0] == 0)
        cli(a, "sync")
        check("and reaches the other profile", section(a, uuid, "partners") == "Offline geschrieben." and
              section(a, uuid, "sustainability") == "Nach dem Abbruch.")

        # Submitting sends the exact PDF of the synced revision
        code, out, err = cli(a, "submit", uuid)
        check("A submits the sketch", code == 0 and "SHA-256" in out)
        code, out, _ = cli(b, "show", uuid)
        cli(b, "sync")
        check("B sees it submitted", "submitted" in cli(b, "show", uuid)[1])
        code, _, err = cli(b, "logout")
        check("logout", code == 0 and cli(b, "sync")[0] != 0)
        # Three clients, many rounds of edits and syncs through drops, 500s and delays
        profiles = [os.path.join(work, f"c{i}") for i in range(3)]
        for i, profile in enumerate(profiles):
            cli(profile, "login", url, "--user", "anna", "--token-file", profile + ".token", stdin=PASSWORD + "\n")
        own = []
        for i, profile in enumerate(profiles):
            code, out, _ = cli(profile, "new", "--title", f"Projekt von Client {i}")
            own.append(out.strip())
        sections = ["need", "objectives", "target_groups"]
        last = {}
        Proxy.faults = random.Random(4711)
        for round_ in range(12):
            for i, profile in enumerate(profiles):
                text = f"Client {i}, Runde {round_}"
                cli(profile, "edit", own[i], "--section", sections[i], "--text", text)
                last[(own[i], sections[i])] = text
                cli(profile, "sync")
        Proxy.faults = None
        for _ in range(3):
            for profile in profiles:
                cli(profile, "sync")
        states = [cli(profile, "list", "--json")[1] for profile in profiles]
        check("after the faults, every profile lists the same sketches", len(set(states)) == 1)
        check("no sketch was duplicated", len(json.loads(states[0])) == 1 + 3)  # the reference sketch and one per client
        lost = [(sketch, section_id) for (sketch, section_id), text in last.items()
                for profile in profiles if section(profile, sketch, section_id) != text]
        check("no edit was lost: each client's last text is everywhere", lost == [])
        check("no conflicts were made up", all(cli(profile, "conflicts")[1] == "" for profile in profiles))
    finally:
        proxy.shutdown()
        server.terminate()
        server.wait(timeout=10)

print(f"1..{len(results)}")
for number, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {number} {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
