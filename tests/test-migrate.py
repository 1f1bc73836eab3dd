#!/usr/bin/python3
# Upgrading a database of the first release (tests/data/server-release-1, made by
# build-aux/make-release-fixture.sh): the new server refuses it until `migrate` has run, the
# upgrade keeps every row of every table, ends with the schema of a new database, and the
# upgraded database serves its users, dossiers and files. A second migrate, a concurrent one and
# a database from a newer server are handled too. TAP output.
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, serve  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
TOP = sys.argv[1]
FIXTURE = os.path.join(TOP, "tests", "data", "server-release-1", "server.db")
PASSWORD = "geheim-12345"
DOSSIER = "5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10"
LATEST = 10


def admin(*args):
    return subprocess.run([SERVER, *args], capture_output=True, text=True, timeout=60)


def open_fixture():
    # immutable: reads the committed file without a lock, journal or -shm beside it
    return sqlite3.connect(f"file:{FIXTURE}?mode=ro&immutable=1", uri=True)


def tables(db):
    return [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def columns(db, table):
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def rows(db, table, names=None):
    """The rows of @table, with only the columns @names when given (those of an older schema)."""
    selected = ", ".join(f'"{name}"' for name in names) if names else "*"
    return db.execute(f'SELECT {selected} FROM "{table}" ORDER BY rowid').fetchall()


def schema(db):
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def dump(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    text = "\n".join(db.iterdump()) + f"\nuser_version {db.execute('PRAGMA user_version').fetchone()[0]}"
    db.close()
    return text


def user_version(path):
    db = sqlite3.connect(path)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    return version


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def copy_fixture(work, name):
    folder = os.path.join(work, name)
    os.mkdir(folder, 0o700)
    shutil.copyfile(FIXTURE, os.path.join(folder, "server.db"))
    return folder


with tempfile.TemporaryDirectory() as work:
    fixture = open_fixture()
    check("the fixture is at schema 1", fixture.execute("PRAGMA user_version").fetchone()[0] == 1)
    empty = [table for table in tables(fixture) if not rows(fixture, table)]
    check("the fixture has rows in every table", len(tables(fixture)) >= 17 and empty == [])
    fixture_digest = digest(FIXTURE)

    data = copy_fixture(work, "data")
    path = os.path.join(data, "server.db")
    wanted = f"buendnis-server migrate --data {data}"
    run = subprocess.run([SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0"], capture_output=True,
                         text=True, timeout=30)
    check("serve refuses the release database and says what to run",
          run.returncode == 1 and "listening" not in run.stdout and wanted in run.stderr and
          "schema 1" in run.stderr and len(run.stderr.splitlines()) == 1)
    run = admin("audit-verify", "--data", data)
    check("so do the other commands", run.returncode == 1 and wanted in run.stderr)
    run = admin("init", "--data", data)
    check("init does not upgrade it either", run.returncode == 1 and wanted in run.stderr)
    check("the refusals leave the database at schema 1",
          user_version(path) == 1)

    run = admin("migrate", "--data", data)
    check("migrate upgrades it", run.returncode == 0 and run.stdout == f"Upgraded {data} from schema 1 to {LATEST}\n")

    migrated = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    check("the upgraded database is at the latest schema", migrated.execute("PRAGMA user_version").fetchone()[0] == LATEST)
    check("every table is still there", set(tables(fixture)) <= set(tables(migrated)))
    check("step 7 adds the sign-in throttle's tables, empty, and the secret that keys them",
          set(tables(migrated)) - set(tables(fixture)) ==
          {"login_known", "login_secret", "login_throttle", "consultations", "rating_rounds", "sessions",
           "session_items", "outbox", "mail_reminders", "server_clock"} and
          rows(migrated, "login_throttle") == [] and rows(migrated, "login_known") == [] and
          [len(secret) for (_, secret) in rows(migrated, "login_secret")] == [32])
    check("step 8 adds the consultations and rating rounds, empty",
          rows(migrated, "consultations") == [] and rows(migrated, "rating_rounds") == [])
    check("step 9 adds the Lenkungskreis sessions and their agendas, empty",
          rows(migrated, "sessions") == [] and rows(migrated, "session_items") == [])
    check("step 8 numbers each dossier's one submission 1 and keeps the sketch it was made from",
          rows(migrated, "submissions", ["uuid", "n", "data"]) ==
          [(uuid, 1, data) for (uuid,) in rows(fixture, "submissions", ["uuid"])
           for (data,) in fixture.execute("SELECT data FROM records WHERE uuid = ?", (uuid,))])
    check("step 8 numbers the statements and reads whether each is positive off its audit entry",
          rows(migrated, "statements", ["n", "positive"]) == [(1, 1)] * len(rows(fixture, "statements")) and
          rows(migrated, "records", ["closed_at"]) == [(None,)] * len(rows(fixture, "records")))
    for table in tables(fixture):
        check(f"every row of {table} is unchanged",
              rows(migrated, table, columns(fixture, table)) == rows(fixture, table))
    check("step 3 adds users.disabled, as enabled",
          rows(migrated, "users", ["disabled"]) == [(0,)] * len(rows(fixture, "users")))
    check("step 4 adds when each account last failed to sign in, as never",
          rows(migrated, "users", ["failed_at"]) == [(0,)] * len(rows(fixture, "users")))
    check("step 10 adds no address, German and e-mail on to every user, and an empty outbox",
          rows(migrated, "users", ["email", "language", "mail_enabled"]) ==
          [(None, "de", 1)] * len(rows(fixture, "users")) and rows(migrated, "outbox") == [] and
          rows(migrated, "mail_reminders") == [] and rows(migrated, "server_clock") == [])
    check("mail_reminders also marks the reminders of the statement's two-week clock",
          "'statement'" in migrated.execute("SELECT sql FROM sqlite_master WHERE name = 'mail_reminders'").fetchone()[0])
    indexes = {name for (name,) in migrated.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    check("the lookups by dossier and user have their indexes",
          {"attachments_dossier", "comments_dossier", "tokens_user"} <= indexes)
    plan = " ".join(str(row) for row in migrated.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM comments WHERE dossier = ? ORDER BY id", (DOSSIER,)))
    check("the thread of a dossier is read through its index", "comments_dossier" in plan)
    check("the integrity check passes", migrated.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    fresh = os.path.join(work, "fresh")
    admin("init", "--data", fresh)
    new = sqlite3.connect(os.path.join(fresh, "server.db"))
    check("a new database and the upgraded one have the same schema",
          schema(new) == schema(migrated) and new.execute("PRAGMA user_version").fetchone()[0] == LATEST)
    new.close()
    migrated.close()

    before = dump(path)
    run = admin("migrate", "--data", data)
    check("a second migrate changes nothing", run.returncode == 0 and
          run.stdout == f"The database in {data} is already at schema {LATEST}\n" and dump(path) == before)

    run = admin("audit-verify", "--data", data)
    check("the audit trail holds after the upgrade", run.returncode == 0 and f"The audit trail holds: {len(rows(fixture, 'audit'))} entries" in run.stdout)

    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()
    try:
        status, payload = request(port, "POST", "/api/v1/login", {"user": "anna", "password": PASSWORD})
        check("a user of the release signs in", status == 200 and "token" in payload)
        anna = payload.get("token")
        status, payload = request(port, "GET", f"/api/v1/sketches/{DOSSIER}", token=anna)
        check("and reads the dossier", status == 200 and payload["stage"] == "approved" and
              payload["data"]["title"].startswith("Welcome & Stay"))
        status, payload = request(port, "GET", f"/api/v1/dossiers/{DOSSIER}/attachments", token=anna)
        listed = payload.get("attachments", []) if status == 200 else []
        check("its attachments are listed", [a["name"] for a in listed] == ["Langfassung.pdf", "LOI-Klinikum.pdf"])
        stored = dict(fixture.execute("SELECT id, pdf FROM attachments WHERE dossier = ?", (DOSSIER,)).fetchall())
        status, pdf = request(port, "GET", f"/api/v1/dossiers/{DOSSIER}/attachments/{listed[0]['id']}", token=anna) \
            if listed else (0, b"")
        check("an attachment comes back byte for byte", status == 200 and pdf == stored.get(listed[0]["id"]))
        status, payload = request(port, "GET", f"/api/v1/dossiers/{DOSSIER}/statement", token=anna)
        check("so does the statement", status == 200 and payload == fixture.execute(
            "SELECT pdf FROM statements WHERE dossier = ?", (DOSSIER,)).fetchone()[0])
        status, payload = request(port, "GET", "/api/v1/changes?since=0", token=anna)
        check("changes lists the organisation's dossiers", status == 200 and
              sorted(r["uuid"] for r in payload["changes"]) ==
              sorted(u for (u,) in fixture.execute("SELECT uuid FROM records WHERE org = 'lk-heidekreis'")))
        # The server checked the schema when it started: a migrate must not change it under it
        before = dump(path)
        run = admin("migrate", "--data", data)
        check("migrate refuses while a server runs on the folder, with a sentence",
              run.returncode == 1 and "is running on" in run.stderr and len(run.stderr.splitlines()) == 1 and
              dump(path) == before)
    finally:
        server.terminate()
        server.wait(timeout=10)

    # Two upgrades at once: one does the work, the other waits for its lock and finds it done
    racing = copy_fixture(work, "racing")
    runs = [subprocess.Popen([SERVER, "migrate", "--data", racing], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) + (run.returncode,) for run in runs]
    upgraded = [out for out, _, _ in outputs if out.startswith(f"Upgraded {racing} from schema 1")]
    check("two migrates at once: both succeed, one upgrades",
          all(code == 0 for _, _, code in outputs) and len(upgraded) >= 1 and
          user_version(os.path.join(racing, "server.db")) == LATEST)

    # A backup of the release, restored by this version: upgraded on the way in
    old_backup = os.path.join(work, "release-backup.db")
    shutil.copyfile(FIXTURE, old_backup)
    restored = os.path.join(work, "restored")
    run = admin("restore", "--data", restored, old_backup)
    check("restore upgrades a backup of the release and verifies its trail", run.returncode == 0 and
          run.stdout == f"Restored {old_backup} into {restored}\nUpgraded {restored} from schema 1 to {LATEST}\n"
                        f"The audit trail holds: {len(rows(fixture, 'audit'))} entries checked\n"
                        "The chain heads are unsigned and were not checked: without the audit key (--audit-key FILE, "
                        "or audit-key in [server]) a chain rewritten with new hashes and head cannot be told from the "
                        "original\n")
    with sqlite3.connect(f"file:{os.path.join(restored, 'server.db')}?mode=ro", uri=True) as db:
        check("with every row", all(rows(db, table, columns(fixture, table)) == rows(fixture, table) for table in tables(fixture)))

    # A step that fails is rolled back whole: here a table has the name of step 2's second index
    broken = copy_fixture(work, "broken")
    db = sqlite3.connect(os.path.join(broken, "server.db"))
    db.execute("CREATE TABLE comments_dossier (x)")
    db.commit()
    db.close()
    run = admin("migrate", "--data", broken)
    db = sqlite3.connect(os.path.join(broken, "server.db"))
    check("a failing step is reported with the schema the database is left at",
          run.returncode == 1 and f"Upgrading the database in {broken} failed; it is left at schema 1" in run.stderr)
    check("and nothing of it stays", db.execute("PRAGMA user_version").fetchone()[0] == 1 and
          db.execute("SELECT count (*) FROM sqlite_master WHERE name = 'attachments_dossier'").fetchone()[0] == 0)
    db.close()

    # A database from a newer buendnis-server
    newer = copy_fixture(work, "newer")
    db = sqlite3.connect(os.path.join(newer, "server.db"))
    db.execute(f"PRAGMA user_version = {LATEST + 7}")
    db.close()
    for command in (["serve", "--listen", "127.0.0.1:0"], ["migrate"], ["audit-verify"]):
        run = admin(command[0], "--data", newer, *command[1:])
        check(f"{command[0]} refuses a database from a newer server",
              run.returncode == 1 and "made by a newer buendnis-server" in run.stderr and
              "install that version" in run.stderr and "listening" not in run.stdout)
    check("and leaves it as it was",
          user_version(os.path.join(newer, "server.db")) == LATEST + 7)

    fixture.close()
    check("the fixture itself is untouched", digest(FIXTURE) == fixture_digest and
          sorted(os.listdir(os.path.dirname(FIXTURE))) == ["server.db"])

report()
