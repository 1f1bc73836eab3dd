#!/usr/bin/python3
# Per-dossier limits on a real buendnis-server: a dossier takes at most 500 comments and 50
# attachments; one more is refused with 409 "limit-reached" and a clear message, stores nothing,
# and another dossier is not affected. A body whose strings are not UTF-8 once decoded is refused
# before anything is stored. TAP output.
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
OTHER = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
MAX_COMMENTS = 500
MAX_ATTACHMENTS = 50

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        anna, dora = tokens["anna"], tokens["dora"]
        status, pdf = submit_sketch(port, anna, UUID, CLI, REFERENCE)
        status2, _ = submit_sketch(port, anna, OTHER, CLI, REFERENCE)
        check("the carrier submits two sketches", status == 200 and status2 == 200)

        comments = f"/api/v1/dossiers/{UUID}/comments"
        status, payload = request(port, "POST", comments, {"text": "Beitrag 0"}, dora)
        check("a partner comments", status == 200)
        # Valid UTF-8 on the wire, not once decoded: json.dumps writes the lone surrogate as \udc00.
        status, refused = request(port, "POST", comments, {"text": "kaputt \udc00 Zeichen"}, dora)
        check("a comment with an escaped lone surrogate is 400 and names the problem",
              status == 400 and is_error(refused, "bad-request") and "surrogate" in refused["message"])
        status, refused = request(port, "POST", f"/api/v1/dossiers/{UUID}/vote",
                                  {"question": "Frage \ud800?"}, dora)
        check("so is any other body with one", status == 400 and is_error(refused, "bad-request"))
        status, listed = request(port, "GET", comments, token=dora)
        check("and nothing is stored", status == 200 and len(listed["comments"]) == 1)
        # All but the last directly, as copies of the first: 500 requests would fill the access
        # log's pipe, which this test does not read.
        with Database(data) as db:
            for i in range(1, MAX_COMMENTS - 1):
                db.execute("INSERT INTO comments (dossier, author, org, text, posted) "
                           "SELECT dossier, author, org, ?, posted FROM comments WHERE id = ?",
                           (f"Beitrag {i}", payload["comments"][0]["id"]))
        status, payload = request(port, "POST", comments, {"text": "Beitrag 499"}, dora)
        check(f"a dossier takes {MAX_COMMENTS} comments",
              status == 200 and len(payload["comments"]) == MAX_COMMENTS)
        status, payload = request(port, "POST", comments, {"text": "einer zu viel"}, anna)
        check("one more comment is 409 limit-reached with a clear message",
              status == 409 and is_error(payload, "limit-reached") and str(MAX_COMMENTS) in payload["message"])
        status, payload = request(port, "GET", comments, token=anna)
        check("the refused comment is not stored",
              status == 200 and len(payload["comments"]) == MAX_COMMENTS)
        status, payload = request(port, "POST", f"/api/v1/dossiers/{OTHER}/comments", {"text": "Hallo"}, dora)
        check("another dossier still takes comments", status == 200)

        base = f"/api/v1/dossiers/{UUID}/attachments"
        status, payload = request(port, "POST", f"{base}?kind=other&name=a0.pdf", pdf, anna)
        check("the carrier attaches a file", status == 200)
        # The other 49 directly, as copies of the first: uploading each would only test poppler.
        with Database(data) as db:
            for i in range(1, MAX_ATTACHMENTS):
                db.execute("INSERT INTO attachments (dossier, kind, name, size, sha256, pdf, uploaded_by, uploaded) "
                           "SELECT dossier, kind, ?, size, sha256, pdf, uploaded_by, uploaded FROM attachments "
                           "WHERE id = ?", (f"a{i}.pdf", payload["id"]))
        status, payload = request(port, "POST", f"{base}?kind=other&name=zu-viel.pdf", pdf, anna)
        check("one more attachment is 409 limit-reached with a clear message",
              status == 409 and is_error(payload, "limit-reached") and str(MAX_ATTACHMENTS) in payload["message"])
        status, payload = request(port, "GET", base, token=anna)
        check("the refused attachment is not stored",
              status == 200 and len(payload["attachments"]) == MAX_ATTACHMENTS)
        status, payload = request(port, "POST", f"/api/v1/dossiers/{OTHER}/attachments?kind=other&name=x.pdf",
                                  pdf, anna)
        check("another dossier still takes attachments", status == 200)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
