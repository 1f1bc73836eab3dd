#!/usr/bin/python3
# Sign-in that cannot be turned against users, on a real buendnis-server with clients on distinct
# loopback source addresses (127.0.0.x): a name that does not exist is answered exactly like one
# that does; wrong sign-ins from other addresses never lock a user out; a flood of wrong sign-ins
# from many addresses does not keep a real user from signing in, nor make them wait behind it;
# the throttle's state is in the database, so that it survives a restart and two servers on one
# folder agree; expired tokens are deleted; the server's own audit trail records the account
# commands and the coordination's sign-ins, and audit-verify catches a change to it. TAP output.
import hashlib
import http.client
import json
import os
import pwd
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, database_args, check, report  # noqa: E402
from floods import login_flood  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"


def login(port, user, password, source="127.0.0.1"):
    """Signs in from @source; returns (status, error code, Retry-After, payload)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=60)
    try:
        connection.request("POST", "/api/v1/login", json.dumps({"user": user, "password": password}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        payload = json.loads(raw) if raw else None
        code = payload.get("error") if isinstance(payload, dict) else None
        return response.status, code, response.getheader("Retry-After"), payload
    finally:
        connection.close()


def me(port, token):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


class Server:
    """`buendnis-server serve` on a free loopback port. A thread reads its access log (one JSON
    line per request) as it comes, so that a flood's lines never fill the pipe."""

    def __init__(self, data, *args, env=None):
        self.process = subprocess.Popen([SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0", *args],
                                        stdout=subprocess.PIPE, text=True, env=env)
        self.port = int(self.process.stdout.readline().split()[-1])
        self._log = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                self._log.append(entry)

    def log(self):
        with self._lock:
            return list(self._log)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)


def admin(data, *args, stdin=None, key=None):
    extra = ["--audit-key", key] if key else []
    return subprocess.run([SERVER, *args, "--data", data, *extra], input=stdin, capture_output=True, text=True)


def answers(sequence):
    """What a client sees of each answer: status, error code, Retry-After."""
    return [(status, code, int(retry) if retry else None) for status, code, retry, _ in sequence]


def same_answers(first, second):
    """Equal, but for a Retry-After a second apart (the two runs are not at the same instant)."""
    return len(first) == len(second) and all(
        a[:2] == b[:2] and (a[2] is None) == (b[2] is None) and (a[2] is None or abs(a[2] - b[2]) <= 1)
        for a, b in zip(answers(first), answers(second)))


def entry_hash(prev, dossier, n, at, actor, action, detail):
    """As bnd_audit_hash(): every text field with its length in bytes."""
    fields = [f"{len(value.encode())}:{value}" for value in (actor, action, detail)]
    return hashlib.sha256("|".join([prev, dossier, str(n), str(at), *fields]).encode()).hexdigest()


