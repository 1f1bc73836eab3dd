#!/usr/bin/python3
# The audit trail's chain heads signed with a key outside the data folder: someone who can write
# server.db can recompute every hash of a chain and its head, so that audit-verify without the key
# finds nothing wrong; with the key, the head's signature gives the rewritten and the shortened
# chain away. Also: audit-key --create, the key in the configuration, audit-sign for heads written
# before the key existed. TAP output.
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, request, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
UUID = "5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b"
OTHER = "6b2d3f40-5c6e-4f70-9b8c-0d1e2f3a4b5c"
PASSWORD = "geheim-12345"


def run(*args):
    return subprocess.run([SERVER, *args], capture_output=True, text=True)


def entry_hash(prev, dossier, n, at, actor, action, detail):
    """As bnd_audit_hash(): every text field with its length in bytes."""
    fields = [f"{len(value.encode())}:{value}" for value in (actor, action, detail)]
    return hashlib.sha256("|".join([prev, dossier, str(n), str(at), *fields]).encode()).hexdigest()


def rewrite(path, dossier, change=None, keep=None):
    """Rewrites @dossier's chain as the server would: @change(row) edits an entry, @keep keeps only
    the first entries; every hash from there on and the head are recomputed."""
    db = Database(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    rows = db.execute("SELECT n, at, actor, action, detail FROM audit WHERE dossier = ? ORDER BY n",
                      (dossier,)).fetchall()
    if keep is not None:
        db.execute("DELETE FROM audit WHERE dossier = ? AND n > ?", (dossier, keep))
        rows = rows[:keep]
    prev = "0" * 64
    for row in rows:
        n, at, actor, action, detail = change(list(row)) if change else row
        hashed = entry_hash(prev, dossier, n, at, actor, action, detail)
        db.execute("UPDATE audit SET at = ?, actor = ?, action = ?, detail = ?, prev = ?, hash = ? "
                   "WHERE dossier = ? AND n = ?", (at, actor, action, detail, prev, hashed, dossier, n))
        prev = hashed
    db.execute("UPDATE audit_head SET n = ?, hash = ? WHERE dossier = ?", (len(rows), prev, dossier))
    db.commit()
    db.close()


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    etc = os.path.join(work, "etc")
    os.makedirs(etc)
    key = os.path.join(etc, "audit.key")

    created = run("audit-key", "--create", key)
    mode = stat.S_IMODE(os.stat(key).st_mode) if os.path.exists(key) else None
    check("audit-key --create writes 32 random bytes, mode 0640",
          created.returncode == 0 and mode == 0o640 and os.path.getsize(key) == 32 and
          open(key, "rb").read() != bytes(32))
    first = open(key, "rb").read()
    again = run("audit-key", "--create", key)
    check("an existing key is never replaced", again.returncode == 1 and open(key, "rb").read() == first)

    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination"),
             "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)

    inside = os.path.join(data, "audit.key")
    shutil.copy(key, inside)
    os.chmod(inside, 0o640)
    refused = run("audit-verify", "--data", data, "--audit-key", inside)
    check("a key inside the data folder is refused", refused.returncode == 1 and "inside the data folder" in refused.stderr)
    os.unlink(inside)

    # The second dossier is written before the key is in use: its head stays unsigned
    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        check("a dossier submitted without a key", submit_sketch(port, tokens["anna"], OTHER, CLI, REFERENCE)[0] == 200)
    finally:
        server.terminate()
        server.wait(timeout=10)
    unsigned = run("audit-verify", "--data", data, "--audit-key", key)
    check("with the key, audit-verify names a head written without it",
          unsigned.returncode == 1 and f"{OTHER}: the trail's head is not signed" in unsigned.stdout)

    server, port = serve(SERVER, data, args=["--audit-key", key])
    try:
        tokens = sign_in(port, users, PASSWORD)
        check("the carrier submits", submit_sketch(port, tokens["anna"], UUID, CLI, REFERENCE)[0] == 200)
        for stage in ["first-assessment", "long-form-requested", "long-form-received"]:
            request(port, "POST", f"/api/v1/dossiers/{UUID}/stage", {"stage": stage, "comment": "weiter"},
                    tokens["clara"])
        status, _ = request(port, "POST", f"/api/v1/dossiers/{UUID}/comments", {"text": "Gut so."}, tokens["dora"])
        check("a comment in the thread", status == 200)
    finally:
        server.terminate()
        server.wait(timeout=10)

    signed = run("audit-sign", "--data", data, "--audit-key", key)
    check("audit-sign signs the head written before the key", signed.returncode == 0 and
          "Signed 1 chain head" in signed.stdout)
    # The dossiers' 6 entries and those of the server's own trail (users added, clara's sign-ins)
    db = Database(data)
    server_entries = db.execute("SELECT count (*) FROM audit WHERE dossier = 'server'").fetchone()[0]
    db.close()
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("audit-verify with the key: the trail holds and every head is signed",
          verified.returncode == 0 and f"{6 + server_entries} entries checked" in verified.stdout and "signature of the audit key" in
          verified.stdout)
    verified = run("audit-verify", "--data", data)
    check("without the key audit-verify says the heads were not checked",
          verified.returncode == 0 and "unsigned and were not checked" in verified.stdout)

    conf = os.path.join(etc, "server.conf")
    with open(conf, "w") as out:
        out.write(f"[server]\ndata = {data}\naudit-key = {key}\n")
    checked = run("check-config", "--config", conf)
    check("audit-key in [server] is a known key", "audit-key" not in checked.stdout)
    with open(os.path.join(etc, "missing.conf"), "w") as out:
        out.write(f"[server]\ndata = {data}\naudit-key = {etc}/nowhere.key\n")
    checked = run("check-config", "--config", os.path.join(etc, "missing.conf"))
    check("check-config names a missing key file and how to create it", checked.returncode == 1 and
          f"audit-key: {etc}/nowhere.key is missing or unreadable" in checked.stdout and "audit-key --create" in checked.stdout)

    with Database(data) as db:
        pristine = db.copy_tables(["audit", "audit_head"])
    db_path = data

    def restore():
        with Database(data) as db:
            db.put_tables(pristine)

    # Someone who can write the database rewrites the chain consistently: the first move's
    # actor changes, every hash after it and the head are recomputed as the server would.
    def as_mallory(row):
        if row[0] == 2:
            row[2] = "mallory"
        return row
    rewrite(db_path, UUID, change=as_mallory)
    verified = run("audit-verify", "--data", data)
    check("without the key, a consistently rewritten chain passes (why the key matters)",
          verified.returncode == 0 and "entries checked" in verified.stdout)
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("with the key, audit-verify reports the rewritten chain",
          verified.returncode == 1 and
          f"{UUID}: the trail's head does not carry the audit key's signature" in verified.stdout and
          OTHER not in verified.stdout)
    verified = run("audit-verify", "--data", data, "--config", conf)
    check("the key from [server] audit-key is used as well",
          verified.returncode == 1 and f"{UUID}: the trail's head does not carry" in verified.stdout)
    signed = run("audit-sign", "--data", data, "--audit-key", key)
    check("audit-sign does not sign over a rewritten chain", signed.returncode == 1 and
          f"{UUID}: the trail's head does not carry" in signed.stdout)

    # Truncated: the last two entries removed and the head set back, recomputed
    restore()
    rewrite(db_path, UUID, keep=4)
    verified = run("audit-verify", "--data", data)
    check("without the key, a chain cut short with its head set back passes",
          verified.returncode == 0 and f"{5 + server_entries} entries checked" in verified.stdout)
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("with the key, audit-verify reports the shortened chain",
          verified.returncode == 1 and f"{UUID}: the trail's head does not carry" in verified.stdout)

    # A forged signature column, such as copied from the other dossier, does not help either
    restore()
    db = Database(db_path)
    db.execute("UPDATE audit_head SET signature = (SELECT signature FROM audit_head WHERE dossier = ?) "
               "WHERE dossier = ?", (OTHER, UUID))
    db.commit()
    db.close()
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("another chain's signature does not fit", verified.returncode == 1 and
          f"{UUID}: the trail's head does not carry" in verified.stdout)

    restore()
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("the untouched database verifies again", verified.returncode == 0)

    # A key of the wrong size, or readable by everyone, is refused
    short = os.path.join(etc, "short.key")
    with open(short, "wb") as out:
        out.write(b"x" * 16)
    os.chmod(short, 0o640)
    verified = run("audit-verify", "--data", data, "--audit-key", short)
    check("a key of the wrong size is refused", verified.returncode == 1 and "not a key of 32 bytes" in verified.stderr)
    os.chmod(key, 0o644)
    verified = run("audit-verify", "--data", data, "--audit-key", key)
    check("a key everyone may read is refused", verified.returncode == 1 and "everyone may read" in verified.stderr)

report()
