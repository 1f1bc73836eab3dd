#!/usr/bin/python3
# Several alliances on one service: the first in the data folder at /api/v1, a second added with
# add-alliance at /a/west/api/v1, each with the same accounts (same names, other passwords) and a
# dossier at the vote. The cross-alliance matrix: every endpoint × every role × own and other
# alliance. Own: the second alliance answers every call as the first does. Other: an alliance's
# token is unknown at the other's address (401), the other alliance's dossier, session and
# attachment are unknown at one's own (never a success), and nothing of the other alliance
# changes. TAP output.
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, request, start, sign_in, is_error  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, SCORES  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PACK = os.path.join(TOP, "data", "strategy", "nordostniedersachsen-2024-2027.json")
WEST_PASSWORD = PASSWORD + "-west"
ROLES = ["anna", "bert", "seat-hwk-bls", "clara", "root"]   # carrier, other carrier, partner, coordination, admin

# Every route of the API but login and logout (tried on their own below), with a body that makes
# sense for it. {uuid}, {session} and {attachment} are the alliance's own or the other's.
ENDPOINTS = [
    ("GET", "/changes?since=0", None),
    ("GET", "/me", None),
    ("PATCH", "/me", {"language": "en"}),
    ("GET", "/strategy", None),
    ("GET", "/portfolio", None),
    ("GET", "/sessions", None),
    ("POST", "/sessions", {"title": "Sitzung", "date": "2026-03-12", "place": "Lüneburg"}),
    ("GET", "/sessions/{session}", None),
    ("POST", "/sessions/{session}/items", {"dossier": "{uuid}"}),
    ("PUT", "/sessions/{session}/items/{uuid}", {"outcome": "discussed"}),
    ("POST", "/sessions/{session}/send-agenda", {}),
    ("POST", "/sessions/{session}/held", {"minutes": "Protokoll"}),
    ("DELETE", "/sessions/{session}/items/{uuid}", None),
    ("GET", "/sketches/{uuid}", None),
    ("PUT", "/sketches/{uuid}", "SKETCH"),
    ("POST", "/sketches/{uuid}/submit", "PDF"),
    ("GET", "/sketches/{uuid}/pdf", None),
    ("GET", "/dossiers/{uuid}", None),
    ("GET", "/dossiers/{uuid}/steps", None),
    ("GET", "/dossiers/{uuid}/consultation", None),
    ("POST", "/dossiers/{uuid}/consultation", {"date": "2026-02-02", "who": "Clara Claus"}),
    ("GET", "/dossiers/{uuid}/submissions", None),
    ("GET", "/dossiers/{uuid}/submissions/1", None),
    ("GET", "/dossiers/{uuid}/submissions/diff?from=1&to=1", None),
    ("GET", "/dossiers/{uuid}/assessment", None),
    ("PUT", "/dossiers/{uuid}/assessment", {"text": "Passt zur Strategie."}),
    ("GET", "/dossiers/{uuid}/comments", None),
    ("POST", "/dossiers/{uuid}/comments", {"text": "Eine Anmerkung."}),
    ("GET", "/dossiers/{uuid}/ratings", None),
    ("PUT", "/dossiers/{uuid}/rating", {"scores": SCORES}),
    ("POST", "/dossiers/{uuid}/recusals", {"org": "ostfalia"}),
    ("GET", "/dossiers/{uuid}/attachments", None),
    ("POST", "/dossiers/{uuid}/attachments?kind=other&name=Anlage.pdf", "PDF"),
    ("GET", "/dossiers/{uuid}/attachments/{attachment}", None),
    ("GET", "/dossiers/{uuid}/audit", None),
    ("GET", "/dossiers/{uuid}/vote", None),
    ("PUT", "/dossiers/{uuid}/vote", {"choice": "abstain"}),
    ("POST", "/dossiers/{uuid}/vote", {"question": "Empfehlen?", "reason": "Die Sitzung entscheidet."}),
    ("POST", "/dossiers/{uuid}/stage", {"stage": "rating"}),
    ("POST", "/dossiers/{uuid}/steps/comment", {"text": "Noch eine Anmerkung."}),
    ("POST", "/dossiers/{uuid}/steps/rate", {"scores": SCORES}),
    ("GET", "/dossiers/{uuid}/statement", None),
    ("POST", "/dossiers/{uuid}/statement", {}),
]
# Calls that make what they name when it is not there: given the other alliance's id at one's own
# address they make a record of one's own alliance, which is theirs to do. That the other
# alliance's record stays as it was is checked for them as for every call.
CREATING = {("PUT", "/sketches/{uuid}"), ("POST", "/dossiers/{uuid}/consultation")}
# Calls that the procedure's rules refuse to everyone for a dossier at the vote (or a server
# without e-mail): that both alliances refuse them alike is what is checked of them.
REFUSED_HERE = {"POST /sessions/{session}/send-agenda", "DELETE /sessions/{session}/items/{uuid}",
                "PUT /sketches/{uuid}", "POST /sketches/{uuid}/submit", "POST /dossiers/{uuid}/consultation",
                "GET /dossiers/{uuid}/submissions/diff?from=1&to=1", "POST /dossiers/{uuid}/vote",
                "PUT /dossiers/{uuid}/assessment", "PUT /dossiers/{uuid}/rating", "POST /dossiers/{uuid}/recusals",
                "POST /dossiers/{uuid}/stage", "POST /dossiers/{uuid}/steps/rate", "GET /dossiers/{uuid}/statement",
                "POST /dossiers/{uuid}/statement"}
