#!/usr/bin/python3
# Attachments on a real buendnis-server: the carrier attaches PDFs to its dossier, everyone who
# sees the dossier reads them, and a file that is not a PDF, a cut-off PDF, an oversized upload
# and an upload whose connection drops each leave nothing stored. TAP output.
import os
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
DRAFT = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "bert": ("btn", "carrier"), "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD, orgs=[("btn", "Bildungsträger Nord")])

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        anna = tokens["anna"]
        status, pdf = submit_sketch(port, anna, UUID, CLI, REFERENCE)
        check("the carrier submits the sketch", status == 200)
        base = f"/api/v1/dossiers/{UUID}/attachments"

        def stored():
            status, payload = request(port, "GET", base, token=anna)
            return payload["attachments"] if status == 200 else None

        status, payload = request(port, "POST", f"{base}?kind=long-form&name=Langfassung.pdf", pdf, anna)
        check("the carrier attaches the long form", status == 200 and payload["id"] > 0)
        first = payload.get("id")
        listed = stored()
        check("the attachment is listed with kind, name, size and checksum",
              listed and listed[0]["kind"] == "long-form" and listed[0]["name"] == "Langfassung.pdf" and
              listed[0]["size"] == len(pdf) and listed[0]["uploaded_by"] == "anna")
        status, payload = request(port, "GET", f"{base}/{first}", token=tokens["dora"])
        check("a partner reads the exact bytes", status == 200 and payload == pdf)
        status, payload = request(port, "GET", f"{base}/{first}", token=tokens["bert"])
        check("another carrier cannot see a submitted dossier's files: 404", status == 404 and is_error(payload))
        for bad_id in ["999", "0", "abc", "-1"]:
            status, payload = request(port, "GET", f"{base}/{bad_id}", token=anna)
            check(f"attachment id {bad_id} is 404", status == 404 and is_error(payload))

        # Refusals, each leaving the list as it was
        cases = [
            ("not a PDF", "kind=other&name=x.pdf", b"Hallo, ich bin ein Word-Dokument", anna, 422, "not a PDF"),
            ("a cut-off PDF", "kind=other&name=x.pdf", pdf[:len(pdf) // 2], anna, 422, "incomplete"),
            ("an unknown kind", "kind=brief&name=x.pdf", pdf, anna, 422, None),
            ("no name", "kind=other", pdf, anna, 400, None),
            ("a name with a slash", "kind=other&name=../../etc/passwd", pdf, anna, 422, None),
            ("a partner's upload", "kind=other&name=x.pdf", pdf, tokens["dora"], 403, None),
            ("another carrier's upload", "kind=other&name=x.pdf", pdf, tokens["bert"], 404, None),
        ]
        for label, query, body, token, expected, words in cases:
            status, payload = request(port, "POST", f"{base}?{query}", body, token)
            check(f"{label} is {expected} with a clear message",
                  status == expected and is_error(payload) and (words is None or words in payload["message"]))
        check("nothing of the refused uploads was stored", len(stored()) == 1)

        huge = b"%PDF-1.5\n" + b"0" * (21 * 1024 * 1024)
        status, payload = request(port, "POST", f"{base}?kind=other&name=big.pdf", huge, anna)
        check("an upload over 20 MB is 413", status == 413 and is_error(payload, "too-large"))
        status, payload = request(port, "POST", f"{base}?kind=other&name=big.pdf", b"%PDF-1.5\n" + b"0" * (5 << 20))
        check("a stranger's large upload is refused before its body is read: 401",
              status == 401 and is_error(payload, "unauthorized"))

        # The connection drops halfway through the body
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall((f"POST {base}?kind=other&name=half.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Authorization: Bearer {anna}\r\nContent-Type: application/pdf\r\n"
                         f"Content-Length: {len(pdf)}\r\n\r\n").encode() + pdf[:len(pdf) // 3])
        check("a dropped upload stores nothing and the server answers on", len(stored()) == 1)

        # A draft takes no attachments
        status, _ = request(port, "PUT", f"/api/v1/sketches/{DRAFT}",
                            dict(__import__("json").load(open(REFERENCE)), uuid=DRAFT), anna, {"If-Match": "0"})
        status, payload = request(port, "POST", f"/api/v1/dossiers/{DRAFT}/attachments?kind=other&name=x.pdf", pdf, anna)
        check("a draft takes no attachments: 409", status == 409 and is_error(payload))

        status, audit = request(port, "GET", f"/api/v1/dossiers/{UUID}/audit", token=tokens["dora"])
        check("the attachment is in the audit trail",
              status == 200 and [e["detail"].get("name") for e in audit["entries"] if e["action"] == "attachment-added"]
              == ["Langfassung.pdf"])
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
