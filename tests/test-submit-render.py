#!/usr/bin/python3
# The server's render is the official PDF of a submission; a client one version behind, whose
# renderer gives other bytes, can still submit. Against a real buendnis-server on loopback:
#
# - a PDF whose bytes differ from the server's render (here: the render with a line added, as
#   an older renderer might give) is accepted; the answer carries the SHA-256 of the server's
#   render and "preview_differs": true; the stored PDF is the server's render, byte for byte; the
#   audit trail notes that the preview differed;
# - the exact render is accepted with "preview_differs": false;
# - "If-Match" with the revision the client rendered: a stale one is refused with 412
#   "revision-mismatch" and nothing is stored, a malformed one with 400;
# - what is not a PDF, and a sketch that is not complete, are still refused;
# - `buendnis-cli submit` of the same version: no word of a difference.
# TAP output.
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, add_users, serve, sign_in, is_error  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
DIFFERS = "The official PDF differs from your preview"


def cli(profile, *args, stdin=None):
    env = dict(os.environ, LANGUAGE="C", LC_ALL="C.UTF-8")
    run = subprocess.run([CLI, "--profile", profile, *args], input=stdin, capture_output=True, text=True, env=env)
    return run.returncode, run.stdout, run.stderr


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    add_users(SERVER, data, users, PASSWORD)
    server, port = serve(SERVER, data)
    url = f"http://127.0.0.1:{port}"
    try:
        tokens = sign_in(port, users, PASSWORD)

        def put_sketch(**changes):
            """Writes the reference sketch under a new id; returns the id, its revision and the
            PDF of the stored revision as this version renders it."""
            sketch = json.load(open(REFERENCE))
            sketch["uuid"] = str(uuid.uuid4())
            sketch.update(changes)
            status, record = request(port, "PUT", f"/api/v1/sketches/{sketch['uuid']}", sketch, tokens["anna"],
                                     {"If-Match": "0"})
            assert status == 200, record
            record = request(port, "GET", f"/api/v1/sketches/{sketch['uuid']}", token=tokens["anna"])[1]
            stored = os.path.join(work, "stored.bndsketch")
            json.dump(record["data"], open(stored, "w"), ensure_ascii=False)
            out = os.path.join(work, "out.pdf")
            subprocess.run([CLI, "--profile", os.path.join(work, "render"), "export-pdf", stored, out],
                           check=True, capture_output=True)
            return sketch["uuid"], record["revision"], open(out, "rb").read()

        def submit(sketch_id, pdf, headers=None):
            return request(port, "POST", f"/api/v1/sketches/{sketch_id}/submit", pdf, tokens["anna"], headers)

        # --- a render with other bytes -------------------------------------------------------
        first, revision, official = put_sketch()
        older = official.replace(b"%%EOF", b"% rendered by an older Buendnis\n%%EOF")
        check("the test's PDF differs from the server's render", older != official and older.startswith(b"%PDF-"))

        status, payload = submit(first, older, {"If-Match": str(revision + 1)})
        check("a render of another revision (If-Match) is refused with 412 revision-mismatch",
              status == 412 and is_error(payload, "revision-mismatch"))
        status, payload = submit(first, older, {"If-Match": "drei"})
        check("a malformed If-Match is 400", status == 400 and is_error(payload, "bad-request"))
        status, _ = request(port, "GET", f"/api/v1/sketches/{first}/pdf", token=tokens["anna"])
        check("nothing was stored by the refusals", status == 404)

        status, payload = submit(first, older)
        check("a render with other bytes is accepted", status == 200)
        check("the answer has the SHA-256 of the server's render and says the preview differed",
              status == 200 and payload.get("sha256") == hashlib.sha256(official).hexdigest() and
              payload.get("preview_differs") is True)
        status, stored = request(port, "GET", f"/api/v1/sketches/{first}/pdf", token=tokens["anna"])
        check("the stored PDF is the server's render, not the upload", status == 200 and stored == official)
        status, audit = request(port, "GET", f"/api/v1/dossiers/{first}/audit", token=tokens["clara"])
        entries = [entry for entry in audit.get("entries", []) if entry["action"] == "submitted"] \
            if status == 200 else []
        check("the audit trail notes that the preview differed",
              len(entries) == 1 and entries[0]["detail"].get("preview_differs") is True and
              entries[0]["detail"].get("sha256") == hashlib.sha256(official).hexdigest())

        # --- the exact render ----------------------------------------------------------------
        second, revision, official = put_sketch()
        status, payload = submit(second, official, {"If-Match": str(revision)})
        check("the exact render with its revision is accepted, and nothing differed",
              status == 200 and payload.get("preview_differs") is False and
              payload.get("sha256") == hashlib.sha256(official).hexdigest())

        # --- what is still refused -----------------------------------------------------------
        third, _, official = put_sketch()
        status, payload = submit(third, b"<html>not a PDF</html>")
        check("what is not a PDF is still refused", status == 400 and is_error(payload, "bad-request"))
        fourth, _, official = put_sketch(title="")
        status, payload = submit(fourth, official)
        check("an incomplete sketch is still refused, whatever the PDF", status == 422 and is_error(payload, "invalid"))

        # --- the CLI of the same version -----------------------------------------------------
        profile = os.path.join(work, "anna")
        check("anna signs in with the CLI", cli(profile, "login", url, "--user", "anna", "--token-file",
                                                os.path.join(work, "anna.token"), stdin=PASSWORD + "\n")[0] == 0)
        sketch = json.load(open(REFERENCE))
        sketch["uuid"] = str(uuid.uuid4())
        path = os.path.join(work, "cli.bndsketch")
        json.dump(sketch, open(path, "w"), ensure_ascii=False)
        sketch_id = cli(profile, "import", path)[1].strip()
        code, out, err = cli(profile, "submit", sketch_id)
        check("the CLI submits, and says nothing of a difference when there is none",
              code == 0 and "Submitted" in out and DIFFERS not in out + err)
    finally:
        server.terminate()
        server.wait()

report()