IDS = re.compile(r"\{(uuid|session|attachment)\}")


class Alliance:
    def __init__(self, name, prefix, port, password, work):
        self.name, self.prefix = name, prefix
        self.tokens = sign_in(port, users(), password, prefix)
        self.p = Procedure(port, self.tokens, CLI, REFERENCE, work, prefix)
        self.uuid = self.p.to_stage("vote")
        status, session = self.p.api("POST", "/sessions", {"title": "Lenkungskreis", "date": "2026-03-12",
                                                           "place": "Lüneburg"})
        assert status in (200, 201), session
        self.session = session["uuid"]
        attachments = self.p.api("GET", f"/dossiers/{self.uuid}/attachments")[1]["attachments"]
        self.attachment = str(attachments[0]["id"])

    def ids(self):
        return {"uuid": self.uuid, "session": self.session, "attachment": self.attachment}

    def fingerprint(self):
        """What the coordination and the administrator read of the alliance's dossier and session."""
        seen = []
        for who in ("clara", "root"):
            for path in ("/changes?since=0", f"/dossiers/{self.uuid}", f"/dossiers/{self.uuid}/audit",
                         f"/dossiers/{self.uuid}/attachments", f"/dossiers/{self.uuid}/comments",
                         f"/dossiers/{self.uuid}/vote", "/sessions", f"/sessions/{self.session}"):
                seen.append(self.p.api("GET", path, who=who))
        return json.dumps(seen, sort_keys=True, default=repr)


def fill(template, ids):
    for key, value in ids.items():
        template = template.replace("{" + key + "}", value)
    return template


