#!/usr/bin/python3
# A server remembers whose a token is (bnd-server-db-tokens.c): what another process changes must
# count on the very next request all the same. Two real servers on one data folder, the admin
# commands run beside them, each change followed at once by the next request. TAP output.
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, add_users, check, request, is_error, report, start  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"
SKETCH = json.load(open(os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")))
UUID = "0d6f1c1e-9a7b-4c55-8a0e-3b2f6c1d9e71"
SKETCH["uuid"] = UUID

with tempfile.TemporaryDirectory() as data:
    admin = add_users(SERVER, data, {name: ("lk-heidekreis", "carrier") for name in ("anna", "bert", "dora", "emil")},
                      PASSWORD)

    started = [start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"]) for _ in range(2)]
    servers = [process for process, _ in started]
    one, two = (port for _, port in started)
    try:

        def login(port, name):
            return request(port, "POST", "/api/v1/login", {"user": name, "password": PASSWORD})[1]["token"]

        def changes(port, token):
            return request(port, "GET", "/api/v1/changes?since=0", token=token)

        def warm(token, what):
            # Several requests on both servers: whatever they remember, they remember now.
            ok = all(changes(port, token)[0] == 200 for port in (one, two, one, two))
            check(f"{what}: the token works on both servers before", ok)

        # revoke-tokens while both servers have just accepted the token
        anna = login(one, "anna")
        warm(anna, "revoke-tokens")
        check("revoke-tokens succeeds", admin("revoke-tokens", "anna").returncode == 0)
        for port in (one, two):
            status, payload = changes(port, anna)
            check(f"revoke-tokens: the very next request to server {port == two and 2 or 1} is 401",
                  status == 401 and is_error(payload, "unauthorized"))

        # disable-user
        bert = login(two, "bert")
        warm(bert, "disable-user")
        check("disable-user succeeds", admin("disable-user", "bert").returncode == 0)
        check("disable-user: the very next request is 401 on both servers",
              all(changes(port, bert)[0] == 401 for port in (one, two)))

        # set-role: the role counts from the next request, for what the token may do
        dora = login(one, "dora")
        warm(dora, "set-role")
        check("a carrier writes a sketch",
              request(one, "PUT", f"/api/v1/sketches/{UUID}", SKETCH, dora,
                      {"If-Match": "0"})[0] in (200, 201))
        check("set-role succeeds", admin("set-role", "dora", "partner").returncode == 0)
        for port in (one, two):
            status, payload = request(port, "GET", "/api/v1/me", token=dora)
            check(f"set-role: /me on server {port == two and 2 or 1} has the new role at once",
                  status == 200 and payload["role"] == "partner")
            status, payload = request(port, "PUT", f"/api/v1/sketches/{UUID}", SKETCH, dora, {"If-Match": "1"})
            check(f"set-role: a partner's write on server {port == two and 2 or 1} is refused at once",
                  status == 403 and is_error(payload, "forbidden"))

        # Signing out on one server ends the token on the other at once.
        emil = login(one, "emil")
        warm(emil, "logout")
        check("logout on server 1", request(one, "POST", "/api/v1/logout", b"{}", emil)[0] == 200)
        check("logout: the very next request to server 2 is 401", changes(two, emil)[0] == 401)
        check("logout: and to server 1", changes(one, emil)[0] == 401)

        # A token that expires while it is remembered: refused on the first request after its
        # time, with nothing else changed in between.
        admin("enable-user", "bert")
        bert = login(one, "bert")
        db = Database(data)
        expires = int(time.time()) + 3
        db.execute("UPDATE tokens SET expires = ?1 WHERE user = 'bert'", (expires,))
        db.commit()
        db.close()
        warm(bert, "expiry")
        while time.time() < expires + 0.2:
            time.sleep(0.1)
        for port in (one, two):
            status, payload = changes(port, bert)
            check(f"an expired token is 401 on server {port == two and 2 or 1} the moment it expires",
                  status == 401 and is_error(payload, "unauthorized"))
    finally:
        for server in servers:
            server.terminate()
            server.wait()

report()