def rewrite(path, chain, change=None, keep=None):
    """Rewrites @chain as whoever can write the database could: @change(row) edits an entry, @keep
    keeps only the first entries; the hashes from there on and the head are recomputed."""
    db = Database(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    rows = db.execute("SELECT n, at, actor, action, detail FROM audit WHERE dossier = ? ORDER BY n",
                      (chain,)).fetchall()
    if keep is not None:
        db.execute("DELETE FROM audit WHERE dossier = ? AND n > ?", (chain, keep))
        rows = rows[:keep]
    prev = "0" * 64
    for row in rows:
        n, at, actor, action, detail = change(list(row)) if change else row
        hashed = entry_hash(prev, chain, n, at, actor, action, detail)
        db.execute("UPDATE audit SET at = ?, actor = ?, action = ?, detail = ?, prev = ?, hash = ? "
                   "WHERE dossier = ? AND n = ?", (at, actor, action, detail, prev, hashed, chain, n))
        prev = hashed
    db.execute("UPDATE audit_head SET n = ?, hash = ? WHERE dossier = ?", (len(rows), prev, chain))
    db.commit()
    db.close()


def main():
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        etc = os.path.join(work, "etc")
        os.makedirs(etc)
        key = os.path.join(etc, "audit.key")
        subprocess.run([SERVER, "audit-key", "--create", key], check=True, capture_output=True)
        db_path = os.path.join(data, "server.db")

        admin(data, "init", *database_args(data))
        users = {"anna": ("lk-heidekreis", "carrier"), "bert": ("lk-heidekreis", "carrier"),
                 "clara": ("ihk-lw", "coordination"), "erik": ("lk-celle", "partner")}
        for name, (org, role) in users.items():
            admin(data, "add-user", "--org", org, "--role", role, name, key=key)
            admin(data, "set-password", name, stdin=PASSWORD + "\n", key=key)

        server = Server(data, "--audit-key", key)
        port = server.port
        try:
            # 1. A name that exists and one that does not get the same answers, attempt by attempt:
            # first from one address each ...
            known = [login(port, "anna", "falsch", "127.0.0.2") for _ in range(8)]
            unknown = [login(port, "niemand", "falsch", "127.0.0.3") for _ in range(8)]
            check("wrong passwords from one address: 401 five times, then 429 with Retry-After",
                  [a[:2] for a in answers(known)] == [(401, "unauthorized")] * 5 + [(429, "too-many-attempts")] * 3 and
                  all(20 <= a[2] <= 30 for a in answers(known)[5:]))
            check("an unknown name gets exactly the same answers, Retry-After included", same_answers(known, unknown))
            check("... and the same messages", [a[3] for a in known] == [a[3] for a in unknown])

            # ... then from twelve addresses each, which puts the name under attack, and again
            def spread(name, first):
                addresses = [f"127.0.0.{first + i}" for i in range(12)]
                sequence = [login(port, name, "falsch", address) for address in addresses]
                sequence += [login(port, name, "falsch", addresses[0]), login(port, name, "falsch", addresses[0]),
                             login(port, name, "falsch", addresses[-1])]
                return sequence
            known = spread("anna", 10)
            unknown = spread("niemand", 30)
            check("from many addresses: the same answers for a name that exists and one that does not",
                  same_answers(known, unknown))
            check("an account under attack: an address that failed for it is slowed down sooner",
                  [a[0] for a in answers(known)] == [401] * 12 + [401, 429, 429])

            # 2. Nobody is locked out by others' wrong sign-ins: anna's account has failed from
            # fourteen addresses; from 20 more, six times each
            for i in range(20):
                for _ in range(6):
                    login(port, "anna", "falsch", f"127.0.0.{50 + i}")
            attacker = login(port, "anna", PASSWORD, "127.0.0.50")
            check("an address that failed for the account is held back, even with the right password",
                  attacker[0] == 429 and attacker[2] is not None)
            own = login(port, "anna", PASSWORD, "127.0.0.80")
            check("the user signs in from an address without failures, despite wrong sign-ins from 34 others",
                  own[0] == 200 and own[3]["user"] == "anna")
            mistyped = login(port, "anna", "vertippt", "127.0.0.80")
            again = login(port, "anna", PASSWORD, "127.0.0.80")
            check("where the account signed in before, a typo during the attack does not hold the user back",
                  mistyped[0] == 401 and again[0] == 200)
            # The access log line follows the answer: wait for it rather than race it.
            deadline = time.monotonic() + 10
            while len([e for e in server.log() if e["remote"] == "127.0.0.80"]) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            check("each sign-in of the user went ahead of no other check (checks_ahead in the access log)",
                  [entry.get("checks_ahead") for entry in server.log()
                   if entry["remote"] == "127.0.0.80" and entry["status"] == 200] == [0, 0])

            # 3. The address's own limit, in the database: it outlives the server ...
            statuses = [login(port, f"name{i}", "falsch", "127.0.0.90")[0] for i in range(21)]
            check("one address: 20 wrong sign-ins a minute, whichever names", statuses == [401] * 20 + [429])
        finally:
            server.stop()

        server = Server(data, "--audit-key", key)
        other = Server(data, "--audit-key", key)
        port = server.port
        try:
            after = login(port, "bert", PASSWORD, "127.0.0.90")
            check("after a restart the address is still held back, with Retry-After",
                  after[:2] == (429, "too-many-attempts") and 1 <= int(after[2]) <= 60)
            check("the pair of name and address too",
                  login(port, "anna", PASSWORD, "127.0.0.50")[0] == 429)
            # ... and two servers on one data folder agree
            statuses = [login(port, f"name{i}", "falsch", "127.0.0.91")[0] for i in range(20)]
            check("a second server on the same folder holds back the address the first one counted",
                  statuses == [401] * 20 and login(other.port, "bert", PASSWORD, "127.0.0.91")[0] == 429)
            check("and lets the others sign in", login(other.port, "bert", PASSWORD, "127.0.0.92")[0] == 200)

            # 4. A flood of wrong sign-ins from 50 addresses, two connections each, some at erik
            # himself: erik signs in ten times meanwhile, every time, and ahead of the flood
            stop = threading.Event()
            started = time.monotonic()
            flood = login_flood(port, [f"127.0.1.{i}" for i in range(1, 51)], stop, target="erik")
            while len(flood.failed) < 50 and time.monotonic() - started < 60:
                time.sleep(0.1)
            check("every flooding address has failed once (the flood is under way)", len(flood.failed) == 50)
            flooded_at = len(server.log())
            real = []
            for _ in range(10):
                real.append(login(port, "erik", PASSWORD, "127.0.0.100"))
                time.sleep(0.2)
            stop.set()
            flood.join()
            elapsed = time.monotonic() - started
            deadline = time.monotonic() + 10
            while len([e for e in server.log() if e["remote"] == "127.0.0.100"]) < 10 and time.monotonic() < deadline:
                time.sleep(0.05)
            log = server.log()
            mine = [entry for entry in log if entry["remote"] == "127.0.0.100"]
            theirs = [entry for entry in log[flooded_at:] if entry["remote"].startswith("127.0.1.") and
                      "checks_ahead" in entry]
            print(f"# flood: {dict(flood.statuses)} {dict(flood.errors)} in {elapsed:.1f} s; erik's checks_ahead "
                  f"{[entry.get('checks_ahead') for entry in mine]}, ms {[round(entry['ms']) for entry in mine]}; "
                  f"the flood's longest wait {max((e['checks_ahead'] for e in theirs), default=0)} checks")
            check("during the flood every sign-in of the real user succeeds: not one 429",
                  [status for status, _, _, _ in real] == [200] * 10)
            check("at most a few flood checks were served ahead of each of them",
                  len(mine) == 10 and all(entry.get("checks_ahead", 99) <= 3 for entry in mine))
            check("the flood did make checks wait (a queue of dozens)",
                  max((entry["checks_ahead"] for entry in theirs), default=0) >= 20)
            check("the flood was bounded", elapsed < 180 and all(not thread.is_alive() for thread in flood.threads))
            check("the server answers normally after the flood", login(port, "bert", PASSWORD, "127.0.0.93")[0] == 200)
        finally:
            other.stop()
            server.stop()

        # 5. Expired tokens are deleted by the cleanup job
        env = dict(os.environ, BUENDNIS_SERVER_EXPIRE_INTERVAL="1")
        server = Server(data, "--audit-key", key, env=env)
        try:
            old = login(server.port, "bert", PASSWORD, "127.0.0.94")[3]["token"]
            new = login(server.port, "bert", PASSWORD, "127.0.0.94")[3]["token"]
            db = Database(db_path)
            hashed = hashlib.sha256(old.encode()).hexdigest()
            db.execute("UPDATE tokens SET expires = ? WHERE hash = ?", (int(time.time()) - 10, hashed))
            db.commit()
            check("an expired token is refused", me(server.port, old) == 401 and me(server.port, new) == 200)
            time.sleep(2.5)
            left = {row[0] for row in db.execute("SELECT hash FROM tokens")}
            db.close()
            check("the cleanup job deletes the expired token and keeps the valid one",
                  hashed not in left and hashlib.sha256(new.encode()).hexdigest() in left)
        finally:
            server.stop()

        # 6. The server's own audit trail: the account commands and the coordination's sign-ins
        actor_args = dict(key=key)
        admin(data, "set-role", "bert", "coordination", **actor_args)
        admin(data, "revoke-tokens", "bert", **actor_args)
        admin(data, "disable-user", "erik", **actor_args)
        admin(data, "enable-user", "erik", **actor_args)
        server = Server(data, "--audit-key", key)
        try:
            login(server.port, "clara", PASSWORD, "127.0.0.95")
            login(server.port, "bert", PASSWORD, "127.0.0.95")
            login(server.port, "anna", PASSWORD, "127.0.0.95")
            for i in range(10):
                login(server.port, "clara", "falsch", f"127.0.0.{110 + i}")
        finally:
            server.stop()
        listed = admin(data, "audit-log", "--json")
        entries = [json.loads(line) for line in listed.stdout.splitlines()] if listed.returncode == 0 else []
        actions = [(entry["action"], entry["detail"].get("user", entry["actor"])) for entry in entries]
        check("audit-log lists the server's trail", listed.returncode == 0 and len(entries) > 10 and
              [entry["n"] for entry in entries] == list(range(1, len(entries) + 1)))
        check("users added and passwords set are in it, by whom on the command line",
              actions[:2] == [("user-added", "anna"), ("password-set", "anna")] and
              entries[0]["actor"].endswith("(command line)") and entries[0]["detail"]["role"] == "carrier")
        check("the command line actor is the system user", entries[:1] and entries[0]["actor"].startswith(
            f"{pwd.getpwuid(os.getuid()).pw_name} "))
        check("role changes, revoked sign-ins, disabled and enabled users are in it",
              {("role-changed", "bert"), ("tokens-revoked", "bert"), ("user-disabled", "erik"),
               ("user-enabled", "erik")} <= set(actions) and
              [e["detail"] for e in entries if e["action"] == "role-changed"] ==
              [{"user": "bert", "from": "carrier", "to": "coordination"}])
        signed_in = [entry for entry in entries if entry["action"] == "signed-in"]
        check("the coordination's sign-ins are in it with their address, a carrier's and a partner's are not",
              {entry["actor"] for entry in signed_in} == {"clara", "bert"} and
              any(entry["detail"] == {"role": "coordination", "address": "127.0.0.95"} for entry in signed_in))
        failing = [entry for entry in entries if entry["action"] == "sign-ins-failing"]
        check("a coordination account under attack is one entry, not one per failure",
              len(failing) == 1 and failing[0]["detail"]["user"] == "clara")
        text = admin(data, "audit-log")
        check("audit-log also prints one line per entry",
              text.returncode == 0 and len(text.stdout.splitlines()) == len(entries) and "role-changed" in text.stdout)

        verified = admin(data, "audit-verify", key=key)
        check("audit-verify checks the server's trail and its signed head",
              verified.returncode == 0 and entries and f"{len(entries)} entries checked" in verified.stdout and
              "signature of the audit key" in verified.stdout)

        with Database(db_path) as db:
            pristine = db.copy_tables(["audit", "audit_head"])

        def restore():
            with Database(db_path) as db:
                db.put_tables(pristine)

        # An entry changed in place: its hash no longer fits
        db = Database(db_path)
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET detail = ? WHERE dossier = 'server' AND action = 'role-changed'",
                   (json.dumps({"user": "bert", "from": "carrier", "to": "carrier"}, separators=(",", ":")),))
        db.commit()
        db.close()
        changed = ([entry["n"] for entry in entries if entry["action"] == "role-changed"] or [None])[0]
        verified = admin(data, "audit-verify", key=key)
        check("audit-verify catches a changed entry of the server's trail",
              verified.returncode == 1 and f"server: entry {changed} was altered" in verified.stdout)

        # Rewritten consistently, hashes and head: only the key tells
        restore()
        rewrite(db_path, "server", change=lambda row: row[:2] + ["mallory"] + row[3:] if row[0] == 1 else row)
        verified = admin(data, "audit-verify", key=key)
        check("audit-verify with the key catches a rewritten server trail",
              verified.returncode == 1 and
              "server: the trail's head does not carry the audit key's signature" in verified.stdout)

        # Cut short, the head set back
        restore()
        rewrite(db_path, "server", keep=len(entries) - 3)
        verified = admin(data, "audit-verify", key=key)
        check("audit-verify with the key catches a server trail cut short",
              verified.returncode == 1 and "server: the trail's head does not carry" in verified.stdout)

        # The tail removed without touching the head
        restore()
        db = Database(db_path)
        db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        db.execute("DELETE FROM audit WHERE dossier = 'server' AND n = ?", (len(entries),))
        db.commit()
        db.close()
        verified = admin(data, "audit-verify")
        check("even without the key, a removed last entry shows",
              verified.returncode == 1 and f"server: the trail ends at entry {len(entries) - 1}" in verified.stdout)


if __name__ == "__main__":
    main()
    report()
