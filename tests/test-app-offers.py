#!/usr/bin/python3
# Acceptance 4 of issue 12: for every stage and every account, what the app offers on a dossier
# (bnd_dossier_offered_steps(), asked through tests/offered-steps on the very JSON that
# GET /dossiers/UUID gives the app's sync) is what the server does: each step offered succeeds,
# each one not offered is refused (403, 409 or 422). A step that moves the dossier on is taken
# on a fresh dossier at the same stage, so that taking one does not spoil the others. The roles:
# the coordination (clara), the carrier's own organisation (anna), a carrier of another
# organisation (bert, who does not see the dossier), and a partner's seat. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve, sign_in  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, SCORES  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
OFFERED = os.environ["BUENDNIS_OFFERED_STEPS"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")

STAGES = ["consultation", "submitted", "first-assessment", "changes-requested", "not-recommended",
          "long-form-requested", "long-form-received", "rating", "vote", "vote-closed", "statement", "not-endorsed",
          "application", "approved", "rejected", "withdrawn"]
ACCOUNTS = {"clara": "coordination", "anna": "carrier", "bert": "carrier", "seat-hwk-bls": "partner"}
STAYING = {"record-consultation", "rate", "vote", "attach", "comment", "recuse"}
INPUT = {
    "record-consultation": {"date": "2026-02-02", "who": "Clara Claus", "notes": "nachgetragen"},
    "start-assessment": {},
    "assess": {"outcome": "needs-changes", "reason": "Bitte den Finanzplan erläutern."},
    "receive-long-form": {},
    "open-rating": {},
    "rate": {"scores": SCORES},
    "open-vote": {"reason": "Die Sitzung entscheidet."},
    "vote": {"choice": "abstain"},
    "issue-statement": {},
    "file-application": {},
    "approve": {"amount": 120000.5, "date": "2026-03-01"},
    "reject": {"reason": "Mittel ausgeschöpft."},
    "withdraw": {"reason": "Zurückgezogen."},
    "reopen": {"reason": "Wieder aufgenommen."},
    "comment": {"text": "Eine Anmerkung."},
    "recuse": {"org": "ostfalia"},
    "attach": "long-form",
    "submit": None,
}


def prepare(p, stage):
    uuid = p.to_stage(stage)
    if stage == "long-form-requested":
        p.take(uuid, "attach", "long-form", "anna")   # so that receiving it is possible
    return uuid


def offered(p, uuid, who):
    """The steps the app offers @who, from the dossier as its sync fetches it; None: not seen."""
    status, dossier = p.api("GET", f"/dossiers/{uuid}", who=who)
    if status != 200:
        return None
    out = subprocess.run([OFFERED, ACCOUNTS[who]], input=json.dumps(dossier), capture_output=True, text=True,
                         check=True).stdout
    return {line.split(" ")[0]: line.split(" ")[1] == "allowed" for line in out.splitlines()}


with tempfile.TemporaryDirectory() as data:
    accounts = users()
    add_users(SERVER, data, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()
    try:
        p = Procedure(port, sign_in(port, accounts, PASSWORD), CLI, REFERENCE, data)
        n_taken = n_refused = 0
        for stage in STAGES:
            uuid = prepare(p, stage)
            for who in ACCOUNTS:
                steps = offered(p, uuid, who)
                if steps is None:
                    refused = [p.take(uuid, step, INPUT[step], who)[0] for step in ("withdraw", "comment")]
                    check(f"{stage}: {who} does not see the dossier, and takes no step",
                          refused == [404, 404] and (who == "bert" or stage == "consultation"))
                    continue
                problems = []
                for step, allowed in steps.items():
                    if allowed:
                        continue
                    status, payload = p.take(uuid, step, INPUT[step], who)
                    n_refused += 1
                    if status not in (403, 409, 422):
                        problems.append(f"{step}: not offered, but the server answered {status} {payload!r:.160}")
                for step, allowed in steps.items():
                    if not allowed:
                        continue
                    target = uuid if step in STAYING else prepare(p, stage)
                    again = offered(p, target, who)
                    if step in STAYING and not again.get(step):
                        continue   # an earlier step on this dossier changed it (a recusal, say)
                    status, payload = p.take(target, step, INPUT[step], who)
                    n_taken += 1
                    if status != 200:
                        problems.append(f"{step}: offered, but the server answered {status} {payload!r:.160}")
                for problem in problems:
                    print(f"# {stage}, {who}: {problem}", file=sys.stderr)
                check(f"{stage}, {who}: every step offered succeeds, every other is refused "
                      f"({', '.join(s for s, a in steps.items() if a) or 'none offered'})", not problems)
        # The two weeks to the statement run from the long form's receipt, which the dossier says
        waiting, rating = p.to_stage("long-form-requested"), p.to_stage("rating")
        received = p.api("GET", f"/dossiers/{rating}", who="seat-hwk-bls")[1]["procedure"]["long_form_received"]
        check("the dossier says when the long form was received, and not before",
              p.api("GET", f"/dossiers/{waiting}")[1]["procedure"]["long_form_received"] is None and
              isinstance(received, int) and abs(time.time() - received) < 600)
        check(f"the steps were tried ({n_taken} taken, {n_refused} refused)", n_taken > 30 and n_refused > 150)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
