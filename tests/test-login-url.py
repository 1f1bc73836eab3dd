#!/usr/bin/python3
# Where buendnis-cli sends a password: over https:// anywhere, over plain http:// only to this
# computer, judged by the host the URL really names (http://127.0.0.1@example.org/ names
# example.org), not by how the text begins. An address with user info ("127.0.0.1@") is refused
# whatever its host: it is how one host is made to look like another. 127.0.0.2 stands in for
# another computer that must never be connected to. TAP output.
import os
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
PASSWORD = "geheim-12345"
REFUSED = "is not an https:// address"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


with tempfile.TemporaryDirectory() as work:
    def login(url):
        profile = tempfile.mkdtemp(dir=work)
        return subprocess.run([CLI, "--profile", profile, "login", url, "--user", "anna", "--token-file",
                               os.path.join(profile, "token")], input=PASSWORD + "\n", capture_output=True,
                              text=True, timeout=60)

    # Another computer, as far as the password is concerned: it must never be connected to.
    elsewhere = socket.socket()
    elsewhere.bind(("127.0.0.2", 0))
    elsewhere.listen(8)
    elsewhere_port = elsewhere.getsockname()[1]
    arrived = []

    def accept():
        while True:
            try:
                connection, _ = elsewhere.accept()
            except OSError:
                return
            arrived.append(connection.recv(65536))
            connection.close()

    threading.Thread(target=accept, daemon=True).start()

    for url in (f"http://127.0.0.1@127.0.0.2:{elsewhere_port}", f"http://localhost@127.0.0.2:{elsewhere_port}",
                f"http://[::1]@127.0.0.2:{elsewhere_port}", f"http://127.0.0.1:1@127.0.0.2:{elsewhere_port}"):
        run = login(url)
        check(f"{url} is refused: exit 2 with a sentence",
              run.returncode == 2 and REFUSED in run.stderr and len(run.stderr.splitlines()) == 1)
    for url in ("http://127.0.0.1@buendnis.invalid/", "https://buendnis.example.org@buendnis.invalid/",
                "http://localhost.example.org/", "http://127.0.0.1.example.org/", "http://example.org/",
                "http:///127.0.0.1", "https://", "ftp://127.0.0.1/", "127.0.0.1:8080"):
        run = login(url)
        check(f"{url} is refused: exit 2", run.returncode == 2 and REFUSED in run.stderr)
    check("nothing reached the other address", arrived == [])
    elsewhere.close()

    data = os.path.join(work, "data")
    add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier")}, PASSWORD)
    server, port = serve(SERVER, data)
    try:
        run = login(f"http://127.0.0.1:{port}")
        check("http://127.0.0.1:PORT is accepted and signs in", run.returncode == 0)
        run = login(f"HTTP://127.0.0.1:{port}/")
        check("the scheme in capitals too", run.returncode == 0)
    finally:
        server.terminate()
        server.wait(timeout=10)

    # Accepted, then nobody answers there: exit 1 (failed), not 2 (refused address)
    free = closed_port()
    for url in (f"https://127.0.0.1:{free}", f"https://buendnis.invalid:{free}/", f"http://127.0.0.5:{free}",
                f"http://localhost:{free}", f"http://[::1]:{free}"):
        run = login(url)
        check(f"{url} is accepted (and then fails to connect: exit 1)",
              run.returncode == 1 and REFUSED not in run.stderr)

report()
