#!/usr/bin/python3
# Lenkungskreis sessions (strategy §4.1) against a real buendnis-server, through buendnis-cli and
# the API: the coordination plans a session with a German date, puts dossiers on its agenda
# (drafts and closed dossiers refused), records outcomes (opening the rating round or the vote
# takes that step where the stage allows it, and is refused with the procedure's reason where
# not), marks it held; partners read everything, a carrier only its own items; the agenda and
# minutes come out as PDFs, read back with pdftotext, in German and English. TAP output.
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve, sign_in  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
LOCALEDIR = os.environ["BUENDNIS_LOCALEDIR"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")


def pdf_text(path):
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


with tempfile.TemporaryDirectory() as data:
    accounts = users()
    admin = add_users(SERVER, data, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()
    url = f"http://127.0.0.1:{port}"

    def cli(who, *args, language="en"):
        env = dict(os.environ)
        if "ASAN_OPTIONS" in env:
            env["ASAN_OPTIONS"] += ":exitcode=0"
        env.update(LANGUAGE=language, LC_ALL="C.UTF-8", BUENDNIS_LOCALEDIR=LOCALEDIR)
        return subprocess.run([CLI, "--profile", os.path.join(data, who), *args], capture_output=True, text=True,
                              env=env, timeout=60)

    try:
        p = Procedure(port, sign_in(port, accounts, PASSWORD), CLI, REFERENCE, data)
        for who in ["clara", "anna", "bert", "seat-hwk-bls"]:
            subprocess.run([CLI, "--profile", os.path.join(data, who), "login", url, "--user", who, "--token-file",
                            os.path.join(data, who + ".token")], input=PASSWORD + "\n", capture_output=True, text=True)

        # The dossiers: anna's at several stages, bert's of another organisation, a draft, a closed one
        submitted = p.new_dossier()
        long_form = p.to_stage("long-form-received")
        rating = p.to_stage("rating")
        extra = p.new_dossier()
        closed = p.to_stage("not-recommended")
        draft = str(uuidlib.uuid4())
        p.write_sketch(draft)
        berts = str(uuidlib.uuid4())
        p.write_sketch(berts, lambda s: s.update(title="Pflege im Heidekreis – Bert"), who="bert")
        pdf = p.render(berts, who="bert")
        status, _ = p.api("POST", f"/dossiers/{berts}/steps/submit", pdf, "bert", {"Content-Type": "application/pdf"})
        check("bert's organisation submits a dossier of its own", status == 200)

        # Planning: only the coordination
        run = cli("anna", "session", "new", "--title", "Sitzung", "--date", "12.03.2026", "--place", "Lüneburg")
        check("a carrier cannot plan a session: exit 1 with the rule's sentence", run.returncode == 1 and
              "Only the network coordination plans Lenkungskreis sessions" in run.stderr)
        run = cli("anna", "session", "new", "--title", "Sitzung", "--date", "12.03.2026", "--place", "Lüneburg",
                  language="de")
        check("… in German for a German user", run.returncode == 1 and
              "Nur die Netzwerkkoordination plant Lenkungskreissitzungen" in run.stderr)
        status, payload = p.api("POST", "/sessions", {"title": "S", "date": "2026-03-12", "place": "Lüneburg"},
                                who="seat-hwk-bls")
        check("a partner cannot plan one: 403 forbidden", status == 403 and payload.get("error") == "forbidden")
        run = cli("clara", "session", "new", "--title", "Sitzung", "--date", "12.03.2026")
        check("a session without place or link is bad input: exit 2", run.returncode == 2)
        run = cli("clara", "session", "new", "--title", "Sitzung", "--date", "30.02.2026", "--place", "Lüneburg")
        check("a day that is none is bad input: exit 2", run.returncode == 2)
        status, payload = p.api("POST", "/sessions", {"title": "S", "date": "12.03.2026", "place": "Lüneburg"})
        check("the API takes ISO dates only: 422 invalid", status == 422 and payload.get("error") == "invalid")
        status, payload = p.api("POST", "/sessions", {"title": "S", "date": "2026-03-12", "link": "ftp://x"})
        check("an online link is http(s): 422", status == 422)
        run = cli("clara", "session", "new", "--title", "1. Lenkungskreissitzung 2026", "--date", "12.03.2026",
                  "--time", "14 Uhr", "--place", "IHK Lüneburg-Wolfsburg, Am Sande 1", "--json")
        check("the coordination plans a session with a German date and time", run.returncode == 0)
        sessions = p.api("GET", "/sessions")[1]["sessions"]
        session = sessions[0]["uuid"] if sessions else ""
        check("it is stored in ISO", len(sessions) == 1 and sessions[0]["date"] == "2026-03-12" and
              sessions[0]["time"] == "14:00" and sessions[0]["held"] is None)
        status, other = p.api("POST", "/sessions", {"title": "Sondersitzung", "date": "2026-05-05",
                                                    "link": "https://meet.example.org/lk"})
        check("an online session", status == 200 and other["link"] == "https://meet.example.org/lk")

        # The agenda
        short = session[:8]
        for uuid in [submitted, long_form, rating, berts, extra]:
            run = cli("clara", "session", "add", short, uuid)
            check(f"added to the agenda by a short session id ({uuid[:8]})", run.returncode == 0)
        items = p.api("GET", f"/sessions/{session}")[1]["items"]
        check("the agenda keeps the order they were added in",
              [i["dossier"] for i in items] == [submitted, long_form, rating, berts, extra] and
              [i["position"] for i in items] == [1, 2, 3, 4, 5])
        check("an item carries title, carrier, stage, amount and Fördergegenstand",
              items[3]["title"] == "Pflege im Heidekreis – Bert" and items[2]["stage"] == "rating" and
              items[0]["requested"] > 0 and items[0]["funding_object"] > 0 and items[0]["carrier"])
        run = cli("clara", "session", "add", short, submitted)
        check("a dossier is on an agenda once", run.returncode == 1 and "already" in run.stderr)
        status, payload = p.api("POST", f"/sessions/{session}/items", {"dossier": closed})
        check("a closed dossier is refused: 409 with the rule's sentence", status == 409 and
              payload.get("error") == "conflict" and "closed" in payload.get("message", ""))
        status, payload = p.api("POST", f"/sessions/{session}/items", {"dossier": draft})
        check("a draft is no dossier for the coordination: 404", status == 404)
        status, payload = p.api("POST", f"/sessions/{session}/items", {"dossier": draft}, who="anna")
        check("a carrier cannot set the agenda, not even with its own draft: 403", status == 403)
        status, _ = p.api("POST", f"/sessions/{other['uuid']}/items", {"dossier": berts})
        run = cli("clara", "session", "remove", short, extra)
        items = p.api("GET", f"/sessions/{session}")[1]["items"]
        check("remove takes it off and the rest keep their order", run.returncode == 0 and
              [i["dossier"] for i in items] == [submitted, long_form, rating, berts] and
              [i["position"] for i in items] == [1, 2, 3, 4])

        # Who sees what
        seen = p.api("GET", "/sessions", who="seat-hwk-bls")[1]["sessions"]
        check("a partner sees every session and item",
              len(seen) == 2 and len([s for s in seen if s["uuid"] == session][0]["items"]) == 4)
        seen = p.api("GET", "/sessions", who="anna")[1]["sessions"]
        check("a carrier sees only the sessions with its dossiers, and only those items",
              [s["uuid"] for s in seen] == [session] and
              [i["dossier"] for i in seen[0]["items"]] == [submitted, long_form, rating] and
              "Bert" not in str(seen))
        status, _ = p.api("GET", f"/sessions/{other['uuid']}", who="anna")
        check("a session without the carrier's dossiers is not found for it", status == 404)
        seen = p.api("GET", "/sessions", who="bert")[1]["sessions"]
        check("bert sees his item in both sessions and no other",
              len(seen) == 2 and all([i["dossier"] for i in s["items"]] == [berts] for s in seen))
        run = cli("anna", "session", "list")
        check("session list for the carrier", run.returncode == 0 and "1. Lenkungskreissitzung 2026" in run.stdout and
              "Sondersitzung" not in run.stdout)

        # Outcomes
        run = cli("clara", "session", "outcome", short, submitted, "discussed", "--notes", "Finanzplan nachreichen.")
        check("discussed, with notes", run.returncode == 0 and p.stage(submitted) == "submitted")
        run = cli("clara", "session", "outcome", short, submitted, "rating-opened")
        check("rating-opened where the stage does not allow it: exit 1 with the procedure's reason",
              run.returncode == 1 and "The rating round opens once the long form is received" in run.stderr)
        run = cli("clara", "session", "outcome", short, long_form, "rating-opened", "--deadline", "15.03.2099")
        check("rating-opened takes the step", run.returncode == 0 and p.stage(long_form) == "rating")
        run = cli("clara", "session", "outcome", short, long_form, "rating-opened", "--notes", "Frist 15.03.")
        check("recorded again once the step was taken: only recorded", run.returncode == 0 and
              p.stage(long_form) == "rating")
        status, payload = p.api("PUT", f"/sessions/{session}/items/{rating}", {"outcome": "vote-opened"})
        check("vote-opened before every organisation rated needs the procedure's reason: 422",
              status == 422 and "closing the round early needs a reason" in payload.get("message", "") and
              p.stage(rating) == "rating")
        run = cli("clara", "session", "outcome", short, rating, "vote-opened", "--reason", "Die Sitzung entscheidet.")
        check("vote-opened with a reason takes the step", run.returncode == 0 and p.stage(rating) == "vote")
        status, payload = p.api("PUT", f"/sessions/{session}/items/{berts}", {"outcome": "decided"})
        check("an unknown outcome: 422", status == 422)
        status, _ = p.api("PUT", f"/sessions/{session}/items/{berts}", {"outcome": "discussed"}, who="seat-hwk-bls")
        check("a partner records no outcome: 403", status == 403)
        status, _ = p.api("PUT", f"/sessions/{session}/items/{closed}", {"outcome": "discussed"})
        check("an outcome for a dossier not on the agenda: 404", status == 404)
        p.api("PUT", f"/sessions/{session}/items/{berts}", {"outcome": "discussed"})
        trail = p.api("GET", f"/dossiers/{long_form}/audit")[1]["entries"]
        actions = [e["action"] for e in trail]
        check("the dossier's trail keeps the agenda and the outcome",
              "session-agenda-added" in actions and "session-outcome" in actions and
              any(e["action"] == "session-outcome" and e["detail"].get("step_taken") is True for e in trail))

        # The agenda as PDF
        agenda_de = os.path.join(data, "agenda-de.pdf")
        run = cli("clara", "session", "agenda-pdf", short, "-o", agenda_de, language="de")
        text = pdf_text(agenda_de) if run.returncode == 0 else ""
        check("agenda PDF in German: heading, title, date and place",
              "Tagesordnung der Lenkungskreissitzung" in text and "1. Lenkungskreissitzung 2026" in text and
              "Donnerstag, 12. März 2026, 14:00 Uhr" in text and "IHK Lüneburg-Wolfsburg, Am Sande 1" in text)
        check("agenda PDF: the numbered items with carrier, stage, amount and Fördergegenstand",
              "1. " in text and "4. Pflege im Heidekreis – Bert" in text and "Träger:" in text and
              "Beantragt:" in text and "Fördergegenstand:" in text and "5. " not in text)
        check("agenda PDF cites strategy §4.1", "§4.1" in text and "dreimal" in text)
        agenda_en = os.path.join(data, "agenda-en.pdf")
        run = cli("clara", "session", "agenda-pdf", short, "-o", agenda_en)
        text = pdf_text(agenda_en) if run.returncode == 0 else ""
        check("agenda PDF in English", "Agenda of the Lenkungskreis session" in text and
              "Thursday, 12 March 2026, 14:00" in text and "Requested:" in text)
        anna_pdf = os.path.join(data, "agenda-anna.pdf")
        run = cli("anna", "session", "agenda-pdf", short, "-o", anna_pdf)
        text = pdf_text(anna_pdf) if run.returncode == 0 else ""
        check("the carrier's agenda holds only its own items", "3. " in text and "Bert" not in text)

        # Held
        run = cli("clara", "session", "held", short, "--date", "01.01.2099")
        check("not held in the future: exit 1", run.returncode == 1)
        run = cli("clara", "session", "held", short, "--date", "12.03.2026")
        check("marked as held", run.returncode == 0 and p.api("GET", f"/sessions/{session}")[1]["held"] == "2026-03-12")
        run = cli("clara", "session", "add", short, extra)
        check("a held session's agenda stays: exit 1", run.returncode == 1 and "held" in run.stderr)
        status, payload = p.api("POST", f"/sessions/{session}/held", {})
        check("held once: 409", status == 409 and payload.get("error") == "conflict")
        run = cli("clara", "session", "outcome", short, berts, "--notes", "Nachgereicht.")
        check("notes are still written into the minutes after the session", run.returncode == 0)

        # The minutes
        minutes = os.path.join(data, "minutes-de.pdf")
        run = cli("clara", "session", "minutes-pdf", short, "-o", minutes, language="de")
        text = pdf_text(minutes) if run.returncode == 0 else ""
        check("minutes PDF in German: heading and the day it was held",
              "Protokoll der Lenkungskreissitzung" in text and "Gehalten am: Donnerstag, 12. März 2026" in text)
        check("minutes PDF: outcome and notes per item",
              "Ergebnis: Besprochen" in text and "Finanzplan nachreichen." in text and
              "Ergebnis: Bewertungsrunde eröffnet" in text and "Ergebnis: Umlaufverfahren eröffnet" in text and
              "Nachgereicht." in text)
        run = cli("seat-hwk-bls", "session", "minutes-pdf", short, "-o", os.path.join(data, "m.pdf"))
        check("a partner exports the minutes too", run.returncode == 0)
        if os.environ.get("BUENDNIS_KEEP_PDFS"):   # to look at them: pdftoppm -png
            for name in ["agenda-de.pdf", "agenda-en.pdf", "agenda-anna.pdf", "minutes-de.pdf"]:
                shutil.copy(os.path.join(data, name), os.environ["BUENDNIS_KEEP_PDFS"])
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
