#!/usr/bin/python3
# Sets up a buendnis-server with three dossiers at different points of the procedure, for the
# screenshots of the Dossiers view (build-aux/screenshots-review.sh). Prints the server's URL and
# keeps serving until stdin closes.
#   review-demo.py DATA_DIR SERVER CLI TOP
import json
import os
import subprocess
import sys
import tempfile
import threading

data, SERVER, CLI, TOP = sys.argv[1:5]
sys.path.insert(0, os.path.join(TOP, "tests"))
from servertest import request, add_users, serve, sign_in, submit_sketch  # noqa: E402

PASSWORD = "geheim-12345"
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PARTNERS = ['ihk-lw', 'hwk-bls', 'agv-lueneburg', 'dgb-non', 'aa-lueneburg-uelzen', 'aa-celle', 'leuphana',
            'ostfalia', 'lk-lueneburg', 'lk-harburg', 'lk-uelzen', 'lk-luechow-dannenberg', 'lk-celle',
            'lk-heidekreis']
SCORES = {"strategic-goals": 4, "regional-relevance": 5, "feasibility": 4, "sustainability": 3,
          "appropriate-cost": 4}

users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
users.update({f"seat-{org}": (org, "partner") for org in PARTNERS})
add_users(SERVER, data, users, PASSWORD)
server, port = serve(SERVER, data)
# The server logs every request: keep reading, or it blocks once the pipe is full.
threading.Thread(target=server.stdout.read, daemon=True).start()
tokens = sign_in(port, users, PASSWORD)
clara, anna = tokens["clara"], tokens["anna"]


def dossier(uuid, title, goals, districts):
    sketch = json.load(open(REFERENCE))
    sketch["title"] = title
    sketch["links"]["goals"] = goals
    sketch["links"]["districts"] = districts
    with tempfile.NamedTemporaryFile("w", suffix=".bndsketch", delete=False) as f:
        json.dump(sketch, f)
    status, pdf = submit_sketch(port, anna, uuid, CLI, f.name)
    os.unlink(f.name)
    return pdf


def move(uuid, *stages):
    for stage in stages:
        request(port, "POST", f"/api/v1/dossiers/{uuid}/stage", {"stage": stage}, clara)


vote_uuid = json.load(open(REFERENCE))["uuid"]
rating_uuid = "0b8f6a2e-3c1d-4e5f-9a7b-2c4d6e8f0a1b"
new_uuid = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"

pdf = dossier(vote_uuid, "Welcome & Stay: internationale Fachkräfte für Heidekreis, Celle und Uelzen",
              ["3.1", "3.2"], ["heidekreis", "celle", "uelzen"])
move(vote_uuid, "first-assessment")
request(port, "PUT", f"/api/v1/dossiers/{vote_uuid}/assessment",
        {"outcome": "positive", "nbank": "grundsätzlich förderfähig", "nbank_date": "2026-11-02",
         "ministry": "passt in die Richtlinie", "ministry_date": "2026-11-04",
         "note": "Bitte die Langfassung nach NBank-Vorlage einreichen und die Kofinanzierung belegen."}, clara)
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/attachments?kind=long-form&name=Langfassung-Welcome-and-Stay.pdf",
        pdf, anna)
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/attachments?kind=letter-of-intent&name=LOI-Klinikum-Celle.pdf",
        pdf, anna)
move(vote_uuid, "long-form-received", "rating")
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/recusals", {"org": "aa-celle"}, clara)
for org in ["hwk-bls", "dgb-non", "leuphana", "lk-uelzen"]:
    request(port, "PUT", f"/api/v1/dossiers/{vote_uuid}/rating", {"scores": SCORES}, tokens[f"seat-{org}"])
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/comments",
        {"text": "Wie wird die Anlaufstelle nach Projektende weiter finanziert?"}, tokens["seat-dgb-non"])
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/comments",
        {"text": "Der Landkreis übernimmt die Stelle ab 2028 in den Regelbetrieb."}, anna)
request(port, "POST", f"/api/v1/dossiers/{vote_uuid}/vote",
        {"question": "Gibt der Lenkungskreis eine positive Stellungnahme zu „Welcome & Stay“ ab?",
         "reason": "Vier von zwölf Bewertungen liegen vor; die Sitzung am 12.03. entscheidet."}, clara)
for org in ["agv-lueneburg", "leuphana", "lk-lueneburg"]:
    request(port, "PUT", f"/api/v1/dossiers/{vote_uuid}/vote", {"choice": "yes"}, tokens[f"seat-{org}"])

dossier(rating_uuid, "Pflege-Campus Uelzen: Ausbildung im Verbund", ["3.3"], ["uelzen", "luechow-dannenberg"])
move(rating_uuid, "first-assessment", "long-form-requested")
request(port, "POST", f"/api/v1/dossiers/{rating_uuid}/attachments?kind=long-form&name=Langfassung-Pflege-Campus.pdf",
        pdf, anna)
move(rating_uuid, "long-form-received", "rating")

dossier(new_uuid, "Digitale Lernorte im Handwerk", ["3.5"], ["harburg"])

print(f"http://127.0.0.1:{port}", flush=True)
sys.stdin.read()
server.terminate()