with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as work:
    accounts = users()
    add_users(SERVER, data, accounts, PASSWORD, ORGS)

    # The second alliance: its own pack (another id and name), its first coordination account
    # made with it, then the other accounts of the same names in its folder.
    pack = json.load(open(PACK))
    pack["id"], pack["alliance"]["name"] = "west-2025-2028", "Fachkräftebündnis West (Test)"
    pack_path = os.path.join(work, "west.json")
    json.dump(pack, open(pack_path, "w"), ensure_ascii=False)
    run = subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", pack_path, "--coordinator", "clara",
                          "--org", "ihk-lw", "west"], input=WEST_PASSWORD + "\n", capture_output=True, text=True)
    check("add-alliance adds the alliance with its coordinator", run.returncode == 0 and "/a/west" in run.stdout)
    west = os.path.join(data, "alliances", "west")
    run = subprocess.run([SERVER, "audit-log", "--data", data], capture_output=True, text=True)
    check("the service's audit trail records who added it", run.returncode == 0 and "alliance-added" in run.stdout and
          "west" in run.stdout)
    run = subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", pack_path, "west"],
                         capture_output=True, text=True)
    check("an alliance is added once", run.returncode != 0 and "exists already" in run.stderr)
    run = subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", pack_path, "../west"],
                         capture_output=True, text=True)
    check("a name that would leave the alliances folder is refused", run.returncode == 2)
    broken = os.path.join(work, "broken.json")
    json.dump({"format": "buendnis-strategy-pack", "version": 1}, open(broken, "w"))
    run = subprocess.run([SERVER, "add-alliance", "--data", data, "--strategy", broken, "east"],
                         capture_output=True, text=True)
    check("a broken pack is refused, and no alliance is made of it",
          run.returncode != 0 and not os.path.exists(os.path.join(data, "alliances", "east")))
    run = subprocess.run([SERVER, "alliances", "--data", data], capture_output=True, text=True)
    check("alliances lists it with its pack's name", run.returncode == 0 and
          run.stdout.startswith("west\tFachkräftebündnis West (Test)\t"))
    if os.environ.get("BUENDNIS_TEST_BACKEND") == "postgresql":
        check("on PostgreSQL the alliance is a schema of the service's database",
              "options=-csearch_path%3Dalliance_west" in open(os.path.join(west, "database")).read() and
              not os.path.exists(os.path.join(west, "server.db")))
    else:
        check("on SQLite it has a database file of its own", os.path.exists(os.path.join(west, "server.db")))
    add_users(SERVER, west, {k: v for k, v in accounts.items() if k != "clara"}, WEST_PASSWORD, ORGS)

    # A folder that lost its pack is no alliance to serve: never the built-in pack in its place.
    import shutil
    shutil.copytree(west, os.path.join(data, "alliances", "nopack"))
    os.unlink(os.path.join(data, "alliances", "nopack", "strategy.json"))

    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"])
    try:
        status, _ = request(port, "POST", "/a/west/api/v1/login", {"user": "anna", "password": PASSWORD})
        check("the first alliance's password does not sign in to the second", status == 401)
        status, _ = request(port, "POST", "/api/v1/login", {"user": "anna", "password": WEST_PASSWORD})
        check("nor the second's to the first", status == 401)
        status, answer = request(port, "POST", "/a/nowhere/api/v1/login", {"user": "anna", "password": PASSWORD})
        check("an alliance that does not exist is 404", status == 404 and is_error(answer, "not-found"))
        status, answer = request(port, "POST", "/a/nopack/api/v1/login", {"user": "anna", "password": WEST_PASSWORD})
        check("an alliance folder without its pack is not served", status == 404 and is_error(answer, "not-found"))
        status, answer = request(port, "GET", "/a/WEST/api/v1/me")
        check("nor does a name that is none", status == 404 and is_error(answer, "not-found"))

        first = Alliance("first", "", port, PASSWORD, work)
        second = Alliance("west", "/a/west", port, WEST_PASSWORD, work)
        sides = {"first": first, "west": second}

        status, strategy = first.p.api("GET", "/strategy", who="anna")
        check("the first alliance serves its pack", status == 200 and strategy["id"] == "nordostniedersachsen-2024-2027")
        status, strategy = second.p.api("GET", "/strategy", who="anna")
        check("the second serves its own", status == 200 and strategy["id"] == "west-2025-2028" and
              strategy["alliance"]["name"] == "Fachkräftebündnis West (Test)")

        pdf = open(first.p.reference_pdf(), "rb").read()
        sketch = json.load(open(REFERENCE))
        successes = {}
        for method, template, body in ENDPOINTS:
            name = f"{method} {template}"
            successes[name] = 0

            def send(alliance, token_of, ids, who):
                path = fill(template, ids)
                headers = {"Content-Type": "application/pdf"} if body == "PDF" else {"If-Match": "1"} if body == "SKETCH" else None
                payload = pdf if body == "PDF" else dict(copy.deepcopy(sketch), uuid=ids["uuid"]) if body == "SKETCH" \
                    else json.loads(fill(json.dumps(body), ids)) if body is not None else None
                return request(port, method, f"{alliance.prefix}/api/v1{path}", payload, token_of.tokens[who], headers)

            # Own alliance: the second answers as the first.
            for who in ROLES:
                status_first, answer_first = send(first, first, first.ids(), who)
                status_second, answer_second = send(second, second, second.ids(), who)
                successes[name] += status_first < 300
                check(f"own: {name} as {who} is answered alike in both alliances ({status_first}, {status_second})",
                      status_first == status_second and (status_first < 400 or is_error(answer_second)))

            # Other alliance
            before = {key: side.fingerprint() for key, side in sides.items()}
            for who in ROLES:
                for mine, theirs in ((first, second), (second, first)):
                    status, answer = send(theirs, mine, theirs.ids(), who)
                    check(f"other: {name} as {who} of {mine.name} at {theirs.name}'s address is 401",
                          status == 401 and is_error(answer, "unauthorized"))
                    if (method, template) in CREATING:
                        continue
                    if IDS.search(template + json.dumps(body)):
                        status, answer = send(mine, mine, theirs.ids(), who)
                        check(f"other: {name} as {who} of {mine.name} with {theirs.name}'s ids finds nothing ({status})",
                              status in (400, 403, 404) and is_error(answer))
                    elif method == "GET":
                        status, answer = send(mine, mine, theirs.ids(), who)
                        # A call without ids: nothing of the other alliance in what it answers.
                        text = json.dumps(answer, default=repr)
                        check(f"other: {name} as {who} of {mine.name} tells nothing of {theirs.name}",
                              theirs.uuid not in text and theirs.session not in text and
                              "Fachkräftebündnis West" not in text if mine is first else True)
            after = {key: side.fingerprint() for key, side in sides.items()}
            for key in sides:
                check(f"other: {name} changed nothing of {key}", before[key] == after[key])

        for name, count in successes.items():
            if name not in REFUSED_HERE:
                check(f"own: {name} succeeds for someone", count > 0)

        # The CLI signs in to one alliance on the server and drafts against its pack from the first sync on.
        profile = os.path.join(work, "cli-west")
        url = f"http://127.0.0.1:{port}/a/west"
        run = subprocess.run([CLI, "--profile", profile, "login", url, "--user", "anna", "--token-file",
                              os.path.join(work, "anna.token")], input=WEST_PASSWORD + "\n", capture_output=True, text=True)
        check("the CLI signs in to the second alliance", run.returncode == 0)
        run = subprocess.run([CLI, "--profile", profile, "sync"], capture_output=True, text=True)
        served = os.path.join(profile, "served-strategy.json")
        check("its sync keeps the alliance's pack beside the store", run.returncode == 0 and os.path.exists(served) and
              json.load(open(served))["id"] == "west-2025-2028")
        stamp = os.stat(served).st_mtime_ns
        run = subprocess.run([CLI, "--profile", profile, "sync"], capture_output=True, text=True)
        check("a sync with the same pack leaves it as it is", run.returncode == 0 and os.stat(served).st_mtime_ns == stamp)
        out = os.path.join(work, "west.pdf")
        run = subprocess.run([CLI, "--profile", profile, "export-pdf", REFERENCE, out], capture_output=True, text=True)
        text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout if run.returncode == 0 else ""
        check("and drafts against it: the PDF names the alliance", "Fachkräftebündnis West (Test)" in text and
              "Nordostniedersachsen" not in text.splitlines()[0])

        # Sign-out ends the token at its own alliance only, and another's token ends nothing.
        status, _ = request(port, "POST", "/a/west/api/v1/logout", token=first.tokens["anna"])
        check("logout with the first alliance's token at the second is 401", status == 401)
        status, _ = request(port, "GET", "/api/v1/me", token=first.tokens["anna"])
        check("and the token still works at its own", status == 200)
        status, _ = request(port, "POST", "/a/west/api/v1/logout", token=second.tokens["anna"])
        status_gone, _ = request(port, "GET", "/a/west/api/v1/me", token=second.tokens["anna"])
        check("logout at the second alliance ends its token", status == 200 and status_gone == 401)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
