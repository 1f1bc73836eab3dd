#!/usr/bin/python3
# The circulation vote on a real buendnis-server: only the coordination opens it, one vote per
# entitled organisation, recused organisations cannot vote, nobody sees a choice before the
# close, and a vote after the close is refused. TAP output.
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
FIRST = "3c1e9a7b-5d2f-4e8a-b6c4-9f0d1e2a3b4c"
SECOND = "7a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c5d"
PARTNERS = ['ihk-lw', 'hwk-bls', 'agv-lueneburg', 'dgb-non', 'aa-lueneburg-uelzen', 'aa-celle', 'leuphana',
            'ostfalia', 'lk-lueneburg', 'lk-harburg', 'lk-uelzen', 'lk-luechow-dannenberg', 'lk-celle',
            'lk-heidekreis']
RECUSED = ["leuphana", "lk-heidekreis"]   # the co-applicant and the carrier's own Landkreis

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    users.update({f"seat-{org}": (org, "partner") for org in PARTNERS})
    users["second-seat-lk-celle"] = ("lk-celle", "partner")
    admin = add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        coordination = tokens["clara"]
        celle = tokens["seat-lk-celle"]

        def to_stage(uuid, last):
            """Up to @last, the long form attached; the vote is opened by POST …/vote in the round."""
            for stage in ["first-assessment", "long-form-requested", "long-form-received", "rating"]:
                if stage == "long-form-received":
                    request(port, "POST", f"/api/v1/dossiers/{uuid}/attachments?kind=long-form&name=L.pdf",
                            pdfs[uuid], tokens["anna"])
                request(port, "POST", f"/api/v1/dossiers/{uuid}/stage", {"stage": stage}, coordination)
                if stage == last:
                    return

        pdfs = {}
        for uuid in [FIRST, SECOND]:
            status, pdfs[uuid] = submit_sketch(port, tokens["anna"], uuid, CLI, REFERENCE)
            check(f"the carrier submits {uuid[:8]}", status == 200)
        vote = f"/api/v1/dossiers/{FIRST}/vote"
        early = "Sitzung des Lenkungskreises am 12.03."   # the rating round closes before everyone rated

        # Before the round opens
        to_stage(FIRST, "long-form-received")
        status, payload = request(port, "POST", vote, {"question": "Befürworten?", "reason": early}, coordination)
        check("no round before the rating round: 409", status == 409 and is_error(payload, "conflict"))
        to_stage(FIRST, "rating")
        status, payload = request(port, "PUT", vote, {"choice": "yes"}, celle)
        check("no vote before the round opens: 409", status == 409 and is_error(payload, "conflict"))
        status, payload = request(port, "POST", vote, {"question": "Befürworten?"}, coordination)
        check("closing the rating round early without a reason: 422", status == 422 and is_error(payload, "invalid"))
        for name in ["anna", "seat-lk-celle"]:
            status, payload = request(port, "POST", vote, {"question": "Befürworten?", "reason": early}, tokens[name])
            check(f"{users[name][1]} cannot open a vote: 403", status == 403 and is_error(payload, "forbidden"))
        for body in [{"question": 5}, {"question": "x", "deadline": "morgen"}, {"question": "x", "recused": "leuphana"},
                     b"{"]:
            if isinstance(body, dict):
                body["reason"] = early
            status, payload = request(port, "POST", vote, body, coordination)
            check(f"opening with {body!r:.40} is 400", status == 400 and is_error(payload, "bad-request"))
        status, payload = request(port, "POST", vote, {"question": "x", "recused": ["nobody"], "reason": early},
                                  coordination)
        check("recusing an unknown organisation is 422", status == 422 and is_error(payload))
        status, payload = request(port, "POST", vote, {"question": "x", "deadline": "2020-01-01T00:00:00Z",
                                                       "reason": early}, coordination)
        check("a deadline in the past is 422", status == 422 and is_error(payload))

        status, opened = request(port, "POST", vote, {"question": "Befürwortet der Lenkungskreis das Projekt?",
                                                      "recused": ["leuphana"], "reason": early}, coordination)
        check("the coordination opens the vote", status == 200 and not opened["closed"] and
              opened["recused"] == sorted(RECUSED) and opened["entitled"] == len(PARTNERS) - 2)
        check("the default deadline is 14 days", status == 200 and
              abs(opened["deadline"] - opened["opened"] - 14 * 86400) <= 2)
        status, payload = request(port, "POST", vote, {"question": "noch einmal"}, coordination)
        check("a second round on the same dossier is 409", status == 409)

        # Who may vote
        for name in ["anna", "clara", "seat-leuphana", "seat-lk-heidekreis"]:
            status, payload = request(port, "PUT", vote, {"choice": "yes"}, tokens[name])
            check(f"{name} cannot vote: 403", status == 403 and is_error(payload, "forbidden"))
        status, payload = request(port, "PUT", vote, {"choice": "vielleicht"}, celle)
        check("a choice other than yes, no or abstain is 422", status == 422)

        # One vote per organisation, changeable, secret until the close
        status, payload = request(port, "PUT", vote, {"choice": "no", "comment": "zu teuer"}, celle)
        check("a seat votes and sees its own vote", status == 200 and payload["voted"] == 1 and
              payload["ballots"] == [{"org": "lk-celle", "choice": "no", "comment": "zu teuer"}])
        status, payload = request(port, "PUT", vote, {"choice": "yes"}, tokens["second-seat-lk-celle"])
        check("the organisation's second seat changes the same vote", status == 200 and payload["voted"] == 1 and
              payload["ballots"][0]["choice"] == "yes")
        for name in ["seat-hwk-bls", "clara", "anna"]:
            status, payload = request(port, "GET", vote, token=tokens[name])
            check(f"{name} sees no other organisation's choice before the close",
                  status == 200 and all(b["org"] == users[name][0] and b["choice"] is None for b in payload["ballots"])
                  and "result" not in payload and "zu teuer" not in str(payload))

        # A seat on the road: the vote is cast with the server gone, and counted once it is back
        profile = os.path.join(data, "ostfalia-profile")

        def cli(*args):
            return subprocess.run([CLI, "--profile", profile, *args], capture_output=True, text=True)

        subprocess.run([CLI, "--profile", profile, "login", f"http://127.0.0.1:{port}", "--user", "seat-ostfalia",
                        "--token-file", profile + ".token"], input=PASSWORD + "\n", capture_output=True, text=True)
        check("the seat's profile syncs the submitted dossiers", cli("sync").returncode == 0)
        server.terminate()
        server.wait(timeout=10)
        run = cli("vote", FIRST, "yes", "--comment", "unterwegs")
        check("a vote cast offline is kept", run.returncode == 0 and "next sync" in run.stdout)
        check("it is listed as waiting", "waiting" in cli("votes").stdout)
        server, _ = serve(SERVER, data, port)
        run = cli("sync")
        check("the next sync delivers it", run.returncode == 0 and "votes counted 1, not counted 0" in run.stdout)
        status, payload = request(port, "GET", vote, token=tokens["seat-ostfalia"])
        check("the server counted it once", status == 200 and payload["voted"] == 2 and
              payload["ballots"] == [{"org": "ostfalia", "choice": "yes", "comment": "unterwegs"}])

        voters = [org for org in PARTNERS if org not in RECUSED and org not in ("lk-celle", "ostfalia")]
        for org in voters:
            choice = "abstain" if org == "dgb-non" else "yes"
            status, payload = request(port, "PUT", vote, {"choice": choice}, tokens[f"seat-{org}"])
        check("the last entitled vote closes the round", status == 200 and payload["closed"])
        status, result = request(port, "GET", vote, token=tokens["anna"])
        check("after the close everyone sees each organisation's vote and the result",
              status == 200 and len(result["ballots"]) == len(PARTNERS) - 2 and
              result["result"] == {"yes": 11, "no": 0, "abstain": 1, "quorum": True, "adopted": True})
        status, payload = request(port, "PUT", vote, {"choice": "no"}, celle)
        check("a vote after the close is refused as not counted", status == 409 and "not counted" in payload["message"])

        # The statement of the Lenkungskreis, from the closed round
        statement = f"/api/v1/dossiers/{FIRST}/statement"
        status, payload = request(port, "POST", statement, b"", celle)
        check("a partner cannot issue the statement: 403", status == 403 and is_error(payload, "forbidden"))
        status, payload = request(port, "POST", statement, b"", coordination)
        check("the coordination issues the statement", status == 200 and len(payload.get("sha256", "")) == 64)
        status, pdf = request(port, "GET", statement, token=tokens["anna"])
        check("the carrier fetches the statement PDF", status == 200 and pdf.startswith(b"%PDF-"))
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode()
        flat = " ".join(text.split())
        check("the statement names the question, the votes, the recusals and the result",
              "Stellungnahme des Lenkungskreises" in flat and "Befürwortet der Lenkungskreis das Projekt?" in flat and
              "Landkreis Celle Ja" in flat and "Befangenheit" in flat and "Leuphana" in flat and
              "Ergebnis: 11 Ja, 0 Nein, 1 Enthaltungen von 12" in flat and "Beschlussfähig: ja" in flat and
              "Der Lenkungskreis befürwortet das Projekt." in flat)
        status, payload = request(port, "GET", f"/api/v1/sketches/{FIRST}", token=tokens["anna"])
        check("issuing the statement moves the dossier on", status == 200 and payload["stage"] == "statement")
        status, payload = request(port, "POST", statement, b"", coordination)
        check("a second statement is refused: 409", status == 409)
        status, payload = request(port, "PUT", vote, {"choice": "no"}, celle)
        check("no vote counts after the statement", status == 409 and is_error(payload, "closed"))
        status, payload = request(port, "GET", f"/api/v1/dossiers/{SECOND}/statement", token=celle)
        check("no statement before it is issued: 404", status == 404 and is_error(payload))

        # A round that closes at its deadline
        to_stage(SECOND, "rating")
        vote = f"/api/v1/dossiers/{SECOND}/vote"
        deadline = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3))
        status, payload = request(port, "POST", vote, {"question": "Eilig?", "deadline": deadline, "reason": early},
                                  coordination)
        check("a round with a short deadline opens", status == 200)
        request(port, "PUT", vote, {"choice": "yes"}, celle)
        time.sleep(4)
        status, payload = request(port, "PUT", vote, {"choice": "yes"}, tokens["seat-hwk-bls"])
        check("a vote after the deadline is refused", status == 409 and "not counted" in payload["message"])
        cli("sync")
        run = cli("vote", SECOND, "no")
        check("a late vote from the command line is kept as not counted, with the reason",
              run.returncode == 0 and "not counted: The vote closed" in cli("votes").stdout)
        status, payload = request(port, "GET", vote, token=celle)
        check("a round closed by its deadline shows its result, without quorum",
              status == 200 and payload["closed"] and payload["result"]["quorum"] is False and
              payload["result"]["adopted"] is False)

        status, payload = request(port, "POST", f"/api/v1/dossiers/{SECOND}/statement", b"", coordination)
        status, pdf = request(port, "GET", f"/api/v1/dossiers/{SECOND}/statement", token=celle)
        flat = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode().split())
        check("a round without quorum gives a statement that does not endorse",
              "Beschlussfähig: nein" in flat and "befürwortet das Projekt nicht" in flat)
        status, payload = request(port, "GET", f"/api/v1/sketches/{SECOND}", token=celle)
        check("a statement that does not endorse closes the dossier", status == 200 and payload["stage"] == "not-endorsed")
        status, payload = request(port, "GET", f"/api/v1/dossiers/{FIRST}/audit", token=celle)
        check("opening the vote is in the audit trail",
              status == 200 and any(entry["action"] == "vote-opened" for entry in payload["entries"]))
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
