#!/usr/bin/python3
# Floods on loopback against a real buendnis-server while a real user signs in and syncs through
# buendnis-cli: 1,500 idle connections and wrong sign-ins from 50 addresses at once
# (tests/floods.py), with the server under systemd's default descriptor limit (soft 1,024). Every
# sign-in and sync of the real user works (not one 429), at most a few flood checks go ahead of
# each of the user's sign-ins, the server never holds more connections than its cap, and once the
# floods stop it accepts new clients again. Bounded well under a minute; the latencies are in tests/bench/bench-flood.py. TAP output.
import json
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, start, raise_open_files  # noqa: E402
from floods import IdleFlood, LoginFlood, RealUser, served, server_sockets  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
CAP = 1000          # max-connections by default
ROUNDS = 3

# The floods run together; some of the wrong sign-ins are at the real user's own account.
FLOODS = [IdleFlood(1500), LoginFlood(50, target="anna")]

hard = raise_open_files()


def systemd_default_limit():
    # What systemd gives a service without LimitNOFILE=: 1,024, raisable to the hard limit.
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier")}, PASSWORD)
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"], preexec_fn=systemd_default_limit)
    user = RealUser(CLI, os.path.join(work, "profile"), f"http://127.0.0.1:{port}", "anna", PASSWORD, REFERENCE)
    try:
        check("before the flood the user signs in and syncs", user.round())
        before = len(user.timings["login"])

        for flood in FLOODS:
            flood.start(port)
        # Until the server is full (or, if it accepts slowly, has taken what it can)
        deadline = time.monotonic() + 20
        while server_sockets(server.pid) < CAP * 0.9 and time.monotonic() < deadline:
            time.sleep(0.2)
        idle = FLOODS[0]
        established = idle.established()
        held = server_sockets(server.pid)
        check(f"the idle flood has its connections ({established} established)", established >= 1400)
        check(f"the server is full: it holds {held} sockets for a cap of {CAP}", CAP * 0.9 <= held <= CAP + 8)
        logins = FLOODS[1]
        deadline = time.monotonic() + 60
        while not logins.failed_everywhere() and time.monotonic() < deadline:
            time.sleep(0.2)
        check("the wrong sign-ins are under way from every address", logins.failed_everywhere())
        flooded_at = len(server.log)

        rounds = [user.round() for _ in range(ROUNDS)]
        time.sleep(0.5)   # the access log's last lines
        mine = [json.loads(line) for line in server.log[flooded_at:] if '"/api/v1/login"' in line]
        mine = [entry for entry in mine if entry["remote"] == "127.0.0.1"]
        print(f"# the user's sign-ins under the floods: status {[e['status'] for e in mine]}, "
              f"checks ahead {[e.get('checks_ahead') for e in mine]}")
        check(f"each of the user's {ROUNDS} sign-ins under the floods succeeded, not one 429",
              [entry["status"] for entry in mine] == [200] * ROUNDS)
        check("at most a few flood checks went ahead of each",
              all(entry.get("checks_ahead", 99) <= 3 for entry in mine))
        for failure in user.failures:
            print(f"# {failure}", file=sys.stderr)
        check(f"under the flood each of {ROUNDS} sign-ins and syncs of the real user works", all(rounds))
        held = server_sockets(server.pid)
        check(f"the server never holds more than its cap ({held} sockets)", held <= CAP + 8)

        for flood in FLOODS:
            print(f"# {flood.stop()}")
        check("once the flood stops, the server accepts new clients again", all(served(port) for _ in range(5)))
        check("and the user signs in and syncs", user.round())
        for step, times in user.timings.items():
            flooded = times[before:before + ROUNDS]
            print(f"# {step} under the flood: " + ", ".join(f"{t * 1000:.0f} ms" for t in flooded))
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
