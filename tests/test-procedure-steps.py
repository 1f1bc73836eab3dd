#!/usr/bin/python3
# The rules of strategy §4.1 on a real buendnis-server, path by path: a negative first assessment
# closes the dossier with its reason for the carrier; a request for changes takes the revised
# sketch into the same dossier, both submissions kept with their SHA-256 and the difference
# between them; no long form, no receipt; the rating round has a deadline and "n of m rated",
# and closing it early needs a reason that the trail keeps; a negative statement closes the
# dossier as not endorsed and the application follows only a positive one; withdrawal and
# reopening with reasons; the consultation, recorded first or completed after a submission.
# TAP output.
import hashlib
import os
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, is_error, report, add_users, serve, sign_in  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, CARRIER_ORG, SCORES  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")


def sha(data):
    return hashlib.sha256(data).hexdigest()


def actions(p, uuid):
    return [(e["action"], e["detail"]) for e in p.api("GET", f"/dossiers/{uuid}/audit")[1]["entries"]]


with tempfile.TemporaryDirectory() as data:
    accounts = users()
    admin = add_users(SERVER, data, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()   # the access log, read away
    try:
        p = Procedure(port, sign_in(port, accounts, PASSWORD), CLI, REFERENCE, data)

        # A negative first assessment closes the dossier; the carrier reads why
        uuid = p.to_stage("first-assessment")
        status, payload = p.take(uuid, "assess", {"outcome": "negative"})
        check("a negative assessment without a reason is refused: 422",
              status == 422 and is_error(payload, "invalid") and "needs a reason" in payload["message"])
        status, payload = p.take(uuid, "assess", {"outcome": "negative", "reason": "Nicht förderfähig: Ziel 3.4 fehlt."})
        check("a negative assessment closes the dossier as not recommended",
              status == 200 and payload["stage"] == "not-recommended" and
              payload["procedure"]["closed_at"] == "first-assessment")
        status, payload = p.api("GET", f"/dossiers/{uuid}", who="anna")
        check("the carrier reads the reason in its dossier",
              status == 200 and payload["assessment"]["reason"] == "Nicht förderfähig: Ziel 3.4 fehlt." and
              payload["assessment"]["outcome"] == "negative")
        status, payload = p.take(uuid, "receive-long-form")
        check("no way on to the long form after it: 409", status == 409 and is_error(payload, "conflict"))
        check("the trail has the assessment and the closing move with its reason",
              [a for a, _ in actions(p, uuid)][-2:] == ["assessment", "not-recommended"] and
              actions(p, uuid)[-1][1]["reason"] == "Nicht förderfähig: Ziel 3.4 fehlt.")

        # Needs changes: the carrier revises and submits again into the same dossier
        uuid = p.to_stage("first-assessment")
        first_pdf = p.api("GET", f"/sketches/{uuid}/pdf", who="clara")[1]
        status, payload = p.take(uuid, "assess", {"outcome": "needs-changes", "note": "Bitte die Kosten erläutern."})
        check("a request for changes sends the sketch back to the carrier",
              status == 200 and payload["stage"] == "changes-requested")
        status, payload = p.write_sketch(uuid, who="seat-hwk-bls")
        check("nobody but the carrier writes it", status == 403)

        def revise(sketch):
            sketch["sections"]["costs"] = sketch["sections"]["costs"].replace(
                "Eigenanteil und Kofinanzierung betragen je 62.000 €.",
                "Eigenanteil und Kofinanzierung sind erläutert nach NBank-Vorlage.")
        status, payload = p.write_sketch(uuid, revise)
        check("the carrier revises the sketch in its dossier", status == 200 and payload["stage"] == "changes-requested")
        revised_text = p.api("GET", f"/sketches/{uuid}", who="anna")[1]["data"]["sections"]["costs"]
        partner_text = p.api("GET", f"/sketches/{uuid}", who="seat-hwk-bls")[1]["data"]["sections"]["costs"]
        check("until it is submitted again, the partners see the sketch as it was submitted",
              "erläutert nach NBank-Vorlage" in revised_text and "betragen je 62.000 €" in partner_text)
        status, payload, second_pdf = p.submit(uuid)
        check("and submits it again into the same dossier", status == 200 and payload["stage"] == "submitted" and
              payload["sha256"] == sha(second_pdf))
        status, listed = p.api("GET", f"/dossiers/{uuid}/submissions", who="seat-hwk-bls")
        subs = listed.get("submissions", []) if status == 200 else []
        check("both submissions are kept, each with its SHA-256",
              [s["n"] for s in subs] == [1, 2] and subs[0]["sha256"] == sha(first_pdf) and
              subs[1]["sha256"] == sha(second_pdf) and subs[0]["sha256"] != subs[1]["sha256"] and
              all(s["submitted_by"] == "anna" for s in subs))
        for n, pdf in [(1, first_pdf), (2, second_pdf)]:
            status, got = p.api("GET", f"/dossiers/{uuid}/submissions/{n}", who="seat-hwk-bls")
            check(f"submission {n} comes back byte for byte", status == 200 and got == pdf)
        status, diff = p.api("GET", f"/dossiers/{uuid}/submissions/diff", who="seat-hwk-bls")
        changed = {c["field"]: c for c in diff.get("changes", [])} if status == 200 else {}
        check("the difference between the submissions names the revised section and its words",
              diff.get("from") == 1 and diff.get("to") == 2 and list(changed) == ["section:costs"] and
              "erläutert nach NBank-Vorlage." in " ".join(changed["section:costs"]["added"]) and
              changed["section:costs"]["removed"] == ["betragen je 62.000 €."])
        status, payload = p.api("GET", f"/dossiers/{uuid}/submissions/diff?from=1&to=1", who="clara")
        check("a difference needs two submissions: 404", status == 404 and is_error(payload, "not-found"))
        status, payload = p.api("GET", f"/dossiers/{uuid}/submissions/3", who="clara")
        check("no third submission: 404", status == 404)
        check("the trail keeps both submissions with their numbers and checksums",
              [(d["n"], d["sha256"]) for a, d in actions(p, uuid) if a == "submitted"] ==
              [(1, sha(first_pdf)), (2, sha(second_pdf))])
        status, payload = p.write_sketch(uuid)
        check("once submitted again it cannot change: 409", status == 409)
        status, payload = p.take(uuid, "start-assessment")
        status, payload = p.take(uuid, "assess", {"outcome": "positive"})
        check("the revised sketch is assessed again, positively", status == 200 and
              payload["stage"] == "long-form-requested")

        # No long form, no receipt
        status, payload = p.take(uuid, "receive-long-form")
        check("the long form is not received without a long-form attachment: 409",
              status == 409 and is_error(payload, "conflict") and "long-form attachment" in payload["message"])
        status, _ = p.take(uuid, "attach", "letter-of-intent", "anna")
        status, payload = p.take(uuid, "receive-long-form")
        check("a letter of intent is no long form", status == 409)
        status, _ = p.take(uuid, "attach", "long-form", "anna")
        status, payload = p.take(uuid, "receive-long-form")
        check("with the long form attached it is received", status == 200 and payload["stage"] == "long-form-received")

        # The rating round: a deadline, n of m, and a reason to close it early
        status, payload = p.take(uuid, "open-rating", {"deadline": "2020-01-01"})
        check("a deadline in the past is refused: 422", status == 422)
        status, payload = p.take(uuid, "open-rating", {"deadline": "bald"})
        check("a deadline that is none is refused: 400", status == 400)
        status, payload = p.take(uuid, "open-rating")
        round_ = payload["procedure"]["rating_round"] if status == 200 else {}
        check("the rating round opens with the pack's 14 days",
              status == 200 and payload["stage"] == "rating" and abs(round_["deadline"] - round_["opened"] - 14 * 86400) <= 2)
        for org in ["hwk-bls", "dgb-non"]:
            p.api("PUT", f"/dossiers/{uuid}/rating", {"scores": SCORES}, f"seat-{org}")
        status, ratings = p.api("GET", f"/dossiers/{uuid}/ratings", who="clara")
        check("the round shows 2 of 13 rated", status == 200 and ratings["rated"] == 2 and ratings["entitled"] == 13)
        status, listed = p.steps(uuid, "clara")
        check("GET steps says closing needs a reason now", status == 200 and listed["open-vote"]["allowed"] and
              "closing the round early needs a reason" in listed["open-vote"]["needs"])
        status, payload = p.take(uuid, "open-vote")
        check("closing the round early without a reason is refused: 422",
              status == 422 and is_error(payload, "invalid") and "needs a reason" in payload["message"])
        status, payload = p.take(uuid, "open-vote", {"reason": "   "})
        check("a reason of blanks is none", status == 422)
        status, payload = p.take(uuid, "open-vote", {"reason": "Sitzung am 12.03., 2 Bewertungen genügen."})
        check("with a reason the round closes and the vote opens", status == 200 and payload["stage"] == "vote" and
              payload["procedure"]["rating_round"]["close_reason"] == "Sitzung am 12.03., 2 Bewertungen genügen.")
        trail = actions(p, uuid)
        check("the early close is in the audit trail with its reason and the count",
              ("vote", {"step": "open-vote", "from": "rating", "reason": "Sitzung am 12.03., 2 Bewertungen genügen.",
                        "rated": 2, "entitled": 13}) in [(a, {k: v for k, v in d.items() if k != "deadline"})
                                                          for a, d in trail] and
              [a for a, _ in trail][-1] == "vote-opened")
        status, vote = p.api("GET", f"/dossiers/{uuid}/vote", who="clara")
        check("the vote opened on the server's question", status == 200 and
              vote["question"] == "Gibt der Lenkungskreis eine positive Stellungnahme zu „Welcome & Stay – Internationale "
              "Fachkräfte für Logistik und Pflege halten“ ab?" and not vote["closed"])

        # A round every entitled organisation rated closes without a reason
        other = p.to_stage("rating")
        for org in [o for o in p.entitled(other) if o not in ("hwk-bls", "dgb-non")]:
            p.api("POST", f"/dossiers/{other}/recusals", {"org": org})
        for org in ["hwk-bls", "dgb-non"]:
            p.api("PUT", f"/dossiers/{other}/rating", {"scores": SCORES}, f"seat-{org}")
        status, payload = p.take(other, "open-vote")
        check("once every entitled organisation rated, the round closes without a reason",
              status == 200 and payload["stage"] == "vote")

        # The statement steers: application only after a positive one; a negative one closes
        status, payload = p.take(uuid, "file-application")
        check("no application before the statement: 409", status == 409 and is_error(payload, "conflict"))
        status, payload = p.take(uuid, "issue-statement")
        check("no statement while the vote runs: 409", status == 409)
        for org in p.entitled(uuid):
            p.api("PUT", f"/dossiers/{uuid}/vote", {"choice": "no"}, f"seat-{org}")
        status, payload = p.api("POST", f"/dossiers/{uuid}/statement", b"", who="clara")
        check("13 × no gives a negative statement that closes the dossier as not endorsed",
              status == 200 and payload["stage"] == "not-endorsed")
        status, payload = p.take(uuid, "file-application", who="anna")
        check("no application after a negative statement: 409", status == 409 and is_error(payload, "conflict"))
        status, payload = p.take(uuid, "approve", {"amount": 1, "date": "2026-01-01"})
        check("nor a decision", status == 409)

        positive = p.to_stage("statement")
        check("a positive statement stays at the statement", p.stage(positive) == "statement")
        status, payload = p.take(positive, "file-application", who="anna")
        check("the carrier files the application after a positive statement",
              status == 200 and payload["stage"] == "application")
        status, payload = p.take(positive, "approve", {"amount": 120000.5})
        check("an approval without its date is refused: 422", status == 422 and is_error(payload, "invalid"))
        status, payload = p.take(positive, "approve", {"amount": -5, "date": "2026-03-01"})
        check("an approval of no amount is refused: 422", status == 422)
        status, payload = p.take(positive, "approve", {"amount": 120000.5, "date": "2026-03-01", "comment": "Bescheid"})
        check("the approval is recorded with amount and date", status == 200 and payload["stage"] == "approved" and
              actions(p, positive)[-1] == ("approved", {"step": "approve", "from": "application", "comment": "Bescheid",
                                                       "amount": 120000.5, "date": "2026-03-01"}))
        status, payload = p.take(positive, "reopen", {"reason": "Irrtum"})
        check("an approved dossier cannot be reopened: 409", status == 409)
        rejected = p.to_stage("application")
        status, payload = p.take(rejected, "reject")
        check("a rejection needs a reason: 422", status == 422)
        status, payload = p.take(rejected, "reject", {"reason": "Mittel ausgeschöpft."})
        check("a rejection with its reason", status == 200 and payload["stage"] == "rejected")

        # Withdrawal and reopening, with reasons
        status, payload = p.take(rejected, "reopen", {"reason": "NBank prüft erneut."})
        check("the coordination reopens a rejected dossier to its application",
              status == 200 and payload["stage"] == "application" and payload["procedure"]["closed_at"] is None)
        uuid = p.to_stage("rating")
        p.api("PUT", f"/dossiers/{uuid}/rating", {"scores": SCORES}, "seat-hwk-bls")
        status, payload = p.take(uuid, "withdraw", who="anna")
        check("a withdrawal needs a reason: 422", status == 422 and is_error(payload, "invalid"))
        status, payload = p.take(uuid, "withdraw", {"reason": "Kooperationspartner fehlt."}, "seat-hwk-bls")
        check("a partner cannot withdraw: 403", status == 403 and is_error(payload, "forbidden"))
        status, payload = p.take(uuid, "withdraw", {"reason": "Kooperationspartner fehlt."}, "bert")
        check("a carrier of another organisation does not even see it: 404", status == 404)
        status, payload = p.take(uuid, "withdraw", {"reason": "Kooperationspartner fehlt."}, "anna")
        check("the carrier withdraws its dossier with a reason", status == 200 and payload["stage"] == "withdrawn" and
              payload["procedure"]["closed_at"] == "rating")
        status, payload = p.take(uuid, "withdraw", {"reason": "noch einmal"}, "clara")
        check("a closed dossier cannot be withdrawn again: 409", status == 409)
        status, payload = p.take(uuid, "reopen", {"reason": "Partner gefunden."}, "anna")
        check("the carrier cannot reopen: 403", status == 403)
        status, payload = p.take(uuid, "reopen", {}, "clara")
        check("reopening needs a reason: 422", status == 422)
        status, payload = p.take(uuid, "reopen", {"reason": "Partner gefunden."}, "clara")
        check("the coordination reopens it to where it was closed", status == 200 and payload["stage"] == "rating")
        status, ratings = p.api("GET", f"/dossiers/{uuid}/ratings", who="seat-hwk-bls")
        check("its rating round goes on with the ratings given", status == 200 and not ratings["closed"] and
              ratings["rated"] == 1)
        trail = actions(p, uuid)
        check("the trail keeps the withdrawal and the reopening with their reasons",
              ("withdrawn", {"step": "withdraw", "from": "rating", "reason": "Kooperationspartner fehlt."}) in trail and
              ("reopened", {"step": "reopen", "from": "withdrawn", "reason": "Partner gefunden.", "to": "rating"}) in trail)

        closed = p.to_stage("not-endorsed")
        status, payload = p.take(closed, "reopen", {"reason": "Neue Unterlagen, der Lenkungskreis stimmt erneut ab."})
        status, vote = p.api("GET", f"/dossiers/{closed}/vote", who="clara")
        check("a reopened dossier that was not endorsed is voted on again, in a new round",
              status == 200 and p.stage(closed) == "vote" and not vote["closed"] and vote["voted"] == 0)
        for org in p.entitled(closed):
            p.api("PUT", f"/dossiers/{closed}/vote", {"choice": "yes"}, f"seat-{org}")
        status, payload = p.api("POST", f"/dossiers/{closed}/statement", b"", who="clara")
        check("its new statement is positive and the latest one", status == 200 and payload["stage"] == "statement" and
              p.api("GET", f"/dossiers/{closed}/statement", who="anna")[1].startswith(b"%PDF-") and
              sha(p.api("GET", f"/dossiers/{closed}/statement", who="anna")[1]) == payload["sha256"])

        # The consultation: where a dossier starts, or completed after a submission
        started = p.to_stage("consultation")
        status, payload = p.api("GET", f"/dossiers/{started}", who="anna")
        check("a dossier the coordination started with its consultation is the carrier's to write",
              status == 200 and payload["stage"] == "consultation" and
              payload["consultation"] == {"date": "2026-02-02", "who": "Anna Alt, Clara Claus", "notes": "Idee besprochen",
                                          "complete": True, "recorded_by": "clara",
                                          "recorded": payload["consultation"]["recorded"]})
        status, payload = p.api("GET", f"/dossiers/{started}", who="seat-hwk-bls")
        check("the partners do not see it before its submission: 404", status == 404)
        status, changes = p.api("GET", "/changes?since=0", who="seat-hwk-bls")
        check("nor in their changes", started not in [c["uuid"] for c in changes["changes"]])
        status, changes = p.api("GET", "/changes?since=0", who="anna")
        synced = [c for c in changes["changes"] if c["uuid"] == started]
        check("the carrier's sync brings it, with the steps it may take",
              len(synced) == 1 and synced[0]["stage"] == "consultation" and
              {s["step"]: s["allowed"] for s in synced[0]["procedure"]["steps"]}["submit"] is True)
        status, payload, _ = p.submit(started)
        check("the carrier submits into it", status == 200 and payload["stage"] == "submitted")
        check("the partners see it now", p.api("GET", f"/dossiers/{started}", who="seat-hwk-bls")[0] == 200)
        status, payload = p.api("POST", f"/dossiers/{started}/consultation", {"date": "2026-02-02"}, "seat-hwk-bls")
        check("only the coordination records a consultation: 403", status == 403)

        plain = p.new_dossier()
        status, payload = p.api("GET", f"/dossiers/{plain}", who="clara")
        check("a first submission without a consultation starts one, incomplete",
              status == 200 and payload["consultation"]["complete"] is False and payload["consultation"]["date"] is None
              and ("submitted", {"sha256": actions(p, plain)[0][1]["sha256"], "n": 1, "consultation": "incomplete"})
              == actions(p, plain)[0])
        status, payload = p.api("POST", f"/dossiers/{plain}/consultation", {"who": "Clara Claus"})
        check("completing it needs the day it was held: 422", status == 422)
        status, payload = p.api("POST", f"/dossiers/{plain}/consultation",
                                {"date": "2026-02-20", "who": "Clara Claus, Anna Alt", "notes": "telefonisch"})
        check("the coordination completes it", status == 200 and payload["complete"] is True and
              payload["date"] == "2026-02-20" and p.stage(plain) == "submitted")
        status, payload = p.api("POST", f"/dossiers/{plain}/steps/fly", {})
        check("an unknown step is 404", status == 404)
        new = "6b0a1f3e-2d4c-4b5a-9e8f-7a6b5c4d3e2f"
        status, payload = p.api("POST", f"/dossiers/{new}/consultation", {"date": "2026-02-02", "org": "nowhere",
                                                                          "title": "x"})
        check("a consultation for an unknown organisation is refused: 422", status == 422)
        status, payload = p.api("POST", f"/dossiers/{new}/consultation", {"date": "2026-02-02"})
        check("a new dossier needs the organisation and title: 422", status == 422)
        status, payload = p.api("POST", f"/dossiers/{new}/consultation", {"date": "2026-02-02", "org": CARRIER_ORG,
                                                                          "title": "Idee"}, "anna")
        check("a carrier starts no dossier with a consultation: 403", status == 403)
    finally:
        server.terminate()
        server.wait(timeout=10)

    run = admin("audit-verify")
    check("every trail verifies", run.returncode == 0)

report()
