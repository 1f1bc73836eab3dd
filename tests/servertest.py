# What the server tests share: TAP checks and JSON requests against a loopback port.
import json
import sys
import urllib.error
import urllib.request

results = []


def check(name, condition):
    results.append((name, bool(condition)))
    if not condition:
        print(f"# failed: {name}", file=sys.stderr)


def request(port, method, path, body=None, token=None, headers=None):
    url = f"http://127.0.0.1:{port}{path}"
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            raw = response.read()
            status = response.status
            kind = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
        kind = error.headers.get("Content-Type", "")
    payload = json.loads(raw) if kind.startswith("application/json") and raw else raw
    return status, payload


def is_error(payload, code=None):
    return isinstance(payload, dict) and "error" in payload and "message" in payload and \
        (code is None or payload["error"] == code)


def report():
    print(f"1..{len(results)}")
    for number, (name, ok) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} {name}")
    sys.exit(0 if all(ok for _, ok in results) else 1)


def submit_sketch(port, token, uuid, cli, reference):
    """Writes the reference sketch as @uuid and submits the PDF of the stored revision, as the app
    would. Returns the submission's status and the PDF."""
    import os
    import subprocess
    import tempfile

    sketch = json.load(open(reference))
    sketch["uuid"] = uuid
    request(port, "PUT", f"/api/v1/sketches/{uuid}", sketch, token, {"If-Match": "0"})
    with tempfile.TemporaryDirectory() as work:
        stored = os.path.join(work, "stored.bndsketch")
        json.dump(request(port, "GET", f"/api/v1/sketches/{uuid}", token=token)[1]["data"], open(stored, "w"))
        subprocess.run([cli, "--profile", work, "export-pdf", stored, os.path.join(work, "out.pdf")],
                       check=True, capture_output=True)
        pdf = open(os.path.join(work, "out.pdf"), "rb").read()
    return request(port, "POST", f"/api/v1/sketches/{uuid}/submit", pdf, token)[0], pdf


def database_args(data):
    """The options of `init` for a new data folder @data: none for SQLite (server.db in the
    folder); with BUENDNIS_TEST_BACKEND=postgresql a new database of its own in the private
    cluster whose socket is in BUENDNIS_TEST_PGHOST (tests/pgcluster.py)."""
    import hashlib
    import os
    import subprocess

    if os.environ.get("BUENDNIS_TEST_BACKEND") != "postgresql":
        return []
    return ["--database", new_postgresql_database("t_" + hashlib.sha256(os.path.abspath(data).encode()).hexdigest()[:24])]


def new_postgresql_database(name):
    """A new, empty database @name in the private cluster; returns its address."""
    import os
    import subprocess

    host = os.environ["BUENDNIS_TEST_PGHOST"]
    subprocess.run(["psql", "-h", host, "-U", "buendnis", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}",
                    "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return f"postgresql://buendnis@/{name}?host={host}"


def add_users(server, data, users, password, orgs=()):
    """Creates the database with the partners, more @orgs ((id, name), …) and @users
    ({name: (org, role)}), each with @password. Returns a function that runs an admin command."""
    import subprocess

    def admin(*args, stdin=None):
        return subprocess.run([server, *args, "--data", data], input=stdin, capture_output=True, text=True)

    admin("init", *database_args(data))
    for org, org_name in orgs:
        admin("add-org", "--name", org_name, org)
    for name, (org, role) in users.items():
        admin("add-user", "--org", org, "--role", role, name)
        admin("set-password", name, stdin=password + "\n")
    return admin


def serve(server, data, port=0, args=()):
    """Starts the server on a loopback port, with more @args; returns the process and the port."""
    import subprocess

    process = subprocess.Popen([server, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", *args],
                               stdout=subprocess.PIPE, text=True)
    return process, int(process.stdout.readline().split()[-1])


def sign_in(port, users, password, prefix=""):
    """Tokens of @users, signed in to the first alliance or to the one at @prefix ("/a/SLUG")."""
    return {name: request(port, "POST", f"{prefix}/api/v1/login", {"user": name, "password": password})[1]["token"]
            for name in users}


def start(server, args=(), preexec_fn=None, env=None):
    """Starts `@server serve @args`; returns the process and its port. A thread reads the access
    log into process.log: a pipe nobody reads fills up after some hundred requests, and the
    server would stop at its next line."""
    import subprocess
    import threading

    process = subprocess.Popen([server, "serve", *args], stdout=subprocess.PIPE, text=True,
                               preexec_fn=preexec_fn, env=env)
    port = int(process.stdout.readline().split()[-1])
    process.log = []
    threading.Thread(target=lambda: process.log.extend(process.stdout), daemon=True).start()
    return process, port


def vm_rss(pid):
    """The resident memory of process @pid in bytes."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def raise_open_files():
    """Raises this process's soft limit on open files to its hard limit: the tests hold many
    connections."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Database:
    """The database of data folder @data, for tests that look into it or tamper with it as someone
    with access to it could: server.db, or the PostgreSQL database the folder names (its file
    "database"). SQL is written as for SQLite, with ? parameters; for PostgreSQL they become %s,
    the column user is quoted and a trigger is dropped from its table."""

    def __init__(self, data):
        import os
        import sqlite3

        if data.endswith("server.db"):
            data = os.path.dirname(data)
        named = os.path.join(data, "database")
        self.postgresql = os.path.exists(named)
        if self.postgresql:
            import psycopg2

            self.connection = psycopg2.connect(open(named).read().strip())
            self.Error = psycopg2.Error
        else:
            self.connection = sqlite3.connect(os.path.join(data, "server.db"))
            self.Error = sqlite3.DatabaseError

    def execute(self, sql, parameters=()):
        import re

        if not self.postgresql:
            return self.connection.execute(sql, parameters)
        sql = re.sub(r"\?\d*", "%s", sql)
        sql = re.sub(r"\buser\b", '"user"', sql)
        sql = re.sub(r"DROP TRIGGER (IF EXISTS )?(\w+)", r"DROP TRIGGER \1\2 ON audit", sql)
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, parameters)
        except self.Error:
            self.connection.rollback()
            raise
        return cursor

    def commit(self):
        self.connection.commit()

    def copy_tables(self, tables):
        """Every row of @tables, for put_tables() to put back."""
        return {table: self.execute(f"SELECT * FROM {table}").fetchall() for table in tables}

    def put_tables(self, copy):
        """Puts back the rows of copy_tables(), as someone who can write the database would: the
        audit trail's triggers are dropped first."""
        self.execute("DROP TRIGGER IF EXISTS audit_no_update")
        self.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for table, rows in copy.items():
            self.execute(f"DELETE FROM {table}")
            for row in rows:
                self.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)
        self.commit()

    def close(self):
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.commit()
        self.close()
