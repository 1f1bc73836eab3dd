#!/usr/bin/python3
# A submitted sketch's way through the procedure on a real buendnis-server: only the
# coordination moves stages, every move lands in the hash-chained audit trail, and
# `buendnis-server audit-verify` finds an entry changed behind the server's back. TAP output.
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
UUID = "0d6f4a52-8c3e-4b7a-a1d9-2e5c7b9f3a61"
PASSWORD = "geheim-12345"
STAGES = ["first-assessment", "long-form-requested", "long-form-received", "rating", "vote", "statement",
          "application"]

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination"),
             "dora": ("lk-celle", "partner")}
    # Seats enough for a quorum: the statement endorses only with more than half voting
    SEATS = ["hwk-bls", "agv-lueneburg", "dgb-non", "leuphana", "ostfalia", "lk-harburg"]
    users.update({f"seat-{org}": (org, "partner") for org in SEATS})
    admin = add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)

        status, submitted_pdf = submit_sketch(port, tokens["anna"], UUID, CLI, REFERENCE)
        check("the carrier submits the sketch", status == 200)

        path = f"/api/v1/dossiers/{UUID}/stage"
        for name in ["anna", "dora"]:
            status, payload = request(port, "POST", path, {"stage": "first-assessment"}, tokens[name])
            check(f"a {users[name][1]} cannot move the dossier: 403", status == 403 and is_error(payload, "forbidden"))
        status, payload = request(port, "POST", path, {"stage": "first-assessment"})
        check("nobody signed in cannot move it: 401", status == 401)
        for body, expected in [({"stage": "vote"}, 409), ({"stage": "approved", "amount": 1, "date": "2026-01-01"}, 409),
                               ({"stage": "heaven"}, 422), ({"stage": 7}, 400), (b"{oops", 400),
                               ({"stage": "first-assessment", "comment": ["x"]}, 400)]:
            status, payload = request(port, "POST", path, body, tokens["clara"])
            check(f"moving with {body!r:.50} is {expected}", status == expected and is_error(payload))
        status, payload = request(port, "POST", "/api/v1/dossiers/00000000-0000-4000-8000-000000000000/stage",
                                  {"stage": "first-assessment"}, tokens["clara"])
        check("an unknown dossier is 404", status == 404 and is_error(payload))

        revision = request(port, "GET", f"/api/v1/sketches/{UUID}", token=tokens["clara"])[1]["revision"]

        # The coordination's first move from the command line, into its own synced profile
        profile = os.path.join(data, "clara-profile")
        url = f"http://127.0.0.1:{port}"
        run = subprocess.run([CLI, "--profile", profile, "login", url, "--user", "clara", "--token-file",
                              profile + ".token"], input=PASSWORD + "\n", capture_output=True, text=True)
        run = subprocess.run([CLI, "--profile", profile, "sync"], capture_output=True, text=True)
        run = subprocess.run([CLI, "--profile", profile, "stage", UUID, STAGES[0], "--comment", "weiter: " + STAGES[0]],
                             capture_output=True, text=True)
        check("buendnis-cli stage moves the dossier", run.returncode == 0 and STAGES[0] in run.stdout)
        run = subprocess.run([CLI, "--profile", profile, "show", UUID, "--json"], capture_output=True, text=True)
        check("the profile has synced the new stage", run.returncode == 0 and json.loads(run.stdout)["stage"] == STAGES[0])
        run = subprocess.run([CLI, "--profile", profile, "stage", UUID, "vote"], capture_output=True, text=True)
        check("buendnis-cli stage reports a refused move with the rules' reason",
              run.returncode == 1 and "The circulation vote opens when the rating round closes" in run.stderr)

        # The first assessment, recorded by the coordination and read by the carrier
        assess = f"/api/v1/dossiers/{UUID}/assessment"
        status, payload = request(port, "GET", assess, token=tokens["anna"])
        check("no assessment yet: 404", status == 404 and is_error(payload))
        status, payload = request(port, "PUT", assess, {"outcome": "positive"}, tokens["dora"])
        check("a partner cannot record the assessment: 403", status == 403)
        for body in [{"outcome": "super"}, {"outcome": "positive", "nbank_date": "gestern"},
                     {"outcome": "positive", "note": 5}, {"outcome": "positive", "note": "x" * 5000}]:
            status, payload = request(port, "PUT", assess, body, tokens["clara"])
            check(f"an assessment {str(body)[:40]} is 422", status == 422 and is_error(payload))
        assessment = {"outcome": "positive", "nbank": "förderfähig nach Richtlinie", "nbank_date": "2026-11-10",
                      "ministry": "Bezug zu Ziel 3.2 schärfen", "ministry_date": "2026-11-12",
                      "note": "Bitte den Arbeitsplan konkretisieren."}
        status, payload = request(port, "PUT", assess, assessment, tokens["clara"])
        check("the coordination records the assessment", status == 200 and payload == assessment)
        status, payload = request(port, "GET", f"/api/v1/sketches/{UUID}", token=tokens["anna"])
        check("a positive assessment requests the long form", status == 200 and payload["stage"] == "long-form-requested")
        status, payload = request(port, "GET", assess, token=tokens["anna"])
        check("the carrier reads the assessment and its note", status == 200 and
              payload["note"] == "Bitte den Arbeitsplan konkretisieren.")

        # The partners' thread
        comments = f"/api/v1/dossiers/{UUID}/comments"
        status, payload = request(port, "POST", comments, {"text": "Passt gut zur Pflegeoffensive."}, tokens["dora"])
        status, payload = request(port, "POST", comments, {"text": "Danke, wir ergänzen das."}, tokens["anna"])
        check("partners and the carrier write in the thread, in order",
              status == 200 and [(c["author"], c["org"]) for c in payload["comments"]] ==
              [("dora", "lk-celle"), ("anna", "lk-heidekreis")])
        for body, expected in [({"text": "   "}, 422), ({"text": 3}, 400), ({"text": "x" * 5000}, 422)]:
            status, payload = request(port, "POST", comments, body, tokens["dora"])
            check(f"a comment {str(body)[:20]} is {expected}", status == expected and is_error(payload))
        status, payload = request(port, "GET", comments)
        check("the thread needs a token", status == 401)
        # Another's words reach the coordination's terminal escaped, not as escape sequences
        status, payload = request(port, "POST", comments, {"text": "Achtung\x1b[2J\x07 weg"}, tokens["dora"])
        run = subprocess.run([CLI, "--profile", profile, "dossier", "show", UUID], capture_output=True, text=True)
        check("dossier show prints a comment's ESC and BEL escaped", status == 200 and run.returncode == 0 and
              "\x1b" not in run.stdout and "\x07" not in run.stdout and "Achtung\\x1b[2J\\x07 weg" in run.stdout)

        # The long form, without which it is not received
        status, payload = request(port, "POST", path, {"stage": "long-form-received"}, tokens["clara"])
        check("no long form received without a long-form attachment: 409", status == 409 and is_error(payload, "conflict"))
        status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/attachments?kind=long-form&name=Langfassung.pdf",
                                  submitted_pdf, tokens["anna"])
        check("the carrier attaches the long form", status == 200)

        for stage in STAGES[2:]:
            if stage == "statement":
                # The statement only comes from a closed vote, not from a move
                status, payload = request(port, "POST", path, {"stage": "statement"}, tokens["clara"])
                check("the statement stage cannot be set by hand: 409", status == 409)
                for seat in ["dora", *[f"seat-{org}" for org in SEATS]]:
                    request(port, "PUT", f"/api/v1/dossiers/{UUID}/vote", {"choice": "yes"}, tokens[seat])
                time.sleep(3)
                status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/statement", b"", tokens["clara"])
                check("the statement is issued after the vote", status == 200)
                continue
            body = {"stage": stage, "comment": f"weiter: {stage}"}
            if stage == "vote":
                # The round closes early, with the comment as the reason; the vote is short
                body["deadline"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
            status, payload = request(port, "POST", path, body, tokens["clara"])
            check(f"the coordination moves the dossier to {stage}", status == 200 and payload["stage"] == stage)
        status, payload = request(port, "PUT", assess, assessment, tokens["clara"])
        check("the assessment is closed once the dossier moved on: 409", status == 409)
        status, payload = request(port, "GET", f"/api/v1/sketches/{UUID}", token=tokens["anna"])
        check("the carrier sees the new stage, with a revision per move",
              payload["stage"] == "application" and payload["revision"] == revision + len(STAGES))
        status, payload = request(port, "POST", path, {"stage": "approved", "amount": 120000}, tokens["clara"])
        check("an approval without a date is 422", status == 422 and is_error(payload, "invalid"))
        status, payload = request(port, "POST", path, {"stage": "approved", "amount": 120000, "date": "2026-11-20"},
                                  tokens["clara"])
        check("the coordination records the approval", status == 200 and payload["stage"] == "approved")
        status, payload = request(port, "POST", path, {"stage": "withdrawn"}, tokens["clara"])
        check("a decided dossier cannot move again: 409", status == 409)

        status, audit = request(port, "GET", f"/api/v1/dossiers/{UUID}/audit", token=tokens["dora"])
        actions = [entry["action"] for entry in audit.get("entries", [])] if status == 200 else []
        check("the audit trail lists the submission, the assessment and every move, in order",
              actions == ["submitted", STAGES[0], "assessment", STAGES[1], *["commented"] * 3, "attachment-added",
                          *STAGES[2:5], "vote-opened", *["vote-cast"] * 7, *STAGES[5:], "approved"])
        check("each entry says who acted, with the comment and amount",
              status == 200 and audit["entries"][1]["actor"] == "clara" and
              audit["entries"][1]["detail"]["comment"] == "weiter: first-assessment" and
              audit["entries"][-1]["detail"]["amount"] == 120000 and
              audit["entries"][2]["detail"]["outcome"] == "positive")
        check("a comment's entry names its author, organisation and the hash of its words",
              status == 200 and audit["entries"][4]["actor"] == "dora" and
              audit["entries"][4]["detail"]["org"] == "lk-celle" and
              audit["entries"][4]["detail"]["sha256"] ==
              hashlib.sha256("Passt gut zur Pflegeoffensive.".encode()).hexdigest() and
              audit["entries"][5]["actor"] == "anna")
        status, payload = request(port, "GET", f"/api/v1/dossiers/{UUID}/audit")
        check("the audit trail needs a token", status == 401)

        # The portfolio: by stage, goals × Landkreise with the gaps, by Fördergegenstand
        status, payload = request(port, "GET", "/api/v1/portfolio", token=tokens["anna"])
        check("a carrier gets no portfolio: 403", status == 403 and is_error(payload))
        status, portfolio = request(port, "GET", "/api/v1/portfolio", token=tokens["dora"])
        check("the portfolio counts the dossier by stage", status == 200 and portfolio["by_stage"] == {"approved": 1})
        check("the coverage matrix marks the dossier's goals and Landkreise, and the gaps",
              status == 200 and portfolio["coverage"]["3.1"]["heidekreis"] == 1 and
              portfolio["coverage"]["3.3"]["uelzen"] == 1 and portfolio["coverage"]["3.2"]["heidekreis"] == 0 and
              portfolio["coverage"]["3.1"]["harburg"] == 0 and len(portfolio["coverage"]) == 7)
        check("requested and approved sums, also per Fördergegenstand",
              status == 200 and portfolio["requested"] == 186000 and portfolio["approved"] == 120000 and
              portfolio["by_funding_object"]["1"] == {"count": 1, "requested": 186000, "approved": 120000} and
              portfolio["by_funding_object"]["2"]["count"] == 0)
        run = subprocess.run([CLI, "--profile", profile, "portfolio", "--csv"], capture_output=True, text=True)
        rows = run.stdout.splitlines()
        check("buendnis-cli portfolio --csv writes a header and one row per dossier",
              run.returncode == 0 and len(rows) == 2 and rows[0].startswith("uuid,title,") and
              rows[1].startswith(UUID) and ",approved," in rows[1] and rows[1].endswith(",186000.00,120000.00"))
        report_pdf = os.path.join(data, "portfolio.pdf")
        run = subprocess.run([CLI, "--profile", profile, "portfolio", "--pdf", report_pdf], capture_output=True, text=True)
        pdf = open(report_pdf, "rb").read() if os.path.exists(report_pdf) else b""
        text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode().split())
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
        fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode().splitlines()[2:]
        check("buendnis-cli portfolio --pdf writes the report as a PDF",
              run.returncode == 0 and pdf.startswith(b"%PDF-") and "Title: Portfolio der eingereichten Projekte" in
              " ".join(info.split()) and fonts and all(" yes " in line for line in fonts))
        check("the report shows the stage, the matrix with its gaps and the sums in German form",
              "Bewilligt 1" in text and "Fachkräfte gewinnen und binden 1" in text and "Heidekreis" in text and
              "36 von 42 Feldern sind Lücken." in text and "Alle Projekte 1 186.000 € 120.000 €" in text)
        run = subprocess.run([CLI, "--profile", profile, "portfolio", "--csv", "--pdf", report_pdf], capture_output=True, text=True)
        check("portfolio takes --csv or --pdf, not both", run.returncode != 0 and "either" in run.stderr)
        run = subprocess.run([CLI, "--profile", profile, "audit", UUID], capture_output=True, text=True)
        lines = run.stdout.splitlines()
        run = subprocess.run([CLI, "--profile", profile, "audit", "verify", UUID], capture_output=True, text=True)
        check("buendnis-cli audit verify finds the chain intact", run.returncode == 0 and "holds" in run.stdout)
        check("buendnis-cli audit prints the trail", run.returncode == 0 and len(lines) == 22 and
              "submitted" in lines[0] and "clara" in lines[1] and "weiter: first-assessment" in lines[1])
    finally:
        server.terminate()
        server.wait(timeout=10)

    verified = admin("audit-verify")
    # The 22 entries of the dossier and those of the server's own trail (users added, sign-ins of the coordination)
    db = Database(data)
    server_entries = db.execute("SELECT count (*) FROM audit WHERE dossier = 'server'").fetchone()[0]
    db.close()
    check("audit-verify passes an intact trail",
          verified.returncode == 0 and f"{22 + server_entries} entries checked" in verified.stdout)

    # Someone with the database file changes an entry: the triggers refuse, so they drop them first
    db = Database(data)
    try:
        db.execute("UPDATE audit SET actor = 'mallory' WHERE n = 3")
        db.commit()
        refused = False
    except db.Error:
        refused = True
    check("the database refuses to change an audit entry", refused)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET detail = '{\"stage\":\"long-form-requested\",\"comment\":\"anders\"}' WHERE n = 3")
    db.commit()
    verified = admin("audit-verify")
    check("audit-verify reports the altered entry", verified.returncode == 1 and f"{UUID}: entry 3 was altered" in
          verified.stdout)

    server, _ = serve(SERVER, data, port)
    run = subprocess.run([CLI, "--profile", profile, "audit", "verify", UUID], capture_output=True, text=True)
    server.terminate()
    server.wait(timeout=10)
    check("buendnis-cli audit verify reports the altered entry from the server's answer",
          run.returncode == 1 and "entry 3 was altered" in run.stdout)

    db.execute("DROP TRIGGER audit_no_delete")
    db.execute("DELETE FROM audit WHERE n IN (3, 22)")
    db.commit()
    db.close()
    verified = admin("audit-verify")
    check("audit-verify reports missing entries, in the middle and at the end",
          verified.returncode == 1 and f"{UUID}: entry 3 is missing" in verified.stdout and
          "the trail ends at entry 21 but recorded 22 entries" in verified.stdout)

report()
