#!/usr/bin/python3
# Backups of a running buendnis-server: while a writer keeps drafting, submitting, attaching and
# commenting through the API, `buendnis-server backup` copies the database again and again
# (keeping the newest two). The last copy taken mid-write restores into a new folder as a
# consistent earlier state of the source: rows identical or older revisions, audit chains that
# are prefixes, files with the same checksums, an audit trail that verifies, a server that
# answers. A backup after the writer stops equals the source. Restoring over existing data and
# restoring something that is not a server database, or one with triggers or views that
# buendnis-server did not make, are refused. On PostgreSQL, backup refuses the folder and names
# PostgreSQL's tools, and migrate is refused while a server runs. TAP output.
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"


def admin(*args):
    return subprocess.run([SERVER, *args], capture_output=True, text=True, timeout=120)


def tiny_pdf(text):
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def postgresql_folder():
    """On PostgreSQL (BUENDNIS_TEST_BACKEND=postgresql) the backups are PostgreSQL's own tools'
    (pg_dump, base backups and WAL archives): backup refuses such a folder with a sentence that
    names them, and migrate runs the schema steps there, refused while a server runs."""
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier")}, PASSWORD)
        run = admin("backup", "--data", data, os.path.join(work, "copy"))
        check("backup refuses a folder whose database is PostgreSQL's, naming PostgreSQL's tools",
              run.returncode != 0 and "PostgreSQL's own tools (pg_dump" in run.stderr and
              not os.path.exists(os.path.join(work, "copy")))
        run = admin("migrate", "--data", data)
        check("migrate finds the PostgreSQL database at the latest schema", run.returncode == 0)
        server, port = serve(SERVER, data)
        try:
            run = admin("migrate", "--data", data)
            check("migrate is refused while a server runs on the database",
                  run.returncode != 0 and "stop it before upgrading" in run.stderr)
        finally:
            server.terminate()
            server.wait()
    report()


if os.environ.get("BUENDNIS_TEST_BACKEND") == "postgresql":
    postgresql_folder()


