#!/usr/bin/python3
# One project idea from sketch to Bescheid on a real buendnis-server, with the carrier and three
# more partner organisations acting through the command line and the API: submission, first
# assessment, long form, ratings with a recusal, a circulation vote with a vote cast offline and
# one after the deadline, the statement checked with poppler, the decision and an intact audit
# trail. The carrier attaches, the coordination assesses and a partner rates with buendnis-cli,
# and "dossier list" and "dossier show" follow the stage. TAP output.
import json
import os
import re
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

        # The partners' profiles bring the submitted dossier with the sync
        cli("dgb", "login", url, "--user", "seat-dgb-non", "--token-file", os.path.join(data, "dgb.token"),
            stdin=PASSWORD + "\n")
        cli("dgb", "sync")
        run = cli("dgb", "dossier", "list")
        check("a partner's dossier list shows the submitted sketch and its stage",
              run.returncode == 0 and uuid[:8] in run.stdout and "Sketch submitted" in run.stdout and
              "Welcome & Stay" in run.stdout and "Landkreis Heidekreis" in run.stdout)
        run = cli("anna", "dossier", "list", "--json")
        listed = json.loads(run.stdout) if run.returncode == 0 else []
        check("dossier list --json: the carrier's dossier with stage, title and organisation",
              len(listed) == 1 and listed[0]["uuid"] == uuid and listed[0]["stage"] == "submitted" and
              listed[0]["title"].startswith("Welcome & Stay") and
              listed[0]["organisation"].startswith("Landkreis Heidekreis"))

        # First assessment with NBank and the ministry, from the command line
        cli("clara", "login", url, "--user", "clara", "--token-file", os.path.join(data, "clara.token"),
            stdin=PASSWORD + "\n")
        run = cli("clara", "assess", uuid, "positive", "--nbank", "förderfähig")
        check("no assessment before its stage: the server's refusal in one line, exit 1",
              run.returncode == 1 and "recorded while the dossier is at that stage" in run.stderr and
              len(run.stderr.splitlines()) == 1)
        request(port, "POST", stage, {"stage": "first-assessment"}, clara)
        run = cli("clara", "assess", uuid, "maybe")
        check("assess with an unknown outcome is bad input, exit 2", run.returncode == 2)
        run = cli("clara", "assess", uuid, "positive", "--nbank-date", "2.11.2026")
        check("a malformed date is refused by the server, exit 1", run.returncode == 1 and "nbank_date" in run.stderr)
        run = cli("anna", "assess", uuid, "positive")
        check("the carrier cannot assess: refused", run.returncode == 1 and
              "Only the network coordination takes this step" in run.stderr)
        run = cli("clara", "assess", uuid, "positive", "--nbank", "förderfähig", "--nbank-date", "2026-11-02",
                  "--ministry", "einverstanden", "--ministry-date", "2026-11-04",
                  "--note", "Bitte die Langfassung nach NBank-Vorlage einreichen.")
        check("the coordination records a positive first assessment", run.returncode == 0 and "positive" in run.stdout)
        status, payload = request(port, "GET", f"{dossier}/assessment", token=tokens["anna"])
        check("the server has every field of it", status == 200 and payload == {
            "outcome": "positive", "nbank": "förderfähig", "nbank_date": "2026-11-02", "ministry": "einverstanden",
            "ministry_date": "2026-11-04", "note": "Bitte die Langfassung nach NBank-Vorlage einreichen."})
        status, payload = request(port, "GET", f"/api/v1/sketches/{uuid}", token=clara)
        check("which requests the long form", status == 200 and payload["stage"] == "long-form-requested")

        # The long form, from the command line
        pdf_path = os.path.join(data, "langfassung.pdf")
        cli("anna", "export", uuid, "-o", pdf_path)
        run = cli("anna", "attach", uuid, os.path.join(data, "missing.pdf"), "--kind", "long-form")
        check("attaching a missing file is a local error, exit 2",
              run.returncode == 2 and "missing.pdf" in run.stderr and len(run.stderr.splitlines()) == 1)
        not_pdf = os.path.join(data, "notes.pdf")
        open(not_pdf, "w").write("Nur eine Notiz, kein PDF\n")
        run = cli("anna", "attach", uuid, not_pdf, "--kind", "long-form")
        check("attaching a file that is no PDF: the server's reason in one line, exit 1",
              run.returncode == 1 and "not a PDF" in run.stderr and len(run.stderr.splitlines()) == 1)
        huge = os.path.join(data, "huge.pdf")
        open(huge, "wb").write(b"%PDF-1.5\n" + b"0" * (21 * 1024 * 1024) + b"\n%%EOF\n")
        run = cli("anna", "attach", uuid, huge)
        check("attaching a file over the limit is refused, exit 1",
              run.returncode == 1 and "too large" in run.stderr)
        run = cli("anna", "attach", uuid, pdf_path, "--kind", "summary")
        check("an unknown kind is bad input, exit 2", run.returncode == 2)
        run = cli("dgb", "attach", uuid, pdf_path, "--kind", "long-form")
        check("a partner cannot attach: refused", run.returncode == 1 and
              "Only the carrier’s organisation takes this step" in run.stderr)
        run = cli("anna", "attach", uuid, pdf_path, "--kind", "long-form", "--name", "Langfassung.pdf")
        check("the carrier attaches the long form", run.returncode == 0 and "Langfassung.pdf" in run.stdout)
        status, payload = request(port, "GET", f"{dossier}/attachments", token=clara)
        check("the server has it as the long form, byte for byte", status == 200 and
              [(a["kind"], a["name"]) for a in payload["attachments"]] == [("long-form", "Langfassung.pdf")] and
              request(port, "GET", f"{dossier}/attachments/{payload['attachments'][0]['id']}", token=clara)[1] ==
              open(pdf_path, "rb").read())
        request(port, "POST", stage, {"stage": "long-form-received"}, clara)

        # Ratings; Leuphana co-applies and is recused
        request(port, "POST", stage, {"stage": "rating"}, clara)
        status, _ = request(port, "POST", f"{dossier}/recusals", {"org": "leuphana"}, clara)
        check("the coordination recuses the co-applicant", status == 200)
        status, payload = request(port, "PUT", f"{dossier}/rating", {"scores": SCORES}, tokens["seat-leuphana"])
        check("the recused organisation cannot rate", status == 403 and is_error(payload, "forbidden"))
        for org in ["lk-celle", "hwk-bls"]:
            status, _ = request(port, "PUT", f"{dossier}/rating", {"scores": SCORES, "comment": org},
                                tokens[f"seat-{org}"])
            check(f"{org} rates", status == 200)
        run = cli("dgb", "rate", uuid, "strategic-goals=4", "relevance=5")
        check("rating an unknown criterion is bad input, exit 2, nothing queued",
              run.returncode == 2 and "unknown criterion “relevance”" in run.stderr and cli("dgb", "ratings").stdout == "")
        run = cli("dgb", "rate", uuid, *[f"{name}={value}" for name, value in SCORES.items()], "--comment", "dgb-non")
        check("dgb-non rates from the command line; the sync counts it", run.returncode == 0 and
              uuid[:8] in run.stdout and "counted" in run.stdout and "not counted" not in run.stdout)
        status, payload = request(port, "GET", f"{dossier}/ratings", token=tokens["seat-dgb-non"])
        check("the server has the rating", status == 200 and
              payload["ratings"] == [{"org": "dgb-non", "scores": SCORES, "comment": "dgb-non"}])
        cli("dgb", "sync")
        run = cli("dgb", "dossier", "list", "--json")
        check("dossier list follows the stage after a sync",
              run.returncode == 0 and json.loads(run.stdout)[0]["stage"] == "rating")
        request(port, "POST", f"{dossier}/comments", {"text": "Die Kosten bitte erläutern."}, tokens["seat-hwk-bls"])
        run = cli("clara", "dossier", "show", uuid, "--json")
        shown = json.loads(run.stdout) if run.returncode == 0 else {}
        check("dossier show --json: stage, assessment, long form, recusal, no vote yet",
              shown.get("stage") == "rating" and shown.get("org") == "lk-heidekreis" and
              shown.get("assessment", {}).get("outcome") == "positive" and
              [a["name"] for a in shown.get("attachments", [])] == ["Langfassung.pdf"] and
              shown.get("recusals") == ["leuphana"] and shown.get("vote") is None and
              [c["text"] for c in shown.get("comments", [])] == ["Die Kosten bitte erläutern."] and
              shown.get("ratings", {}).get("closed") is False and shown.get("ratings", {}).get("ratings") == [])
        run = cli("dgb", "dossier", "show", uuid[:8])
        check("dossier show: a partner sees its own rating during the round, by a short id",
              run.returncode == 0 and "Rating in the Lenkungskreis" in run.stdout and "Langfassung.pdf" in run.stdout and
              "leuphana" in run.stdout and "your organisation's: strategic-goals 4" in run.stdout and
              "seat-hwk-bls (hwk-bls): Die Kosten bitte erläutern." in run.stdout and
              "not opened" in run.stdout)
        run = cli("dgb", "dossier", "show", "00000000-0000-4000-8000-000000000000")
        check("dossier show of an unknown dossier fails in one line", run.returncode == 1 and
              "No such sketch" in run.stderr and len(run.stderr.splitlines()) == 1)

        # The circulation vote
        # Long enough for the offline vote and eight more on a slow (sanitizer) build; the test
        # waits it out below.
        deadline = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 20))
        status, payload = request(port, "POST", f"{dossier}/vote",
                                  {"question": "Befürwortet der Lenkungskreis das Projekt?", "deadline": deadline,
                                   "reason": "3 von 12 genügen für die Sitzung"}, clara)
        check("the coordination opens the vote", status == 200 and payload["entitled"] == 12)
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
        run = cli("anna", "dossier", "list")
        check("and so does its dossier list", run.returncode == 0 and "Approved" in run.stdout)
        run = cli("anna", "dossier", "show", uuid)
        check("dossier show: the vote's result and the ratings' summary once closed",
              run.returncode == 0 and "10 yes, 1 no, 0 abstain; adopted" in run.stdout and "3 ratings" in run.stdout and
              "strategic-goals" in run.stdout and "4.0 (4–4)" in run.stdout and "Approved" in run.stdout)
        shown = json.loads(cli("anna", "dossier", "show", uuid, "--json").stdout)
        check("dossier show --json: the summary and the result",
              shown["ratings"]["closed"] and shown["ratings"]["summary"]["regional-relevance"]["mean"] == 5.0 and
              shown["vote"]["result"]["adopted"] and shown["stage"] == "approved")
        run = cli("anna", "audit", uuid)
        # "  1  3 Dec 2026, 07:53  submitted  anna": the day as the CLI's language writes it
        actions = [re.match(r"\s*\d+  .+?  (\S+)", line).group(1) for line in run.stdout.splitlines()]
        check("the audit trail has every step", actions[:3] == ["submitted", "first-assessment", "assessment"] and
              "attachment" in " ".join(actions) and
              "recused" in actions and "vote-opened" in actions and actions.count("vote-cast") == 11 and
              actions[-3:] == ["statement", "application", "approved"])
    finally:
        server.terminate()
        server.wait(timeout=10)

    run = admin("audit-verify")
    check("the whole trail verifies", run.returncode == 0)

report()
