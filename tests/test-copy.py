#!/usr/bin/python3
# buendnis-server copy: a populated installation on SQLite (dossiers at every stage with their
# submissions, attachments, ratings, votes, statements, comments, sessions, sign-ins and the
# server's own trail) moved into an empty PostgreSQL database. Every row of every table
# compares equal, files byte for byte; the audit trail verifies on the copy; a server on the
# copy signs in with the old passwords and the old tokens and serves the files; a second copy
# into the filled database, a copy while a server runs on the source and a folder with a
# database are refused. Needs the private cluster of the server suite on PostgreSQL. TAP output.
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import (Database, add_users, check, new_postgresql_database, report, request,  # noqa: E402
                        serve, sign_in)
from proceduretest import ORGS, PASSWORD, Procedure, users  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")

if os.environ.get("BUENDNIS_TEST_BACKEND") != "postgresql":
    print("1..0 # SKIP copies into PostgreSQL: runs in the server suite on PostgreSQL")
    sys.exit(0)

TABLES = ["orgs", "users", "tokens", "records", "idempotency", "audit", "audit_head", "vote_rounds",
          "vote_entitled", "recusals", "votes", "attachments", "ratings", "assessments", "comments",
          "login_throttle", "login_known", "login_secret", "submissions", "statements", "consultations",
          "rating_rounds", "sessions", "session_items", "outbox", "mail_reminders", "server_clock"]


def rows(db, table):
    """Every row of @table, in one order, with bytes as bytes and numbers as numbers."""
    found = db.execute(f"SELECT * FROM {table}").fetchall()
    return sorted((tuple(bytes(v) if isinstance(v, (bytes, memoryview)) else v for v in row) for row in found),
                  key=repr)


def admin(*args):
    return subprocess.run([SERVER, *args], capture_output=True, text=True, timeout=120)


with tempfile.TemporaryDirectory() as work:
    source = os.path.join(work, "source")
    # The source is SQLite, whatever the suite's backend
    environment = dict(os.environ, BUENDNIS_TEST_BACKEND="sqlite")
    os.environ.update(environment)
    accounts = users()
    add_users(SERVER, source, accounts, PASSWORD, ORGS)
    server, port = serve(SERVER, source)
    try:
        tokens = sign_in(port, accounts, PASSWORD)
        p = Procedure(port, tokens, CLI, REFERENCE, work)
        dossiers = {stage: p.to_stage(stage) for stage in ("consultation", "changes-requested", "rating",
                                                             "statement", "approved", "withdrawn")}
        p.take(dossiers["rating"], "attach", "letter-of-intent", who="anna")
        status, _ = p.api("POST", f"/dossiers/{dossiers['rating']}/comments", {"text": "Gute Idee, Umlaute: äöüß"},
                          who="seat-ihk-lw")
        check("the source has a comment", status == 200)
        attachments = p.api("GET", f"/dossiers/{dossiers['rating']}/attachments")[1]["attachments"]
        before = {a["id"]: request(port, "GET", f"/api/v1/dossiers/{dossiers['rating']}/attachments/{a['id']}",
                                   token=tokens["clara"])[1] for a in attachments}
    finally:
        server.terminate()
        server.wait()
    os.environ["BUENDNIS_TEST_BACKEND"] = "postgresql"

    url = new_postgresql_database("copy_target")
    target = os.path.join(work, "target")
    server, _ = serve(SERVER, source)
    try:
        run = admin("copy", "--from", f"sqlite:{source}", "--to", url, "--data", target)
        check("copy is refused while a server runs on the source, and names no database yet",
              run.returncode != 0 and "A buendnis-server is running" in run.stderr and
              not os.path.exists(os.path.join(target, "database")))
    finally:
        server.terminate()
        server.wait()
    run = admin("init", "--data", source, "--database", url)
    check("init --database does not point a folder with a database of its own elsewhere",
          run.returncode != 0 and "new data folder" in run.stderr and not os.path.exists(os.path.join(source, "database")))
    run = admin("copy", "--from", f"sqlite:{source}", "--to", url, "--data", target)
    check("copy moves the installation into PostgreSQL and verifies its trail there",
          run.returncode == 0 and "rows from" in run.stdout and "The audit trail holds" in run.stdout)
    if run.returncode != 0:
        print("# " + (run.stdout + run.stderr).replace("\n", "\n# "), file=sys.stderr)

    with Database(source) as old, Database(target) as new:
        check("the copy is a PostgreSQL database", new.postgresql and not old.postgresql)
        differ = [table for table in TABLES if rows(old, table) != rows(new, table)]
        check(f"every row of every table compares equal, files byte for byte (differ: {differ})", not differ)
        check("nothing was left out: audit, submissions, statements, attachments and votes have rows",
              all(rows(new, table) for table in ("audit", "submissions", "statements", "attachments", "votes")))

    verified = admin("audit-verify", "--data", target)
    check("audit-verify passes on the copy", verified.returncode == 0 and "entries checked" in verified.stdout)

    server, port = serve(SERVER, target)
    try:
        status, _ = request(port, "GET", "/api/v1/changes?since=0", token=tokens["anna"])
        check("a token from before the copy still opens the API", status == 200)
        again = sign_in(port, {"clara": accounts["clara"]}, PASSWORD)
        check("the old password signs in", bool(again.get("clara")))
        after = {a["id"]: request(port, "GET", f"/api/v1/dossiers/{dossiers['rating']}/attachments/{a['id']}",
                                    token=again["clara"])[1]
                 for a in request(port, "GET", f"/api/v1/dossiers/{dossiers['rating']}/attachments",
                                  token=again["clara"])[1]["attachments"]}
        check("the files come back as they went in", after == before and len(after) >= 2)
        status, dossier = request(port, "GET", f"/api/v1/dossiers/{dossiers['approved']}", token=again["clara"])
        check("the dossiers keep their stages", status == 200 and dossier.get("stage") == "approved")
        new_dossier = Procedure(port, {**tokens, **again}, CLI, REFERENCE, work).to_stage("submitted")
        status, attached = Procedure(port, {**tokens, **again}, CLI, REFERENCE, work).take(
            new_dossier, "attach", "other", who="anna")
        check("the copy goes on: a new dossier and attachment get ids after the copied ones",
              status == 200 and all(attached.get("id", 0) > a["id"] for a in attachments))
    finally:
        server.terminate()
        server.wait()

    run = admin("copy", "--from", f"sqlite:{source}", "--to", url, "--data", os.path.join(work, "again"))
    check("a second copy into the filled database is refused, with a sentence",
          run.returncode != 0 and "holds data already" in run.stderr)
    run = admin("copy", "--from", f"sqlite:{source}", "--to", new_postgresql_database("copy_other"),
                "--data", target)
    check("a folder that has a database already is refused", run.returncode != 0 and "new data folder" in run.stderr)

report()
