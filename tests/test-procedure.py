#!/usr/bin/python3
# One project idea from sketch to Bescheid on a real buendnis-server, with the carrier and three
# more partner organisations acting through the command line and the API: submission, first
# assessment, long form, ratings with a recusal, a circulation vote with a vote cast offline and
# one after the deadline, the statement checked with poppler, the decision and an intact audit
# trail. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, is_error, report, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
PARTNERS = ['ihk-lw', 'hwk-bls', 'agv-lueneburg', 'dgb-non', 'aa-lueneburg-uelzen', 'aa-celle', 'leuphana',
            'ostfalia', 'lk-lueneburg', 'lk-harburg', 'lk-uelzen', 'lk-luechow-dannenberg', 'lk-celle',
            'lk-heidekreis']
SCORES = {"strategic-goals": 4, "regional-relevance": 5, "feasibility": 4, "sustainability": 3,
          "appropriate-cost": 4}

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    users.update({f"seat-{org}": (org, "partner") for org in PARTNERS})
    admin = add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    url = f"http://127.0.0.1:{port}"

    def cli(profile, *args, stdin=None):
        return subprocess.run([CLI, "--profile", os.path.join(data, profile), *args], input=stdin,
                              capture_output=True, text=True)

    try:
        tokens = sign_in(port, users, PASSWORD)
        clara = tokens["clara"]

        # The carrier drafts on its laptop and submits from the command line
        cli("anna", "login", url, "--user", "anna", "--token-file", os.path.join(data, "anna.token"),
            stdin=PASSWORD + "\n")
        run = cli("anna", "import", REFERENCE)
        uuid = json.load(open(REFERENCE))["uuid"]
        check("the carrier imports its sketch", run.returncode == 0)
        run = cli("anna", "submit", uuid)
        check("the carrier submits it", run.returncode == 0 and "SHA-256" in run.stdout)
        stage = f"/api/v1/dossiers/{uuid}/stage"
        dossier = f"/api/v1/dossiers/{uuid}"

        # First assessment with NBank and the ministry
        request(port, "POST", stage, {"stage": "first-assessment"}, clara)
        status, _ = request(port, "PUT", f"{dossier}/assessment",
                            {"outcome": "positive", "nbank": "förderfähig", "nbank_date": "2026-11-02",
                             "ministry": "einverstanden", "ministry_date": "2026-11-04",
                             "note": "Bitte die Langfassung nach NBank-Vorlage einreichen."}, clara)
        check("the coordination records a positive first assessment", status == 200)
        status, payload = request(port, "POST", stage, {"stage": "long-form-requested"}, clara)
        check("and requests the long form", status == 200)

        # The long form
        pdf_path = os.path.join(data, "langfassung.pdf")
        cli("anna", "export", uuid, "-o", pdf_path)
        status, payload = request(port, "POST", f"{dossier}/attachments?kind=long-form&name=Langfassung.pdf",
                                  open(pdf_path, "rb").read(), tokens["anna"])
        check("the carrier attaches the long form", status == 200)
        request(port, "POST", stage, {"stage": "long-form-received"}, clara)

        # Ratings; Leuphana co-applies and is recused
        request(port, "POST", stage, {"stage": "rating"}, clara)
        status, _ = request(port, "POST", f"{dossier}/recusals", {"org": "leuphana"}, clara)
        check("the coordination recuses the co-applicant", status == 200)
        status, payload = request(port, "PUT", f"{dossier}/rating", {"scores": SCORES}, tokens["seat-leuphana"])
        check("the recused organisation cannot rate", status == 403 and is_error(payload, "forbidden"))
        for org in ["lk-celle", "hwk-bls", "dgb-non"]:
            status, _ = request(port, "PUT", f"{dossier}/rating", {"scores": SCORES, "comment": org},
                                tokens[f"seat-{org}"])
            check(f"{org} rates", status == 200)

        # The circulation vote
        request(port, "POST", stage, {"stage": "vote"}, clara)
        deadline = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 6))
        status, payload = request(port, "POST", f"{dossier}/vote",
                                  {"question": "Befürwortet der Lenkungskreis das Projekt?", "deadline": deadline},
                                  clara)
        check("the coordination opens the vote", status == 200 and payload["entitled"] == 12)
        cli("dgb", "login", url, "--user", "seat-dgb-non", "--token-file", os.path.join(data, "dgb.token"),
            stdin=PASSWORD + "\n")
        cli("dgb", "sync")
        server.terminate()
        server.wait(timeout=10)
        run = cli("dgb", "vote", uuid, "yes", "--comment", "im Zug abgestimmt")
        check("a seat votes offline; the vote is kept", run.returncode == 0 and "next sync" in run.stdout)
        server, _ = serve(SERVER, data, port)
        run = cli("dgb", "sync")
        check("the offline vote is counted on the next sync", "votes counted 1" in run.stdout)
        status, payload = request(port, "PUT", f"{dossier}/vote", {"choice": "yes"}, tokens["seat-leuphana"])
        check("the recused organisation cannot vote", status == 403)
        voters = [org for org in PARTNERS if org not in ("lk-heidekreis", "leuphana", "dgb-non", "aa-celle")]
        for org in voters:
            request(port, "PUT", f"{dossier}/vote", {"choice": "no" if org == "lk-harburg" else "yes"},
                    tokens[f"seat-{org}"])
        time.sleep(max(0, time.mktime(time.strptime(deadline, "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime()) + 1))
        status, payload = request(port, "PUT", f"{dossier}/vote", {"choice": "yes"}, tokens["seat-aa-celle"])
        check("a vote after the deadline is refused", status == 409 and "not counted" in payload["message"])

        # The statement
        status, payload = request(port, "POST", f"{dossier}/statement", b"", clara)
        check("the coordination issues the statement", status == 200)
        status, pdf = request(port, "GET", f"{dossier}/statement", token=tokens["anna"])
        text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode().split())
        pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
        check("poppler reads the statement: result, quorum and endorsement",
              "Pages:" in pages and "Ergebnis: 10 Ja, 1 Nein, 0 Enthaltungen von 12" in text and
              "Beschlussfähig: ja" in text and "Der Lenkungskreis befürwortet das Projekt." in text and
              "Leuphana" in text and "Agentur für Arbeit Celle keine Stimme" in text)

        # Application and Bescheid
        request(port, "POST", stage, {"stage": "application"}, clara)
        status, payload = request(port, "POST", stage, {"stage": "approved", "amount": 186000, "date": "2027-02-15"},
                                  clara)
        check("the Bescheid is recorded", status == 200 and payload["stage"] == "approved")
        cli("anna", "sync")
        run = cli("anna", "show", uuid)
        check("the carrier's profile shows the decision", "Approved" in run.stdout)
        run = cli("anna", "audit", uuid)
        actions = [line.split()[3] for line in run.stdout.splitlines()]
        check("the audit trail has every step", actions[:3] == ["submitted", "first-assessment", "assessment"] and
              "recused" in actions and "vote-opened" in actions and actions.count("vote-cast") == 11 and
              actions[-3:] == ["statement", "application", "approved"])
    finally:
        server.terminate()
        server.wait(timeout=10)

    run = admin("audit-verify")
    check("the whole trail verifies", run.returncode == 0)

report()
