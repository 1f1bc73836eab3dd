#!/usr/bin/python3
# The server renders a submission's PDF on a worker thread (bnd-server-sync.c): while it renders,
# everyone else is answered. BUENDNIS_SERVER_RENDER_DELAY_MS makes each render take 2 s more.
# Against a real buendnis-server on loopback:
#
# - polls of another user sent while a submission renders are answered before the submission;
# - the submission is then answered as before (200, the SHA-256 of the server's render, stored);
# - a write of the same sketch that comes in while its PDF renders is taken, and the submission
#   of the older revision is refused with 412 "revision-mismatch": what is submitted is always
#   what was rendered, and nothing is stored for it.
# TAP output.
import json
import os
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, add_users, serve, sign_in, is_error  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
REFERENCE = os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
# Any PDF: the server keeps its own render and only notes that this one differs.
CLIENT_PDF = b"%PDF-1.4\n% not the server's render\n"

os.environ["BUENDNIS_SERVER_RENDER_DELAY_MS"] = "2000"

with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    add_users(SERVER, data, users, PASSWORD)
    server, port = serve(SERVER, data)
    # the access log is not read here; a full pipe would stop the server
    threading.Thread(target=server.stdout.read, daemon=True).start()
    try:
        tokens = sign_in(port, users, PASSWORD)

        def put_sketch(sketch, revision):
            return request(port, "PUT", f"/api/v1/sketches/{sketch['uuid']}", sketch, tokens["anna"],
                           {"If-Match": str(revision)})

        def submit_in_background(sketch_id, revision):
            answer = {}

            def run():
                answer["reply"] = request(port, "POST", f"/api/v1/sketches/{sketch_id}/submit", CLIENT_PDF,
                                          tokens["anna"], {"If-Match": str(revision), "Content-Type": "application/pdf"})
            thread = threading.Thread(target=run)
            thread.start()
            return thread, answer

        sketch = json.load(open(REFERENCE))
        sketch["uuid"] = str(uuid.uuid4())
        check("the carrier writes a complete sketch", put_sketch(sketch, 0)[0] == 200)

        # Others are answered while the PDF renders.
        thread, answer = submit_in_background(sketch["uuid"], 1)
        polls = []
        while thread.is_alive() and len(polls) < 5:
            status, payload = request(port, "GET", "/api/v1/changes?since=0", token=tokens["clara"])
            polls.append(status == 200 and thread.is_alive())
        thread.join()
        check("five polls of another user are answered while the submission renders",
              len(polls) == 5 and all(polls))
        status, payload = answer["reply"]
        check("the submission is answered 200 with the server's SHA-256 and the preview's difference",
              status == 200 and len(payload.get("sha256", "")) == 64 and payload.get("preview_differs") is True)
        status, record = request(port, "GET", f"/api/v1/sketches/{sketch['uuid']}", token=tokens["anna"])
        check("the sketch is submitted", status == 200 and record["stage"] == "submitted")
        status, pdf = request(port, "GET", f"/api/v1/sketches/{sketch['uuid']}/pdf", token=tokens["anna"])
        check("the stored PDF is the server's render", status == 200 and pdf.startswith(b"%PDF-") and pdf != CLIENT_PDF)

        # A write while the PDF renders: the render is of the older revision.
        other = json.load(open(REFERENCE))
        other["uuid"] = str(uuid.uuid4())
        check("the carrier writes a second sketch", put_sketch(other, 0)[0] == 200)
        thread, answer = submit_in_background(other["uuid"], 1)
        time.sleep(0.5)   # the submission has arrived and renders (2 s)
        other["title"] = "Geändert während des Renderns"
        status, record = put_sketch(other, 1)
        check("a write of the sketch while its PDF renders is taken",
              status == 200 and record["revision"] == 2 and thread.is_alive())
        thread.join()
        status, payload = answer["reply"]
        check("the submission of the older revision is refused with 412 revision-mismatch",
              status == 412 and is_error(payload, "revision-mismatch"))
        status, record = request(port, "GET", f"/api/v1/sketches/{other['uuid']}", token=tokens["anna"])
        check("the sketch stays a draft of the new revision, with no PDF stored",
              status == 200 and record["stage"] == "draft" and record["revision"] == 2 and
              request(port, "GET", f"/api/v1/sketches/{other['uuid']}/pdf", token=tokens["anna"])[0] == 404)
    finally:
        server.terminate()
        server.wait()

report()
