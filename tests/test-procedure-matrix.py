#!/usr/bin/python3
# For every stage and every account, GET /dossiers/UUID/steps against what the server does: each
# step it says is allowed succeeds, and each it says is not is refused by the server with the
# same reason and error code, so that a client offering only the allowed steps never offers one
# the server refuses, and says why for the others. A carrier of another organisation and the
# administrator do not see the dossier at all. TAP output, one check per stage and account.
import os
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve, sign_in  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, SCORES  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")

STAGES = ["consultation", "submitted", "first-assessment", "changes-requested", "not-recommended",
          "long-form-requested", "long-form-received", "rating", "vote", "vote-closed", "statement", "not-endorsed",
          "application", "approved", "rejected", "withdrawn"]
ACCOUNTS = ["anna", "bert", "seat-hwk-bls", "seat-lk-heidekreis", "clara", "root"]
# Steps that leave the stage as it is: taken on the dossier itself; the others each on a copy.
STAYING = {"record-consultation", "rate", "vote", "attach", "comment", "recuse"}

# What each step is given when it is taken: enough for every rule.
INPUT = {
    "record-consultation": {"date": "2026-02-02", "who": "Clara Claus", "notes": "nachgetragen"},
    "start-assessment": {},
    "assess": {"outcome": "positive"},
    "receive-long-form": {},
    "open-rating": {},
    "rate": {"scores": SCORES},
    "open-vote": {"reason": "Die Sitzung entscheidet."},
    "vote": {"choice": "abstain"},
    "issue-statement": {},
    "file-application": {},
    "approve": {"amount": 1000, "date": "2026-03-01"},
    "reject": {"reason": "Mittel ausgeschöpft."},
    "withdraw": {"reason": "Zurückgezogen."},
    "reopen": {"reason": "Wieder aufgenommen."},
    "comment": {"text": "Eine Anmerkung."},
    "recuse": {"org": "ostfalia"},
    "attach": None,
    "submit": None,
}


def prepare(p, stage):
    uuid = p.to_stage(stage)
    if stage in ("long-form-requested",):
        p.take(uuid, "attach", "long-form", "anna")   # so that receiving it is allowed
    return uuid


with tempfile.TemporaryDirectory() as data:
    accounts = users()
    admin = add_users(SERVER, data, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()   # the access log, read away
    try:
        p = Procedure(port, sign_in(port, accounts, PASSWORD), CLI, REFERENCE, data)
        n_taken = n_refused = 0
        for stage in STAGES:
            uuid = prepare(p, stage)
            for who in ACCOUNTS:
                status, listed = p.steps(uuid, who)
                if who in ("bert", "root") or status == 404:
                    # Another organisation's carrier, the administrator, and a partner before the
                    # submission do not see the dossier
                    refused = [p.take(uuid, step, INPUT[step], who)[0] for step in ("withdraw", "comment", "submit")]
                    check(f"{stage}: {who} sees no steps and takes none (404)",
                          status == 404 and refused == [404, 404, 404] and
                          (who in ("bert", "root") or stage == "consultation"))
                    continue
                problems = []
                for step, entry in listed.items():
                    if entry["allowed"]:
                        continue
                    status, payload = p.take(uuid, step, INPUT[step], who)
                    n_refused += 1
                    if not isinstance(payload, dict) or payload.get("message") != entry["reason"] or \
                       payload.get("error") != entry["error"]:
                        problems.append(f"{step}: says “{entry['reason']}” ({entry['error']}), "
                                        f"the server {status} {payload!r:.160}")
                # The allowed steps, taken: those that keep the stage here, the others on a copy
                for step, entry in listed.items():
                    if not entry["allowed"]:
                        continue
                    target = uuid if step in STAYING else prepare(p, stage)
                    if step in ("rate", "vote", "recuse", "record-consultation") and \
                       not p.steps(target, who)[1][step]["allowed"]:
                        continue   # an earlier account's step changed it (a recusal, say)
                    status, payload = p.take(target, step, INPUT[step], who)
                    n_taken += 1
                    if status != 200:
                        problems.append(f"{step}: allowed, but the server {status} {payload!r:.160}")
                for problem in problems:
                    print(f"# {stage}, {who}: {problem}", file=sys.stderr)
                check(f"{stage}, {who}: every step allowed succeeds, every other is refused with its reason",
                      status is not None and not problems)
        check(f"the steps were tried ({n_taken} taken, {n_refused} refused)", n_taken > 40 and n_refused > 200)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
