#!/usr/bin/python3
# buendnis-server as a service: the configuration file and check-config, GET /healthz, the
# client address behind a trusted reverse proxy, and the sd_notify messages. TAP output.
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, database_args, check, request, is_error, report  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
TOP = sys.argv[1]


def check_config(path, *extra):
    return subprocess.run([SERVER, "check-config", "--config", path, *extra], capture_output=True, text=True)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def start(*args, env=None):
    """serve with @args; returns the process and its port."""
    process = subprocess.Popen([SERVER, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    line = process.stdout.readline()
    if not line.startswith("listening on port"):
        process.kill()
        process.wait()
        raise RuntimeError(f"serve did not start: {process.stderr.read()}")
    return process, int(line.split()[-1])


def stop(process):
    """Ends the server and returns its access log as a list of JSON objects."""
    process.terminate()
    out, _ = process.communicate(timeout=10)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def login(port, user, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return request(port, "POST", "/api/v1/login", {"user": user, "password": "falsch-123"}, headers=headers)[0]


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    subprocess.run([SERVER, "init", "--data", data, *database_args(data)], check=True, capture_output=True)
    empty = os.path.join(work, "empty")
    os.mkdir(empty)

    def conf(name, server="", backup=""):
        text = f"[server]\ndata = {data}\nlisten = 127.0.0.1:0\n{server}\n"
        if backup:
            text += f"[backup]\n{backup}\n"
        return write(os.path.join(work, name), text)

    # check-config: a good file, and each problem named with its key
    run = check_config(conf("good.conf", "trusted-proxies = 127.0.0.1, 10.0.0.0/8\npublic-url = https://b.example.org\n"
                                         "max-json-body = 2097152",
                            f"directory = {work}/backups\nkeep = 7"))
    check("check-config passes a good file, exit 0", run.returncode == 0 and "is fine" in run.stdout and run.stderr == "")

    # The shipped server.conf, every key but the TLS and audit key files uncommented, is known and valid.
    shipped = open(os.path.join(TOP, "data", "server.conf")).read()
    uncommented = []
    for line in shipped.splitlines():
        if re.match(r"#[a-z-]+ = ", line) and not line.startswith(("#tls-", "#audit-key")):
            line = line[1:]
        if line.startswith("data = "):
            line = f"data = {data}"
        if line.startswith("directory = "):
            line = f"directory = {work}/backups"
        uncommented.append(line)
    run = check_config(write(os.path.join(work, "shipped.conf"), "\n".join(uncommented) + "\n"))
    check("the shipped server.conf documents only known keys with valid defaults", run.returncode == 0)
    check("the shipped server.conf documents every key", all(
        f"#{key} = " in shipped for key in ["listen", "data", "tls-cert", "tls-key", "insecure", "public-url",
                                             "trusted-proxies", "max-json-body", "max-pdf-body", "max-attachment", "audit-key",
                                             "pdf-check-timeout", "pdf-check-memory", "max-connections",
                                             "idle-timeout", "header-timeout", "body-timeout", "body-min-rate",
                                             "directory", "keep", "enabled", "smtp-url", "smtp-from", "smtp-user",
                                             "smtp-password-file", "smtp-ca-file", "smtp-timeout", "retry-seconds",
                                             "max-attempts", "interval"]))
    run = check_config(write(os.path.join(work, "mail.conf"),
                             f"[server]\ndata = {data}\n[mail]\nenabled = true\nsmtp-url = http://mail.example.org\n"
                             "smtp-from = nobody\nsmtp-ca-file = /nonexistent.pem\nretry-seconds = 0\n"))
    check("check-config names each problem of [mail] when e-mail is on",
          run.returncode != 0 and all(key in run.stderr + run.stdout for key in
                                      ["smtp-url", "smtp-from", "smtp-ca-file", "retry-seconds"]))

    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    other_cert, other_key = os.path.join(work, "other-cert.pem"), os.path.join(work, "other-key.pem")
    for c, k in [(cert, key), (other_cert, other_key)]:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-keyout", k, "-out", c], capture_output=True, check=True)

    problems = [
        ("an unknown key", "lisen = 127.0.0.1:8080", "", "“lisen”"),
        ("an unknown group", "", "", "[serverr]"),
        ("a listen address that is a name", "listen = localhost:8080", "", "listen"),
        ("a listen port out of range", "listen = 127.0.0.1:70000", "", "listen"),
        ("a listen address without a port", "listen = 127.0.0.1", "", "listen"),
        ("a missing certificate", f"tls-cert = {work}/none.pem\ntls-key = {key}", "", "tls-cert"),
        ("a missing key", f"tls-cert = {cert}\ntls-key = {work}/none.pem", "", "tls-key"),
        ("a certificate without a key", f"tls-cert = {cert}", "", "tls-key"),
        ("a key without a certificate", f"tls-key = {key}", "", "tls-cert"),
        ("a key that is not the certificate's", f"tls-cert = {cert}\ntls-key = {other_key}", "", "not the private key"),
        ("a certificate file that is no certificate", f"tls-cert = {key}\ntls-key = {key}", "", "tls-cert"),
        ("plain HTTP on a public address", "listen = 0.0.0.0:8080", "", "insecure"),
        ("a data directory that does not exist", f"data = {work}/nowhere", "", f"init --data {work}/nowhere"),
        ("a data directory without server.db", f"data = {empty}", "", f"init --data {empty}"),
        ("a public-url that is not http(s)", "public-url = ftp://b.example.org", "", "public-url"),
        ("a public-url that is not absolute", "public-url = /buendnis", "", "public-url"),
        ("a public-url with a line break", "public-url = https://b.example.org\\nMAINPID=1", "", "public-url"),
        ("a trusted proxy that is a name", "trusted-proxies = 127.0.0.1 proxy.example.org", "", "proxy.example.org"),
        ("a JSON limit too small", "max-json-body = 100", "", "max-json-body"),
        ("a PDF limit too large", "max-pdf-body = 99999999999", "", "max-pdf-body"),
        ("an attachment limit that is not a number", "max-attachment = 20MB", "", "max-attachment"),
        ("insecure that is not a boolean", "insecure = maybe", "", "insecure"),
        ("no time at all for a PDF check", "pdf-check-timeout = 0", "", "pdf-check-timeout"),
        ("an hour for a PDF check", "pdf-check-timeout = 3600", "", "pdf-check-timeout"),
        ("too little memory for poppler to start", "pdf-check-memory = 16", "", "pdf-check-memory"),
        ("a PDF check memory with a unit", "pdf-check-memory = 512M", "", "pdf-check-memory"),
        ("a connection cap of one", "max-connections = 1", "", "max-connections"),
        ("an idle timeout of none", "idle-timeout = 0", "", "idle-timeout"),
        ("a header timeout of an hour", "header-timeout = 3600", "", "header-timeout"),
        ("a body timeout in minutes", "body-timeout = 2m", "", "body-timeout"),
        ("a body rate of none", "body-min-rate = 0", "", "body-min-rate"),
        ("keeping no backups", "", "keep = 0", "keep"),
        ("a relative backup directory", "", "directory = backups", "directory"),
        ("an unknown backup key", "", "keep = 3\nretention = 3", "“retention”"),
    ]
    if os.geteuid() != 0:
        read_only = os.path.join(work, "read-only")
        shutil.copytree(data, read_only)
        os.chmod(read_only, 0o500)
        problems.append(("a data directory that is not writable", f"data = {read_only}", "", "not writable"))
    else:
        print("# as root every directory is writable: the not-writable data directory is not checked")
    for name, server, backup, needle in problems:
        path = conf("problem.conf", server, backup)
        if name == "an unknown group":
            with open(path, "a") as f:
                f.write("[serverr]\nlisten = 1\n")
        run = check_config(path)
        lines = run.stdout.splitlines()
        check(f"check-config names {name}, exit 1",
              run.returncode == 1 and len(lines) == 1 and needle in lines[0] and "is fine" not in run.stdout)
        if run.returncode != 1 or len(lines) != 1 or needle not in lines[0]:
            print(f"# {run.returncode} {run.stdout!r} {run.stderr!r}", file=sys.stderr)
    check("plain HTTP on a public address is fine with insecure = true",
          check_config(conf("insecure.conf", "listen = 0.0.0.0:8080\ninsecure = true")).returncode == 0)
    check("TLS on a public address is fine", check_config(conf("tls.conf", f"listen = [::]:8443\ntls-cert = {cert}\n"
                                                                        f"tls-key = {key}")).returncode == 0)

    # Without its helper the server could not take a single PDF: check-config and serve say so.
    gone = dict(os.environ, BUENDNIS_PDF_CHECK=os.path.join(work, "no-such-helper"))
    run = subprocess.run([SERVER, "check-config", "--config", conf("helper.conf")], capture_output=True, text=True,
                         env=gone)
    check("check-config names a missing PDF check helper, exit 1",
          run.returncode == 1 and "no-such-helper" in run.stdout and "PDF check" in run.stdout)

    run = check_config(os.path.join(work, "missing.conf"))
    check("check-config on a missing file: exit 1 with the file's name",
          run.returncode == 1 and "missing.conf" in run.stderr)
    run = subprocess.run([SERVER, "check-config", "--nonsense"], capture_output=True, text=True)
    check("check-config with an unknown option is a usage error, exit 2", run.returncode == 2)
    run = subprocess.run([SERVER, "check-config", "--config", path, "extra"], capture_output=True, text=True)
    check("check-config with an argument is a usage error, exit 2", run.returncode == 2)
    run = check_config(conf("problems.conf", "lisen = x\nmax-json-body = 0"))
    check("check-config lists every problem, not only the first", run.returncode == 1 and len(run.stdout.splitlines()) == 2)

    # serve reads the file; the command line wins over it
    run = subprocess.run([SERVER, "serve", "--config", conf("bad.conf", "lisen = 127.0.0.1:0")],
                         capture_output=True, text=True, timeout=30)
    check("serve refuses a configuration with a problem and names it", run.returncode == 2 and "“lisen”" in run.stderr)
    # A login is never more than 16 KiB, so the JSON limit is tried on a signed-in request.
    subprocess.run([SERVER, "add-user", "--data", data, "--org", "lk-celle", "--role", "carrier", "anna"],
                   check=True, capture_output=True)
    subprocess.run([SERVER, "set-password", "--data", data, "anna"], input="geheim-12345\n", check=True,
                   capture_output=True, text=True)
    sketch = "/api/v1/sketches/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
    big = b'{"title":"' + b"x" * 70000 + b'"}'
    small = conf("small.conf", "max-json-body = 65536")
    server, port = start("--config", small)
    token = request(port, "POST", "/api/v1/login", {"user": "anna", "password": "geheim-12345"})[1]["token"]
    status, payload = request(port, "PUT", sketch, big, token, {"If-Match": "0"})
    check("serve uses max-json-body from the file: 413", status == 413 and is_error(payload, "too-large"))
    stop(server)
    server, port = start("--config", conf("default.conf"))
    status, payload = request(port, "PUT", sketch, big, token, {"If-Match": "0"})
    check("without it the same body is read (and refused as no sketch)", status in (400, 422))
    stop(server)
    elsewhere = write(os.path.join(work, "elsewhere.conf"),
                      f"[server]\ndata = {work}/nowhere\nlisten = 0.0.0.0:0\n")
    server, port = start("--config", elsewhere, "--data", data, "--listen", "127.0.0.1:0")
    status, _ = request(port, "GET", "/healthz")
    check("--data and --listen override the file", status == 200)
    stop(server)

    # GET /healthz: no token, no secrets, in the access log
    server, port = start("--config", conf("health.conf"))
    status, payload = request(port, "GET", "/healthz")
    check("GET /healthz answers 200 without a token", status == 200)
    check("/healthz says ok and the version, nothing else",
          payload == {"status": "ok", "version": payload.get("version")} and payload["version"] == "0.1.0")
    status, payload = request(port, "GET", "/healthz/more")
    check("/healthz/more is 404", status == 404 and is_error(payload, "not-found"))
    status, payload = request(port, "GET", "/api/v1/me")
    check("/api/v1 still needs a token", status == 401 and is_error(payload, "unauthorized"))
    status, payload = request(port, "GET", "/api/v1/changes?since=0")
    check("/api/v1/changes still needs a token", status == 401)
    db = Database(data)
    db.execute("ALTER TABLE users RENAME TO users_gone")
    db.commit()
    status, payload = request(port, "GET", "/healthz")
    check("a database that does not answer is 503 unavailable", status == 503 and payload == {"status": "unavailable"})
    db.execute("ALTER TABLE users_gone RENAME TO users")
    db.commit()
    db.close()
    status, payload = request(port, "GET", "/healthz")
    check("and 200 again once it does", status == 200)
    log = stop(server)
    check("every /healthz is in the access log",
          len([entry for entry in log if entry["path"] == "/healthz"]) == 3 and
          any(entry["path"] == "/healthz" and entry["status"] == 503 for entry in log))

    # X-Forwarded-For: ignored from an untrusted peer
    server, port = start("--config", conf("untrusted.conf"))
    statuses = [login(port, f"nobody{i}", forwarded=f"10.1.0.{i}") for i in range(21)]
    check("from an untrusted peer, X-Forwarded-For does not split the sign-in throttle",
          statuses[:20] == [401] * 20 and statuses[20] == 429)
    log = stop(server)
    check("from an untrusted peer, the access log has the peer",
          all(entry["remote"] == "127.0.0.1" for entry in log) and len(log) == 21)

    # ... and used from a trusted one. The throttle's state outlives the server (tests/test-signin.py):
    # 127.0.0.1 is still held back from the part before, so this part starts afresh.
    db = Database(data)
    db.execute("DELETE FROM login_throttle")
    db.commit()
    db.close()
    server, port = start("--config", conf("trusted.conf", "trusted-proxies = 127.0.0.1 10.9.0.0/16"))
    statuses = [login(port, f"nobody{i}", forwarded="203.0.113.7") for i in range(21)]
    check("behind a trusted proxy, one forwarded address is throttled", statuses[:20] == [401] * 20 and statuses[20] == 429)
    check("another forwarded address is throttled separately", login(port, "other1", forwarded="203.0.113.8") == 401)
    check("the right-most untrusted address counts, not what the client wrote before it",
          login(port, "other2", forwarded="203.0.113.8, 203.0.113.7") == 429 and
          login(port, "other3", forwarded="203.0.113.7, 203.0.113.9") == 401)
    check("trusted proxies in the chain are skipped",
          login(port, "other4", forwarded="203.0.113.7, 10.9.1.1") == 429)
    check("a request without the header is the peer's", login(port, "other5") == 401)
    check("tabs around an entry and an IPv4-mapped spelling are the same client",
          login(port, "other6", forwarded="203.0.113.9 ,\t203.0.113.7") == 429 and
          login(port, "other7", forwarded="::ffff:203.0.113.7") == 429)
    check("an IPv6 client has its own throttle", login(port, "other8", forwarded="2001:db8::1") == 401)
    log = stop(server)
    remotes = [entry["remote"] for entry in log]
    check("the access log has the forwarded client address",
          remotes == ["203.0.113.7"] * 21 + ["203.0.113.8", "203.0.113.7", "203.0.113.9", "203.0.113.7", "127.0.0.1",
                                             "203.0.113.7", "203.0.113.7", "2001:db8::1"])

    # systemd readiness: READY=1 once listening, STOPPING=1 on SIGTERM
    notify_path = os.path.join(work, "notify")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    notify.settimeout(30)
    server, port = start("--config", conf("notify.conf", "public-url = https://b.example.org"),
                         env=dict(os.environ, NOTIFY_SOCKET=notify_path))
    ready = notify.recv(4096).decode()
    check("serve tells systemd READY=1 once it listens, with the address",
          ready.startswith("READY=1\n") and f"STATUS=Listening on http://127.0.0.1:{port}" in ready and
          "https://b.example.org" in ready)
    server.send_signal(signal.SIGTERM)
    stopping = notify.recv(4096).decode()
    server.communicate(timeout=10)
    check("serve tells systemd STOPPING=1 on SIGTERM and exits 0", stopping == "STOPPING=1" and server.returncode == 0)
    notify.close()

report()
