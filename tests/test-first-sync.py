#!/usr/bin/python3
# A first sync of a few thousand sketches into an empty profile, through buendnis-cli against a
# real buendnis-server: the changes feed says how many remain while there are more (and nothing
# on an idle poll), every sketch arrives once, full-text search finds them, and a sketch edited
# locally meanwhile keeps its edit, merged with the server's. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from servertest import Database, database_args, check, report, request, serve  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
REFERENCE = json.load(open(os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")))
PASSWORD = "geheim-12345"
PAGE = 200
N = 2400          # 12 full pages: the twelfth says 0 remain, the thirteenth is empty


def cli(profile, *args):
    run = subprocess.run([CLI, "--profile", profile, *args], capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def insert(data, first_seq, count, title):
    """@count sketches of lk-celle straight into the server's database, as an import would."""
    db = Database(data)
    uuids = []
    for seq in range(first_seq, first_seq + count):
        sketch = dict(REFERENCE, uuid=str(uuid.uuid4()), title=f"{title} {seq}")
        # Every tenth one has a word of its own, for the search
        sketch["sections"] = dict(REFERENCE["sections"], need=f"Zehntel Wasserstoffwerkstatt {seq}"
                                  if seq % 10 == 0 else REFERENCE["sections"]["need"])
        db.execute("INSERT INTO records (uuid, org, stage, revision, seq, data, updated_by, updated) "
                   "VALUES (?, 'lk-celle', 'draft', 1, ?, ?, 'bench', 0)", (sketch["uuid"], seq, json.dumps(sketch)))
        uuids.append(sketch["uuid"])
    db.commit()
    db.close()
    return uuids


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    subprocess.run([SERVER, "init", "--data", data, *database_args(data)], check=True, capture_output=True)
    subprocess.run([SERVER, "add-user", "--data", data, "--org", "lk-celle", "--role", "carrier", "carla"],
                   check=True, capture_output=True)
    subprocess.run([SERVER, "set-password", "--data", data, "carla"], input=PASSWORD + "\n", text=True,
                   check=True, capture_output=True)
    uuids = insert(data, 1, N, "Projekt")

    server, port = serve(SERVER, data)
    try:
        token = request(port, "POST", "/api/v1/login", {"user": "carla", "password": PASSWORD})[1]["token"]

        # The feed: remaining counts down page by page, and is there only while there is more
        since, pages, remainders, seen = 0, 0, [], []
        while True:
            status, page = request(port, "GET", f"/api/v1/changes?since={since}", token=token)
            pages += 1
            seen += [change["uuid"] for change in page["changes"]]
            if page["more"]:
                remainders.append(page.get("remaining"))
            else:
                check("the last page has no remaining", "remaining" not in page)
            since = page["last_seq"]
            if not page["more"] or pages > 100:
                break
        expected = [N - PAGE * k for k in range(1, len(remainders) + 1)]
        print(f"# remaining {remainders}", file=sys.stderr)
        check("remaining counts down to 0 while there is more", remainders == expected and expected[-1] == 0)
        check("the feed lists every sketch once", sorted(seen) == sorted(uuids))
        status, idle = request(port, "GET", f"/api/v1/changes?since={since}", token=token)
        check("an idle poll has no remaining", status == 200 and idle["changes"] == [] and
              idle["more"] is False and "remaining" not in idle)

        # A first sync brings them all, once
        profile = os.path.join(work, "profile")
        login = subprocess.run([CLI, "--profile", profile, "login", f"http://127.0.0.1:{port}", "--user", "carla",
                                "--token-file", profile + ".token"], input=PASSWORD + "\n", capture_output=True,
                               text=True)
        check("signs in", login.returncode == 0)
        code, out, err = cli(profile, "sync")
        check("the first sync succeeds", code == 0)
        listed = json.loads(cli(profile, "list", "--json")[1])
        listed_uuids = [sketch["uuid"] for sketch in listed]
        check("every sketch arrived", sorted(listed_uuids) == sorted(uuids))
        check("none twice", len(set(listed_uuids)) == len(listed_uuids) == N)
        code, out, _ = cli(profile, "search", "--json", "wasserstoffwerk")
        found = json.loads(out) if code == 0 else []
        check("full-text search finds the synced sketches", len(found) == N // 10)
        code, out, _ = cli(profile, "search", "--json", "Projekt 2345")
        check("and a title", code == 0 and any(s["title"] == "Projekt 2345" for s in json.loads(out)))
        code, out, _ = cli(profile, "show", uuids[7], "--json")
        check("a sketch arrives as it was", code == 0 and json.loads(out)["title"] == "Projekt 8")

        # A local edit while many more changes come, one of them to the same sketch: kept and merged
        mine = uuids[42]
        cli(profile, "edit", mine, "--section", "approach", "--text", "Lokal geschrieben.")
        theirs = request(port, "GET", f"/api/v1/sketches/{mine}", token=token)[1]
        changed = dict(theirs["data"], sections=dict(theirs["data"]["sections"], need="Auf dem Server geschrieben."))
        status, _ = request(port, "PUT", f"/api/v1/sketches/{mine}", changed, token,
                            {"If-Match": str(theirs["revision"])})
        check("the server takes another edit of it", status == 200)
    finally:
        server.terminate()
        server.wait()

    more = insert(data, N + 10, 3 * PAGE + 50, "Nachschub")
    server, port = serve(SERVER, data, port)
    try:
        code, _, err = cli(profile, "sync")
        check("the next sync succeeds", code == 0)
        shown = json.loads(cli(profile, "show", mine, "--json")[1])
        check("the local edit is kept, merged with the server's", shown["sections"]["approach"] == "Lokal geschrieben."
              and shown["sections"]["need"] == "Auf dem Server geschrieben.")
        check("and goes to the server", request(port, "GET", f"/api/v1/sketches/{mine}", token=token)[1]["data"]
              ["sections"]["approach"] == "Lokal geschrieben.")
        listed_uuids = [sketch["uuid"] for sketch in json.loads(cli(profile, "list", "--json")[1])]
        check("the new ones arrived, none twice", sorted(listed_uuids) == sorted(uuids + more))
        check("no conflicts were made up", cli(profile, "conflicts")[1] == "")
    finally:
        server.terminate()
        server.wait()

report()
