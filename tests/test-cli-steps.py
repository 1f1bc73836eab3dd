#!/usr/bin/python3
# Every coordination action from buendnis-cli against a real buendnis-server: the consultation
# that starts a dossier, the first assessment with its reason, the long form, the rating round
# with its deadline, the vote opened early with a reason, recusal, comment, statement,
# application, the decision with a German amount and date, rejection, withdrawal and reopening;
# "dossier steps" says what the account may do and why not; a refusal of the server is exit
# status 1 with its sentence (in German for a German user), input that cannot be sent is exit
# status 2 and sends nothing. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve, sign_in  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, CARRIER_ORG  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
LOCALEDIR = os.environ["BUENDNIS_LOCALEDIR"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")

with tempfile.TemporaryDirectory() as data:
    accounts = users()
    admin = add_users(SERVER, data, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()   # the access log, read away
    url = f"http://127.0.0.1:{port}"

    def cli(who, *args, language=None):
        env = dict(os.environ)
        if "ASAN_OPTIONS" in env:
            # The sanitizer build: a finding is a report file, which fails the test
            # (tests/fuzz/sanitize-wrap.py); LeakSanitizer's tracer failing at exit, which is
            # none, must not turn the command's exit status into a refusal.
            env["ASAN_OPTIONS"] += ":exitcode=0"
        if language:
            env.update(LANGUAGE=language, LC_ALL="C.UTF-8", BUENDNIS_LOCALEDIR=LOCALEDIR)
        return subprocess.run([CLI, "--profile", os.path.join(data, who), *args], capture_output=True, text=True,
                              env=env, timeout=60)

    def trail(uuid):
        return p.api("GET", f"/dossiers/{uuid}/audit")[1]["entries"]

    try:
        p = Procedure(port, sign_in(port, accounts, PASSWORD), CLI, REFERENCE, data)
        for who in ["clara", "anna", "seat-hwk-bls"]:
            subprocess.run([CLI, "--profile", os.path.join(data, who), "login", url, "--user", who, "--token-file",
                            os.path.join(data, who + ".token")], input=PASSWORD + "\n", capture_output=True, text=True)

        # The consultation starts the dossier
        run = cli("clara", "consultation", "new", "--date", "01.02.2026", "--org", CARRIER_ORG)
        check("a new dossier needs its organisation and title: exit 2", run.returncode == 2)
        run = cli("clara", "consultation", "new", "--date", "30.02.2026", "--org", CARRIER_ORG, "--title", "Idee")
        check("a day that is none: exit 2", run.returncode == 2 and "01.03.2026" in run.stderr)
        run = cli("clara", "consultation", "new", "--date", "01.02.2026", "--who", "Anna Alt, Clara Claus",
                  "--notes", "Idee besprochen", "--org", CARRIER_ORG, "--title", "Welcome & Stay")
        uuid = run.stdout.split()[4] if run.returncode == 0 else ""
        check("the coordination starts a dossier with its consultation", run.returncode == 0 and
              p.api("GET", f"/dossiers/{uuid}")[1].get("consultation", {}).get("date") == "2026-02-01")
        run = cli("anna", "consultation", uuid, "--date", "2026-02-01")
        check("a carrier cannot record one: exit 1 with the server's sentence",
              run.returncode == 1 and "Only the network coordination takes this step" in run.stderr and
              len(run.stderr.splitlines()) == 1)
        p.write_sketch(uuid)
        p.submit(uuid)

        # The first assessment, sent back and assessed again
        check("start-assessment", cli("clara", "start-assessment", uuid).returncode == 0 and
              p.stage(uuid) == "first-assessment")
        run = cli("clara", "assess", uuid, "needs-changes")
        check("a request for changes without a reason is bad input, nothing sent",
              run.returncode == 2 and p.stage(uuid) == "first-assessment")
        run = cli("clara", "assess", uuid, "negative", "--reason", "Nicht förderfähig.")
        check("assess negative with its reason closes the dossier",
              run.returncode == 0 and p.stage(uuid) == "not-recommended")
        run = cli("clara", "reopen", uuid)
        check("reopen without a reason is bad input", run.returncode == 2)
        run = cli("clara", "reopen", uuid, "--reason", "Neue Unterlagen vom Träger.")
        check("reopen with a reason", run.returncode == 0 and "First assessment" in run.stdout and
              p.stage(uuid) == "first-assessment")
        run = cli("clara", "assess", uuid, "positive")
        check("assess positive requests the long form", run.returncode == 0 and p.stage(uuid) == "long-form-requested")

        # The long form
        run = cli("clara", "receive-long-form", uuid)
        check("no long form: refused, exit 1", run.returncode == 1 and "long-form attachment" in run.stderr)
        run = cli("clara", "receive-long-form", uuid, language="de")
        check("in German for a German user", run.returncode == 1 and
              "Die Langfassung gilt als eingegangen, sobald ein Anhang der Art Langfassung vorliegt" in run.stderr)
        run = cli("anna", "attach", uuid, p.reference_pdf(), "--kind", "long-form")
        check("receive-long-form once it is attached", run.returncode == 0 and
              cli("clara", "receive-long-form", uuid).returncode == 0 and p.stage(uuid) == "long-form-received")

        # The rating round and the vote
        run = cli("clara", "open-rating", uuid, "--deadline", "morgen")
        check("a deadline that is no date is bad input", run.returncode == 2)
        run = cli("clara", "open-rating", uuid, "--deadline", "15.03.2099")
        round_ = p.api("GET", f"/dossiers/{uuid}/steps")[1]["rating_round"]
        check("open-rating with a German deadline", run.returncode == 0 and p.stage(uuid) == "rating" and
              round_["deadline"] == 4077302399)
        run = cli("clara", "recuse", uuid, "leuphana")
        check("recuse a co-applicant", run.returncode == 0 and "leuphana" in run.stdout)
        run = cli("seat-hwk-bls", "comment", uuid, "Bitte die Kosten erläutern.")
        check("a partner comments", run.returncode == 0 and
              p.api("GET", f"/dossiers/{uuid}/comments")[1]["comments"][-1]["text"] == "Bitte die Kosten erläutern.")
        run = cli("clara", "dossier", "show", uuid)
        check("dossier show: the consultation, the round's progress and the submissions",
              run.returncode == 0 and "Consultation:    2026-02-01 (Anna Alt, Clara Claus) Idee besprochen" in run.stdout
              and "Rating round:    0 of 12 rated, until 15 Mar 2099, " in run.stdout and "Submissions:     1" in run.stdout)
        run = cli("clara", "dossier", "steps", uuid)
        check("dossier steps: what the coordination may do, and why not the rest",
              run.returncode == 0 and "Stage:" in run.stdout and "Rating in the Lenkungskreis" in run.stdout and
              "open-vote" in run.stdout.split("Not now:")[0] and "needs a reason" in run.stdout.split("Not now:")[0] and
              "rate " in run.stdout.split("Not now:")[1] and
              "Only the partner organisations of the Lenkungskreis take this step" in run.stdout)
        run = cli("seat-hwk-bls", "dossier", "steps", uuid, "--json")
        listed = {s["step"]: s for s in json.loads(run.stdout)["steps"]} if run.returncode == 0 else {}
        check("dossier steps --json: a partner may rate, not open the vote",
              listed.get("rate", {}).get("allowed") is True and listed.get("open-vote", {}).get("allowed") is False)
        run = cli("clara", "open-vote", uuid)
        check("open-vote before everyone rated, without a reason: refused, exit 1",
              run.returncode == 1 and "closing the round early needs a reason" in run.stderr)
        run = cli("clara", "open-vote", uuid, "--reason", "Sitzung am 12.03.", "--deadline", "2099-03-01")
        check("open-vote with its reason", run.returncode == 0 and p.stage(uuid) == "vote" and
              trail(uuid)[-2]["detail"]["reason"] == "Sitzung am 12.03.")
        run = cli("clara", "recuse", uuid, "ostfalia")
        check("no recusal once the round closed: exit 1", run.returncode == 1 and "before the rating round ends" in run.stderr)
        for org in p.entitled(uuid):
            p.api("PUT", f"/dossiers/{uuid}/vote", {"choice": "yes"}, f"seat-{org}")
        run = cli("clara", "statement", uuid)
        check("statement issues the positive statement", run.returncode == 0 and p.stage(uuid) == "statement")
        run = cli("anna", "application", uuid)
        check("the carrier records the application", run.returncode == 0 and p.stage(uuid) == "application")

        # The decision, with a German amount and date
        for args in [["--amount", "viel", "--date", "01.03.2026"], ["--amount", "120.000,50"],
                     ["--amount", "120.000,50", "--date", "31.02.2026"],
                     ["--amount", "120,000", "--date", "01.03.2026"]]:
            run = cli("clara", "approve", uuid, *args, language="de")
            check(f"approve {' '.join(args)} in German is bad input, nothing sent",
                  run.returncode == 2 and p.stage(uuid) == "application")
        # an amount in the other language's form is refused with a sentence, never read as 120
        run = cli("clara", "approve", uuid, "--amount", "120.000,50", "--date", "01.03.2026")
        check("a German amount in an English CLI is bad input, nothing sent",
              run.returncode == 2 and p.stage(uuid) == "application" and run.stderr.strip() != "")
        run = cli("seat-hwk-bls", "approve", uuid, "--amount", "120,000.50", "--date", "01.03.2026")
        check("a partner cannot approve: exit 1", run.returncode == 1 and "Only the network coordination" in run.stderr)
        run = cli("clara", "approve", uuid, "--amount", "120.000,50", "--date", "01.03.2026", "--comment", "Bescheid",
                  language="de")
        check("approve with a German amount and date", run.returncode == 0 and p.stage(uuid) == "approved" and
              trail(uuid)[-1]["detail"]["amount"] == 120000.5 and trail(uuid)[-1]["detail"]["date"] == "2026-03-01")
        run = cli("clara", "reopen", uuid, "--reason", "Irrtum")
        check("an approved dossier is not reopened: exit 1", run.returncode == 1 and
              "Only a closed dossier that was not approved can be reopened" in run.stderr)

        # Rejection, withdrawal
        other = p.to_stage("application")
        run = cli("clara", "reject", other)
        check("reject without a reason is bad input", run.returncode == 2)
        run = cli("clara", "reject", other, "--reason", "Mittel ausgeschöpft.")
        check("reject with its reason", run.returncode == 0 and p.stage(other) == "rejected")
        third = p.to_stage("rating")
        run = cli("anna", "withdraw", third, "--reason", "Partner fehlt.")
        check("the carrier withdraws with a reason", run.returncode == 0 and p.stage(third) == "withdrawn" and
              trail(third)[-1]["detail"]["reason"] == "Partner fehlt.")
        run = cli("anna", "withdraw", third, "--reason", "noch einmal")
        check("a closed dossier is not withdrawn again: exit 1", run.returncode == 1)

        # Submissions and their difference
        revised = p.to_stage("changes-requested")

        def revise(sketch):
            sketch["title"] = "Welcome & Stay 2.0 – Internationale Fachkräfte für Logistik und Pflege halten"
        p.write_sketch(revised, revise)
        p.submit(revised)
        run = cli("seat-hwk-bls", "dossier", "submissions", revised)
        check("dossier submissions lists both with their SHA-256",
              run.returncode == 0 and len(run.stdout.splitlines()) == 2 and
              all(len(line.split()[-1]) == 64 for line in run.stdout.splitlines()))
        run = cli("seat-hwk-bls", "dossier", "diff", revised)
        check("dossier diff shows the changed title", run.returncode == 0 and "From submission 1 to 2" in run.stdout and
              "Titel" in run.stdout and "  + 2.0" in run.stdout and "  -" not in run.stdout)
        run = cli("seat-hwk-bls", "dossier", "diff", revised, "--from", "2", "--to", "2")
        check("a difference of a submission with itself: exit 1", run.returncode == 1)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