def connect(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def dump(path):
    db = connect(path)
    text = "\n".join(db.iterdump())
    db.close()
    return text


def table(db, name, key):
    return {row[0]: row for row in db.execute(f'SELECT {key}, * FROM "{name}"')}


def sha(blob):
    return hashlib.sha256(blob).hexdigest()


def tree(folder):
    return {name: open(os.path.join(folder, name), "rb").read() for name in sorted(os.listdir(folder))}


class Writer(threading.Thread):
    """Drafts a sketch in two revisions, submits the second with its exact PDF, attaches a file
    and comments, over and over, until stopped. Every answer must be a success."""

    def __init__(self, port, token, work):
        super().__init__(daemon=True)
        self.port, self.token, self.work = port, token, work
        self.stop = threading.Event()
        self.failures = []
        self.rounds = 0
        self.pdf = None

    def call(self, method, path, body=None, headers=None):
        status, payload = request(self.port, method, path, body, self.token, headers)
        if status != 200:
            self.failures.append(f"{method} {path}: {status} {payload!r:.200}")
        return payload

    def run(self):
        sketch = json.load(open(REFERENCE))
        while not self.stop.is_set():
            uuid = str(uuidlib.uuid4())
            sketch["uuid"], sketch["title"] = uuid, f"Skizze {self.rounds}"
            self.call("PUT", f"/api/v1/sketches/{uuid}", sketch, {"If-Match": "0", "Idempotency-Key": uuid})
            sketch["title"] += " (überarbeitet)"
            self.call("PUT", f"/api/v1/sketches/{uuid}", sketch, {"If-Match": "1"})
            stored = os.path.join(self.work, "stored.bndsketch")
            json.dump(self.call("GET", f"/api/v1/sketches/{uuid}")["data"], open(stored, "w"))
            subprocess.run([CLI, "--profile", self.work, "export-pdf", stored, os.path.join(self.work, "out.pdf")],
                           check=True, capture_output=True)
            self.call("POST", f"/api/v1/sketches/{uuid}/submit", open(os.path.join(self.work, "out.pdf"), "rb").read())
            self.call("POST", f"/api/v1/dossiers/{uuid}/attachments?kind=other&name=Anlage-{self.rounds}.pdf",
                      tiny_pdf(f"Anlage {self.rounds}"))
            self.call("POST", f"/api/v1/dossiers/{uuid}/comments", {"text": f"Anmerkung {self.rounds}"})
            self.rounds += 1


def compare_consistent(backup, source):
    """@backup is an earlier state of @source: checks row by row."""
    b_records, s_records = table(backup, "records", "uuid"), table(source, "records", "uuid")
    columns = [c[1] for c in source.execute("PRAGMA table_info (records)")]
    revision, seq = columns.index("revision") + 1, columns.index("seq") + 1
    check("every record of the backup is the source's or an older revision of it",
          all(uuid in s_records and (row == s_records[uuid] or
                                     (row[revision] < s_records[uuid][revision] and row[:4] == s_records[uuid][:4]))
              for uuid, row in b_records.items()))
    max_seq = max(row[seq] for row in b_records.values())
    check("every record of the source up to the backup's last change is in it, identical",
          all(b_records.get(uuid) == row for uuid, row in s_records.items() if row[seq] <= max_seq))

    chains, complete = {}, True
    for row in source.execute("SELECT * FROM audit ORDER BY dossier, n"):
        chains.setdefault(row[0], []).append(row)
    b_chains = {}
    for row in backup.execute("SELECT * FROM audit ORDER BY dossier, n"):
        b_chains.setdefault(row[0], []).append(row)
    check("every audit chain of the backup is a prefix of the source's",
          all(chain == chains.get(dossier, [])[:len(chain)] for dossier, chain in b_chains.items()))
    heads = table(source, "audit", "dossier || '/' || n")
    check("and its heads point at those entries",
          all(heads.get(f"{dossier}/{n}", (None,) * 9)[8] == hash_ for dossier, n, hash_ in
              backup.execute("SELECT dossier, n, hash FROM audit_head")))
    for dossier, chain in chains.items():
        if dossier in b_records and b_records[dossier][4] != "draft" and dossier not in b_chains:
            complete = False
    check("a dossier submitted in the backup has its audit trail there", complete)

    for name, key in [("submissions", "uuid"), ("attachments", "id"), ("statements", "dossier")]:
        b_rows, s_rows = table(backup, name, key), table(source, name, key)
        check(f"every file in {name} is the source's, byte for byte",
              all(row == s_rows.get(k) for k, row in b_rows.items()))
        check(f"and its checksum holds ({len(b_rows)} files)",
              all(sha(blob) == digest == sha(s_rows[k][1 + [c[1] for c in source.execute(
                  f"PRAGMA table_info ({name})")].index("pdf")]) for k, blob, digest in
                  backup.execute(f"SELECT {key}, pdf, sha256 FROM {name}")))
    b_comments, s_comments = table(backup, "comments", "id"), table(source, "comments", "id")
    last = max(b_comments, default=0)
    check("the comments are the source's up to the backup's last",
          all(row == s_comments.get(k) for k, row in b_comments.items()) and
          all(k in b_comments for k in s_comments if k <= last))
    for name, key in [("orgs", "id"), ("users", "name")]:
        s_rows = table(source, name, key)
        check(f"the {name} are the source's", all(row == s_rows.get(k) for k, row in table(backup, name, key).items()))
    return max_seq


def compare_equal(backup, source):
    names = [n for (n,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    same = names == [n for (n,) in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in names:
        query = f'SELECT * FROM "{name}" ORDER BY rowid'
        same = same and backup.execute(query).fetchall() == source.execute(query).fetchall()
    return same and backup.execute("PRAGMA user_version").fetchone() == source.execute("PRAGMA user_version").fetchone()


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    backups = os.path.join(work, "backups")
    os.mkdir(backups)
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination")}
    add_users(SERVER, data, users, PASSWORD)
    source_path = os.path.join(data, "server.db")

    server, port = serve(SERVER, data)
    threading.Thread(target=server.stdout.read, daemon=True).start()
    writer = None
    try:
        tokens = sign_in(port, users, PASSWORD)
        writer_work = os.path.join(work, "writer")
        os.mkdir(writer_work)
        writer = Writer(port, tokens["anna"], writer_work)
        writer.start()
        while writer.rounds < 2 and writer.is_alive():
            time.sleep(0.1)

        # A copy kept by hand beside the backups is never pruned
        open(os.path.join(backups, "buendnis-before-upgrade.db"), "wb").write(b"kept by hand")
        written = []
        for i in range(4):
            run = admin("backup", "--data", data, "--keep", "2", backups)
            path = run.stdout.split()[1] if run.returncode == 0 and run.stdout.startswith("Wrote ") else None
            check(f"backup {i + 1} while the writer writes: the file and its check reported",
                  path is not None and path.startswith(backups + "/buendnis-") and path.endswith(".db") and
                  "checked" in run.stdout.splitlines()[0])
            written.append(path)
            check(f"backup {i + 1}: at most two kept", len(os.listdir(backups)) <= 3)
            time.sleep(0.5)
        kept = sorted(os.listdir(backups))
        check("--keep 2 leaves the newest two, and the copy kept by hand",
              kept == sorted(["buendnis-before-upgrade.db"] + [os.path.basename(p) for p in written[-2:] if p]))
        os.unlink(os.path.join(backups, "buendnis-before-upgrade.db"))
        kept.remove("buendnis-before-upgrade.db")
        check("backups are only readable by their owner",
              all(os.stat(os.path.join(backups, name)).st_mode & 0o777 == 0o600 for name in kept))
        check("no temporary file is left", not any(name.startswith(".") for name in os.listdir(backups)))
        # Backups of one second are numbered: -10 is newer than -9, though it sorts before it as text
        numbered = os.path.join(work, "numbered")
        os.mkdir(numbered)
        for n in ["", "-2", "-9", "-10"]:
            open(os.path.join(numbered, f"buendnis-20000101-000000{n}.db"), "wb").write(b"old")
        run = admin("backup", "--data", data, "--keep", "2", numbered)
        check("pruning keeps -10 of one second, not -9",
              run.returncode == 0 and len(os.listdir(numbered)) == 2 and
              "buendnis-20000101-000000-10.db" in os.listdir(numbered))
        rounds_at_backup = writer.rounds
        time.sleep(1.5)

        config = os.path.join(work, "buendnis-server.conf")
        config_backups = os.path.join(work, "from-config")
        os.mkdir(config_backups)
        open(config, "w").write(f"[server]\ndata={data}\n\n[backup]\ndirectory={config_backups}\nkeep=1\n")
        run = admin("backup", "--config", config)
        check("backup --config takes the data folder and destination from the file",
              run.returncode == 0 and len(os.listdir(config_backups)) == 1)
        for keep in ["4294967297", "-1", "14 days"]:
            open(config, "w").write(f"[server]\ndata={data}\n\n[backup]\ndirectory={config_backups}\nkeep={keep}\n")
            run = admin("backup", "--config", config)
            check(f"backup --config refuses keep={keep} with a sentence, and prunes nothing",
                  run.returncode == 2 and "keep" in run.stderr and len(os.listdir(config_backups)) == 1)

        writer.stop.set()
        writer.join(timeout=60)
        check("the writer kept writing during the backups", writer.rounds > rounds_at_backup >= 2)
        check("and every request it made succeeded", writer.failures == [])
        if writer.failures:
            print("# " + "\n# ".join(writer.failures[:5]), file=sys.stderr)

        final = os.path.join(work, "final.db")
        run = admin("backup", "--data", data, final)
        check("a backup to a file path", run.returncode == 0 and run.stdout.startswith(f"Wrote {final} (") and
              os.stat(final).st_mode & 0o777 == 0o600)
        with connect(final) as backup, connect(source_path) as source:
            check("the backup after the writer stopped equals the source", compare_equal(backup, source))
            check("and passes sqlite's integrity check", backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        if writer:
            writer.stop.set()
        server.terminate()
        server.wait(timeout=10)

    # The last backup taken mid-write, restored into a new folder
    last = written[-1]
    restored = os.path.join(work, "restored")
    run = admin("restore", "--data", restored, last)
    check("restore into a new folder", run.returncode == 0 and f"Restored {last} into {restored}" in run.stdout and
          "The audit trail holds" in run.stdout)
    check("the folder and the database are only the owner's",
          os.stat(restored).st_mode & 0o777 == 0o700 and
          os.stat(os.path.join(restored, "server.db")).st_mode & 0o777 == 0o600)
    with connect(os.path.join(restored, "server.db")) as backup, connect(source_path) as source:
        max_seq = compare_consistent(backup, source)
        check("the backup was taken mid-write: the source went on after it",
              source.execute("SELECT max (seq) FROM records").fetchone()[0] > max_seq)
    run = admin("audit-verify", "--data", restored)
    check("audit-verify holds on the restored folder", run.returncode == 0 and "holds" in run.stdout)

    server, port = serve(SERVER, restored)
    threading.Thread(target=server.stdout.read, daemon=True).start()
    try:
        status, payload = request(port, "POST", "/api/v1/login", {"user": "anna", "password": PASSWORD})
        check("a server on the restored folder signs in", status == 200)
        status, payload = request(port, "GET", "/api/v1/changes?since=0", token=payload.get("token"))
        check("and lists the changes up to the backup", status == 200 and
              max((r["seq"] for r in payload["changes"]), default=0) == max_seq)
    finally:
        server.terminate()
        server.wait(timeout=10)

    # Refusals
    before = tree(restored)
    run = admin("restore", "--data", restored, final)
    check("restore over an existing database is refused with a sentence",
          run.returncode == 1 and "is not empty" in run.stderr and len(run.stderr.splitlines()) == 1)
    check("and leaves it untouched", tree(restored) == before)
    occupied = os.path.join(work, "occupied")
    os.mkdir(occupied)
    open(os.path.join(occupied, "notes.txt"), "w").write("nicht überschreiben\n")
    run = admin("restore", "--data", occupied, final)
    check("so is restoring into any folder that is not empty",
          run.returncode == 1 and "not empty" in run.stderr and tree(occupied) == {"notes.txt": b"nicht \xc3\xbcberschreiben\n"})
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    run = admin("restore", "--data", empty, final)
    check("an empty folder is fine", run.returncode == 0)

    text = os.path.join(work, "notes.db")
    open(text, "w").write("Das ist keine Datenbank.\n" * 100)
    other = os.path.join(work, "other.db")
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.execute("INSERT INTO contacts VALUES ('Anna')")
    db.commit()
    db.close()
    # A backup someone changed: the server would run its triggers on every write
    hostile = []
    for name, sql in [("trigger", "CREATE TRIGGER steal AFTER INSERT ON tokens "
                                  "BEGIN INSERT INTO comments (dossier, author, org, text, posted) "
                                  "VALUES ('', '', '', new.hash, 0); END"),
                      ("view", "CREATE VIEW everyone AS SELECT * FROM users"),
                      ("changed-trigger", "DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete "
                                          "BEFORE DELETE ON audit BEGIN SELECT 1; END")]:
        path = os.path.join(work, f"hostile-{name}.db")
        open(path, "wb").write(open(final, "rb").read())
        db = sqlite3.connect(path)
        db.executescript(sql)
        db.close()
        hostile.append((path, f"a backup with a {name} of someone else's"))
    for source, what in [(text, "a file that is not a database"), (other, "another sqlite database"),
                         (os.path.join(work, "missing.db"), "a missing file")] + hostile:
        target = os.path.join(work, "target")
        run = admin("restore", "--data", target, source)
        check(f"restoring {what} is refused with a sentence", run.returncode == 1 and
              len(run.stderr.splitlines()) == 1 and source in run.stderr and not os.path.exists(target))
    before = dump(source_path)
    run = admin("backup", "--data", data, source_path)
    check("a backup onto the database itself is refused", run.returncode == 1 and
          "the server's database itself" in run.stderr and dump(source_path) == before)
    run = admin("backup", "--data", os.path.join(work, "nowhere"), backups)
    check("a backup of a folder without a database says so", run.returncode == 1 and "No server database" in run.stderr)

report()
