#!/usr/bin/python3
# A server remembers that nothing changed after a poll's sequence number for an organisation's
# role (bnd-server-db-memory.c), and answers the next idle poll from that. Whatever changes in
# between must show on the very next poll: a write through another server on the same data
# folder, a row another process writes, another user's write through the same server, a role
# change by the admin command. Two real servers, each change followed at once by the next poll.
# TAP output.
import json
import os
import sys
import tempfile
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, add_users, check, request, report, start  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"
SKETCH = json.load(open(os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")))


def sketch(title):
    return dict(SKETCH, uuid=str(uuid.uuid4()), title=title)


def raw_changes(port, token, since):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/changes?since={since}")
    req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.read()


with tempfile.TemporaryDirectory() as data:
    admin = add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier"), "bert": ("lk-heidekreis", "carrier"),
                                     "carl": ("lk-celle", "carrier"), "emil": ("ihk-lw", "partner"),
                                     "fred": ("ihk-lw", "partner"), "gabi": ("ihk-lw", "coordination")},
                      PASSWORD)

    started = [start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"]) for _ in range(2)]
    servers = [process for process, _ in started]
    one, two = (port for _, port in started)
    try:

        def login(port, name):
            return request(port, "POST", "/api/v1/login", {"user": name, "password": PASSWORD})[1]["token"]

        def changes(port, token, since=0):
            status, payload = request(port, "GET", f"/api/v1/changes?since={since}", token=token)
            return payload if status == 200 else None

        def uuids(payload):
            return [change["uuid"] for change in payload["changes"]] if payload else None

        def put(port, token, body):
            return request(port, "PUT", f"/api/v1/sketches/{body['uuid']}", body, token, {"If-Match": "0"})

        def idle(token, since, what):
            # Several idle polls on both servers: whatever they remember, they remember now.
            quiet = all(uuids(changes(port, token, since)) == [] for port in (one, two, one, two))
            check(f"{what}: idle polls on both servers before", quiet)

        anna, bert, carl = login(one, "anna"), login(two, "bert"), login(one, "carl")
        # The coordination of the partner's organisation polls early: both servers remember that
        # it saw nothing, for the role change below.
        idle(login(one, "gabi"), 0, "a coordination")

        # An empty feed, answered from the table and then from memory: the same bytes.
        first = raw_changes(one, anna, 0)
        again = [raw_changes(port, anna, since) for port in (one, one, two) for since in (0, "00")]
        check("an idle poll from memory has the same bytes as from the table",
              first == b'{"changes":[],"last_seq":0,"more":false}' and all(body == first for body in again))

        # A write through the other server, i.e. another process
        idle(anna, 0, "another server's write")
        one_sketch = sketch("Über den anderen Server")
        check("bert writes through server 2", put(two, bert, one_sketch)[0] in (200, 201))
        for port in (one, two):
            check(f"another server's write: the very next poll on server {port == two and 2 or 1} has it",
                  uuids(changes(port, anna)) == [one_sketch["uuid"]])
        last = changes(one, anna)["last_seq"]

        # Another user's write through the same server
        idle(anna, last, "same server's write")
        two_sketch = sketch("Über denselben Server")
        check("bert writes through server 1", put(one, bert, two_sketch)[0] in (200, 201))
        for port in (one, two):
            check(f"another user's write: the very next poll on server {port == two and 2 or 1} has it",
                  uuids(changes(port, anna, last)) == [two_sketch["uuid"]])
        last = changes(one, anna)["last_seq"]

        # Another organisation's draft: not seen, and the poll after it is idle again
        idle(anna, last, "another organisation's write")
        check("carl writes a draft of his organisation", put(one, carl, sketch("Celle"))[0] in (200, 201))
        check("another organisation's draft is not in the next poll",
              all(uuids(changes(port, anna, last)) == [] for port in (one, two)))

        # A row written by another process straight into the database
        idle(anna, last, "another process's row")
        row = sketch("Von außen")
        db = Database(data)
        seq = db.execute("SELECT max (seq) + 1 FROM records").fetchone()[0]
        db.execute("INSERT INTO records (uuid, org, stage, revision, seq, data, updated_by, updated) "
                   "VALUES (?, 'lk-heidekreis', 'draft', 1, ?, ?, 'anna', 0)", (row["uuid"], seq, json.dumps(row)))
        db.commit()
        for port in (one, two):
            page = changes(port, anna, last)
            check(f"another process's row: the very next poll on server {port == two and 2 or 1} has it",
                  uuids(page) == [row["uuid"]] and page["last_seq"] == seq)

        # A role change by the admin command: a partner does not see another organisation's
        # dossier that was never submitted; a coordination does.
        db.execute("UPDATE records SET stage = 'consultation', seq = ? WHERE uuid = ?", (seq + 1, row["uuid"]))
        db.commit()
        db.close()
        emil, fred = login(one, "emil"), login(two, "fred")
        idle(emil, 0, "role change")
        idle(fred, 0, "role change, another partner")
        check("set-role succeeds", admin("set-role", "emil", "coordination").returncode == 0)
        for port in (one, two):
            check(f"set-role: the very next poll on server {port == two and 2 or 1} sees as a coordination",
                  row["uuid"] in (uuids(changes(port, emil)) or []))
            check(f"set-role: another partner of the organisation still sees nothing on server "
                  f"{port == two and 2 or 1}", uuids(changes(port, fred)) == [])
    finally:
        for server in servers:
            server.terminate()
            server.wait()

report()
