#!/bin/sh
# Makes tests/data/server-release-1/server.db: a database of the first release of buendnis-server
# (commit 2b19c5e, schema 1) with a row in every table, written by that release itself. The
# release is built in a temporary git worktree; its server runs on a loopback port and is driven
# through the API and its commands (the flows of tests/test-procedure.py), then stopped. The
# database is vacuumed and checkpointed into one file. tests/test-migrate.py upgrades a copy.
#   build-aux/make-release-fixture.sh [COMMIT]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
release=${1:-2b19c5e}
out="$top/tests/data/server-release-1"
work=$(mktemp -d)
cleanup() {
  git -C "$top" worktree remove --force "$work/src" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

git -C "$top" worktree add --detach "$work/src" "$release" >/dev/null
meson setup "$work/build" "$work/src" >/dev/null
meson compile -C "$work/build" buendnis-server buendnis-cli >/dev/null

mkdir -p "$work/data"
python3 - "$work/data" "$work/build/src/server/buendnis-server" "$work/build/src/cli/buendnis-cli" "$top" <<'PY'
import json
import os
import sqlite3
import subprocess
import sys
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


def tiny_pdf(text):
    """A one-page PDF of a few hundred bytes, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def ok(result, what):
    status, payload = result
    if status != 200:
        sys.exit(f"make-release-fixture: {what}: {status} {payload}")
    return payload


users = {"anna": ("lk-heidekreis", "carrier"), "bert": ("btn", "carrier"), "clara": ("ihk-lw", "coordination"),
         "adam": ("ihk-lw", "admin")}
users.update({f"seat-{org}": (org, "partner") for org in PARTNERS})
admin = add_users(SERVER, data, users, PASSWORD, orgs=[("btn", "Bildungsträger Nord")])
server, port = serve(SERVER, data)
threading.Thread(target=server.stdout.read, daemon=True).start()
try:
    tokens = sign_in(port, users, PASSWORD)
    clara, anna, bert = tokens["clara"], tokens["anna"], tokens["bert"]
    # A second sign-in and a sign-out: more than one token per user, and one revoked.
    extra = sign_in(port, ["anna"], PASSWORD)["anna"]
    ok(request(port, "POST", "/api/v1/logout", None, extra), "logout")
    sign_in(port, ["anna"], PASSWORD)

    def move(uuid, *stages):
        for stage in stages:
            ok(request(port, "POST", f"/api/v1/dossiers/{uuid}/stage", {"stage": stage, "comment": stage}, clara),
               f"stage {stage}")

    def submit(uuid, title):
        sketch = json.load(open(REFERENCE))
        sketch["title"] = title
        path = os.path.join(data, f"{uuid}.bndsketch")
        json.dump(sketch, open(path, "w"))
        status, _ = submit_sketch(port, anna, uuid, CLI, path)
        if status != 200:
            sys.exit(f"make-release-fixture: submitting {uuid}: {status}")

    # A: the whole procedure, to the Bescheid
    a = json.load(open(REFERENCE))["uuid"]
    submit(a, "Welcome & Stay: internationale Fachkräfte")
    dossier = f"/api/v1/dossiers/{a}"
    move(a, "first-assessment")
    ok(request(port, "PUT", f"{dossier}/assessment",
               {"outcome": "positive", "nbank": "förderfähig", "nbank_date": "2026-11-02",
                "ministry": "einverstanden", "ministry_date": "2026-11-04",
                "note": "Bitte die Langfassung nach NBank-Vorlage einreichen."}, clara), "assessment")
    move(a, "long-form-requested")
    ok(request(port, "POST", f"{dossier}/attachments?kind=long-form&name=Langfassung.pdf",
               tiny_pdf("Langfassung Welcome & Stay"), anna), "long form")
    ok(request(port, "POST", f"{dossier}/attachments?kind=letter-of-intent&name=LOI-Klinikum.pdf",
               tiny_pdf("Absichtserklaerung Klinikum Celle"), anna), "letter of intent")
    move(a, "long-form-received", "rating")
    ok(request(port, "POST", f"{dossier}/recusals", {"org": "leuphana"}, clara), "recusal")
    for org in ["lk-celle", "hwk-bls", "dgb-non"]:
        ok(request(port, "PUT", f"{dossier}/rating", {"scores": SCORES, "comment": f"Bewertung {org}"},
                   tokens[f"seat-{org}"]), "rating")
    ok(request(port, "POST", f"{dossier}/comments", {"text": "Die Kosten bitte erläutern."},
               tokens["seat-hwk-bls"]), "comment")
    ok(request(port, "POST", f"{dossier}/comments", {"text": "Siehe Langfassung, Abschnitt 4 – Kosten & Finanzierung."},
               anna), "comment")
    move(a, "vote")
    ok(request(port, "POST", f"{dossier}/vote", {"question": "Befürwortet der Lenkungskreis das Projekt?",
                                                 "recused": ["aa-celle"]}, clara), "vote")
    for org in PARTNERS:
        if org not in ("lk-heidekreis", "leuphana", "aa-celle"):
            ok(request(port, "PUT", f"{dossier}/vote",
                       {"choice": {"lk-harburg": "no", "ostfalia": "abstain"}.get(org, "yes"), "comment": org},
                       tokens[f"seat-{org}"]), f"vote {org}")
    ok(request(port, "POST", f"{dossier}/statement", b"", clara), "statement")
    move(a, "application")
    ok(request(port, "POST", f"{dossier}/stage", {"stage": "approved", "amount": 186000, "date": "2027-02-15"},
               clara), "approved")

    # B: at the rating stage, one rating in
    b = "0b8f6a2e-3c1d-4e5f-9a7b-2c4d6e8f0a1b"
    submit(b, "Pflege-Campus Uelzen: Ausbildung im Verbund")
    move(b, "first-assessment", "long-form-requested")
    ok(request(port, "POST", f"/api/v1/dossiers/{b}/attachments?kind=other&name=Kostenplan.pdf",
               tiny_pdf("Kostenplan Pflege-Campus"), anna), "attachment")
    move(b, "long-form-received", "rating")
    ok(request(port, "PUT", f"/api/v1/dossiers/{b}/rating", {"scores": SCORES}, tokens["seat-lk-uelzen"]), "rating")
    ok(request(port, "POST", f"/api/v1/dossiers/{b}/comments", {"text": "Wer trägt die Stelle ab 2028?"}, clara),
       "comment")

    # C: a draft of another carrier's, in two revisions, written with an Idempotency-Key
    c = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
    sketch = json.load(open(REFERENCE))
    sketch["uuid"], sketch["title"] = c, "Digitale Lernorte im Handwerk"
    ok(request(port, "PUT", f"/api/v1/sketches/{c}", sketch, bert, {"If-Match": "0", "Idempotency-Key": "c-1"}),
       "draft")
    sketch["title"] = "Digitale Lernorte im Handwerk (2. Fassung)"
    ok(request(port, "PUT", f"/api/v1/sketches/{c}", sketch, bert, {"If-Match": "1", "Idempotency-Key": "c-2"}),
       "draft")
finally:
    server.terminate()
    server.wait(timeout=10)

verify = admin("audit-verify")
if verify.returncode != 0:
    sys.exit(f"make-release-fixture: audit-verify: {verify.stdout}")
db = sqlite3.connect(os.path.join(data, "server.db"))
empty = [table for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
         if db.execute(f'SELECT count (*) FROM "{table}"').fetchone()[0] == 0]
if empty:
    sys.exit(f"make-release-fixture: no rows in {', '.join(empty)}")
db.execute("VACUUM")
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
PY

mkdir -p "$out"
cp "$work/data/server.db" "$out/server.db"
chmod 0644 "$out/server.db"
echo "Wrote $out/server.db ($(stat -c %s "$out/server.db") bytes) from $release"
