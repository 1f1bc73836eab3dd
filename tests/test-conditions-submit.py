#!/usr/bin/python3
# The funding conditions of the strategy pack keep a sketch from being submitted, against a real
# buendnis-server on loopback: a Fördergegenstand 2 sketch without its carrier's confirmations is
# refused by the client and, sent anyway, by the server; "edit --confirm" gives them, they travel
# with the sketch to the server, and then it is submitted. A project period outside the funding
# period is refused the same way. TAP output.
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
AGREED, CARRIER = "fg2-arbeitsverwaltung", "fg2-bildungstraeger"


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
    profile = os.path.join(work, "anna")
    try:
        tokens = sign_in(port, users, PASSWORD)
        check("anna signs in", cli(profile, "login", url, "--user", "anna", "--token-file",
                                   os.path.join(work, "anna.token"), stdin=PASSWORD + "\n")[0] == 0)

        def new_sketch(**changes):
            sketch = json.load(open(REFERENCE))
            sketch["uuid"] = str(uuid.uuid4())
            sketch.update(changes)
            path = os.path.join(work, sketch["uuid"] + ".bndsketch")
            json.dump(sketch, open(path, "w"), ensure_ascii=False)
            return cli(profile, "import", path)[1].strip()

        def submit_pdf(sketch_id):
            """What a client that skips its own checks would send: the stored revision's PDF."""
            status, record = request(port, "GET", f"/api/v1/sketches/{sketch_id}", token=tokens["anna"])
            stored = os.path.join(work, "stored.bndsketch")
            json.dump(record["data"], open(stored, "w"), ensure_ascii=False)
            out = os.path.join(work, "out.pdf")
            cli(os.path.join(work, "render"), "export-pdf", stored, out)
            return request(port, "POST", f"/api/v1/sketches/{sketch_id}/submit", open(out, "rb").read(),
                           tokens["anna"])

        fg2 = new_sketch(funding_object=2)
        check("the sketch syncs up", cli(profile, "sync")[0] == 0)
        code, _, err = cli(profile, "submit", fg2)
        check("without the confirmations the client refuses to submit", code != 0 and "Confirm:" in err)
        status, payload = submit_pdf(fg2)
        check("… and so does the server: 422 invalid", status == 422 and is_error(payload, "invalid"))
        check("… naming the condition", "Confirm:" in payload.get("message", "") and
              "Arbeitsverwaltung" in payload.get("message", ""))
        check("it stays a draft", request(port, "GET", f"/api/v1/sketches/{fg2}", token=tokens["anna"])[1]["stage"] == "draft")

        # One confirmation is not enough
        check("anna confirms the agreement with the Arbeitsverwaltung", cli(profile, "edit", fg2, "--confirm", AGREED)[0] == 0)
        check("… and syncs", cli(profile, "sync")[0] == 0)
        status, payload = submit_pdf(fg2)
        check("the server still refuses: the carrier's confirmation is missing",
              status == 422 and "Bildungsträger" in payload.get("message", ""))

        check("anna confirms that the carrier is a Bildungsträger", cli(profile, "edit", fg2, "--confirm", CARRIER)[0] == 0)
        check("… and syncs", cli(profile, "sync")[0] == 0)
        status, record = request(port, "GET", f"/api/v1/sketches/{fg2}", token=tokens["anna"])
        check("the confirmations are on the server", record["data"].get("confirmations") == [AGREED, CARRIER])
        code, out, err = cli(profile, "submit", fg2)
        check("now it is submitted", code == 0)
        status, record = request(port, "GET", f"/api/v1/sketches/{fg2}", token=tokens["anna"])
        check("… on the server", record["stage"] == "submitted")

        # The project period must lie within the funding period 2021–2027
        late = new_sketch(duration={"start": "2027-01-01", "end": "2028-12-31"})
        check("a sketch running into 2028 syncs up", cli(profile, "sync")[0] == 0)
        code, _, err = cli(profile, "submit", late)
        check("the client refuses it", code != 0 and "2028-12-31" in err)
        status, payload = submit_pdf(late)
        check("so does the server, naming the funding period",
              status == 422 and "2021-01-01 to 2027-12-31" in payload.get("message", ""))

        # Fördergegenstand 1 has no confirmations to give
        fg1 = new_sketch()
        check("a Fördergegenstand 1 sketch syncs up", cli(profile, "sync")[0] == 0)
        check("… and is submitted without any confirmation", cli(profile, "submit", fg1)[0] == 0)
    finally:
        server.terminate()
        server.wait()

report()
