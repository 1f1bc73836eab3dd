#!/usr/bin/python3
# A laptop change against a real buendnis-server: a signed-in profile with synced sketches, history,
# a conflict and a vote and rating queued offline is exported, imported into an empty profile,
# shows the same there, holds no token, and works after signing in again. TAP output.
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, serve  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
REFERENCE = os.path.join(sys.argv[1], "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
SCORES = ["strategic-goals=4", "regional-relevance=5", "feasibility=4", "sustainability=3", "appropriate-cost=4"]


def cli(profile, *args, stdin=None):
    run = subprocess.run([CLI, "--profile", profile, *args], input=stdin, capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    add_users(SERVER, data, {"anna": ("lk-heidekreis", "carrier"), "ben": ("lk-heidekreis", "carrier")}, PASSWORD)
    server, port = serve(SERVER, data)
    url = f"http://127.0.0.1:{port}"
    old, new, ben = (os.path.join(work, name) for name in ("old", "new", "ben"))
    # The token file in the profile folder itself: it must not travel with the rest.
    token_file = os.path.join(old, "token")
    exported = os.path.join(work, "anna.bndprofile")

    try:
        code, _, err = cli(old, "login", url, "--user", "anna", "--token-file", token_file, stdin=PASSWORD + "\n")
        check("anna signs in on the old computer", code == 0)
        token = open(token_file).read().strip()
        code, ben_login, _ = cli(ben, "login", url, "--user", "ben", "--token-file", ben + ".token",
                                 stdin=PASSWORD + "\n")

        uuid = cli(old, "import", REFERENCE)[1].strip()
        second = cli(old, "new", "--title", "Sprachkurse in Celle")[1].strip()
        cli(old, "edit", second, "--section", "need", "--text", "Erste Fassung")
        cli(old, "snapshot", second)
        cli(old, "edit", second, "--section", "need", "--text", "Zweite Fassung")
        check("the old computer syncs", cli(old, "sync")[0] == 0)

        # Ben and anna edit the same section: a conflict on the old computer
        cli(ben, "sync")
        cli(ben, "edit", uuid, "--section", "summary", "--text", "Kurz von Ben.")
        cli(ben, "sync")
        cli(old, "edit", uuid, "--section", "summary", "--text", "Kurz von Anna.")
        cli(old, "sync")
        check("the old computer has a conflict", "Kurz von Ben." in cli(old, "conflicts")[1])

        # Offline: a vote and a rating wait for the next sync
        server.terminate()
        server.wait(timeout=10)
        code, out, _ = cli(old, "vote", uuid, "yes", "--comment", "im Zug")
        check("a vote is queued offline", code == 0 and "next sync" in out)
        code, out, _ = cli(old, "rate", uuid, *SCORES)
        check("a rating is queued offline", code == 0 and "next sync" in out)

        code, out, err = cli(old, "profile", "export", exported)
        check("the profile is exported", code == 0 and os.path.exists(exported))
        check("readable by its owner only", os.stat(exported).st_mode & 0o777 == 0o600)
        contents = open(exported, "rb").read()
        check("the token is not in it", token.encode() not in contents)
        check("nor where the token file is", token_file.encode() not in contents)

        code, out, err = cli(new, "profile", "import", exported)
        check("it is imported into an empty profile", code == 0 and f"login {url} --user anna" in out)
        check("the token file did not come along", not os.path.exists(os.path.join(new, "token")))
        for command in (["list"], ["list", "--json"], ["show", uuid, "--json"], ["show", second, "--json"],
                        ["history", uuid], ["history", second], ["votes"], ["ratings", "--json"], ["conflicts"],
                        ["dossier", "list", "--json"], ["search", "Sprachkurse"]):
            before, after = cli(old, *command), cli(new, *command)
            check(f"“{' '.join(command)}” shows the same", before == after and before[0] == 0)
        check("the second profile is still not signed in", cli(new, "sync")[0] != 0)

        code, out, _ = cli(new, "profile", "import", exported)
        check("a second import into it is refused: 2", code == 2)

        # Signed in again, the new computer goes on where the old one stopped
        server, port = serve(SERVER, data, port)
        code, _, _ = cli(new, "login", url, "--user", "anna", "--token-file", new + ".token", stdin=PASSWORD + "\n")
        check("anna signs in on the new computer", code == 0)
        code, out, err = cli(new, "sync")
        check("the new computer syncs", code == 0)
        votes = cli(new, "votes")[1]
        check("the queued vote went out with it", "counted" in votes and "waiting" not in votes)
        ratings = json.loads(cli(new, "ratings", "--json")[1])
        check("the queued rating went out with it", len(ratings) == 1 and ratings[0]["state"] in ("counted", "refused"))
        check("the conflict is still there to decide", "Kurz von Ben." in cli(new, "conflicts")[1])
        code, _, _ = cli(new, "resolve", uuid, "--section", "summary", "--take", "mine")
        cli(new, "sync")
        cli(ben, "sync")
        check("ben gets the decision from the new computer",
              json.loads(cli(ben, "show", uuid, "--json")[1])["sections"]["summary"] == "Kurz von Anna.")
        listed = json.loads(cli(new, "list", "--json")[1])
        check("no sketch was duplicated", len(listed) == 2)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
