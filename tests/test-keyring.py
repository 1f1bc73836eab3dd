#!/usr/bin/python3
# The sign-in token in the desktop keyring, for real: buendnis-cli signs in without a token file
# against a real buendnis-server on loopback, with gnome-keyring-daemon as the Secret Service on a
# private session bus. The token is found where the app looks for it (the same schema and
# attributes), it works, and signing out takes it out of the keyring. With the path of
# keyring-app (tests/keyring-app.c) as second argument, the app's sync manager takes its turn in
# between: it starts with that token, signs out and in again. TAP output.
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import add_users, check, report, request, serve  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
APP = sys.argv[2] if len(sys.argv) > 2 else None
PASSWORD = "geheim-12345"
SCHEMA = "de.fachkraefteallianz_non.Buendnis.Token"

# A session bus of our own, so that the keyring daemon and what it keeps go with the test
if "BND_TEST_PRIVATE_BUS" not in os.environ:
    os.environ["BND_TEST_PRIVATE_BUS"] = "1"
    os.execvp("dbus-run-session", ["dbus-run-session", "--", sys.executable, *sys.argv])


def checks(port, url, profile, work):
    def cli(*args, stdin=None):
        return subprocess.run([CLI, "--profile", profile, *args], input=stdin, capture_output=True, text=True)

    def token_in_keyring():
        # secret-tool prints the attributes on stderr
        found = subprocess.run(["secret-tool", "search", "--all", "--unlock", "server", url],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
        lines = found.stdout.splitlines()
        secrets = [line.split(" = ", 1)[1] for line in lines if line.startswith("secret = ")]
        schemas = [line for line in lines if line == f"schema = {SCHEMA}"]
        return secrets, schemas, lines

    def files_holding(text):
        """The files of the profile, and those beside it (where a token file would go), that hold @text."""
        paths = [os.path.join(work, name) for name in os.listdir(work) if os.path.isfile(os.path.join(work, name))]
        for top, dirs, files in os.walk(profile):
            paths += [os.path.join(top, name) for name in files]
        return [path for path in paths if text.encode() in open(path, "rb").read()]

    run = cli("login", url, "--user", "anna", stdin=PASSWORD + "\n")
    check("signing in without a token file keeps the token in the keyring", run.returncode == 0)
    secrets, schemas, listing = token_in_keyring()
    check("one token, under Bündnis's schema", len(secrets) == 1 and len(schemas) == 1)
    check("it names the server and the profile it belongs to",
          f"attribute.server = {url}" in listing and
          any(line.startswith("attribute.profile = ") and profile in line for line in listing))
    check("the token is the server's: it opens the API",
          secrets and request(port, "GET", "/api/v1/changes?since=0", token=secrets[0])[0] == 200)
    check("no file of the profile holds it", secrets and files_holding(secrets[0]) == [])

    run = cli("sync")
    check("the next command finds the token in the keyring", run.returncode == 0)

    if APP:
        run = subprocess.run([APP, profile, url, "anna", PASSWORD], capture_output=True, text=True, timeout=60)
        steps = run.stdout.split()
        if run.returncode != 0:
            print(f"# keyring-app: {run.stdout!r} {run.stderr!r}", file=sys.stderr)
        check("the app finds the token the command line kept, and syncs", steps[:1] == ["started"])
        check("signing out in the app takes it out of the keyring", "signed-out" in steps)
        check("signing in in the app keeps the new token there", run.returncode == 0 and len(steps) == 4)
        secrets = token_in_keyring()[0]
        check("it is the one token in the keyring, and it opens the API",
              secrets == steps[3:] and request(port, "GET", "/api/v1/changes?since=0", token=secrets[0])[0] == 200)
        run = cli("sync")
        check("the command line goes on with the app's token", run.returncode == 0)

    run = cli("logout")
    check("signing out", run.returncode == 0)
    check("takes the token out of the keyring", token_in_keyring()[0] == [])
    check("and the server forgets it",
          secrets and request(port, "GET", "/api/v1/changes?since=0", token=secrets[0])[0] == 401)
    run = cli("sync")
    check("after that a command is not signed in", run.returncode != 0 and "not signed in" in run.stderr)


with tempfile.TemporaryDirectory() as work:
    home = os.path.join(work, "home")
    os.makedirs(os.path.join(home, "run"), mode=0o700)
    os.environ.update(HOME=home, XDG_DATA_HOME=os.path.join(home, "data"),
                      XDG_RUNTIME_DIR=os.path.join(home, "run"))
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    try:
        keyring.stdin.write(b"keyring-password")
        keyring.stdin.close()
        # Waited for without activating: the bus would start a second daemon, one that is locked
        subprocess.run(["gdbus", "wait", "--session", "--timeout", "20", "org.freedesktop.secrets"], check=True)

        data = os.path.join(work, "server")
        add_users(SERVER, data, {"anna": ("lk-lueneburg", "carrier")}, PASSWORD)
        server, port = serve(SERVER, data)
        checks(port, f"http://127.0.0.1:{port}", os.path.join(work, "profile"), work)
    finally:
        if server:
            server.terminate()
            server.wait()
        keyring.terminate()
        keyring.wait()

report()
