#!/usr/bin/python3
# Sync that one record cannot block, through buendnis-cli against a real buendnis-server on
# loopback: a submitted sketch cannot be edited locally; one edited before the submission came in
# is refused by the server, the sync succeeds for the rest and names it with the reason, and
# resolve-refused takes the server's version or keeps one's own as a new draft; a vote cast under
# one account is never sent under another that signs in to the same profile. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, report, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
LOCALEDIR = os.environ["BUENDNIS_LOCALEDIR"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
SUBMITTED = "The sketch has been submitted and cannot change"


def cli(profile, *args, stdin=None, language="C"):
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8", BUENDNIS_LOCALEDIR=LOCALEDIR)
    run = subprocess.run([CLI, "--profile", profile, *args], input=stdin, capture_output=True, text=True, env=env)
    return run.returncode, run.stdout, run.stderr


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    users = {"anna": ("lk-heidekreis", "carrier"), "ben": ("lk-heidekreis", "carrier"),
             "clara": ("ihk-lw", "coordination"), "seat-ostfalia": ("ostfalia", "partner"),
             "seat-hwk": ("hwk-bls", "partner")}
    add_users(SERVER, data, users, PASSWORD)
    server, port = serve(SERVER, data)
    url = f"http://127.0.0.1:{port}"
    a, b, p = (os.path.join(work, name) for name in ("a", "b", "p"))

    def login(profile, user):
        return cli(profile, "login", url, "--user", user, "--token-file", f"{profile}-{user}.token",
                   stdin=PASSWORD + "\n")[0]

    def on_server(sketch_id):
        return request(port, "GET", f"/api/v1/sketches/{sketch_id}", token=tokens["anna"])

    try:
        tokens = sign_in(port, users, PASSWORD)
        check("anna and ben sign in", login(a, "anna") == 0 and login(b, "ben") == 0)

        # anna writes and submits two sketches; ben synced them while they were drafts
        ids = []
        for number in range(2):
            # The reference sketch (complete, so that it can be submitted) under a fresh id
            sketch = json.load(open(REFERENCE))
            sketch["uuid"] = str(uuid.uuid4()) if number else sketch["uuid"]
            copy = os.path.join(work, f"sketch-{number}.bndsketch")
            json.dump(sketch, open(copy, "w"))
            ids.append(cli(a, "import", copy)[1].strip())
        first, second = ids
        check("anna syncs her sketches up", cli(a, "sync")[0] == 0)
        check("ben syncs them down", cli(b, "sync")[0] == 0)
        code, _, err = cli(a, "submit", first)
        check("anna submits the first", code == 0)
        status, payload = on_server(first)
        check("it is submitted on the server", status == 200 and payload["stage"] == "submitted")

        # Editing a submitted sketch is refused locally, with exit status 2
        code, out, err = cli(a, "edit", first, "--section", "need", "--text", "nachträglich")
        check("edit of a submitted sketch: exit 2", code == 2)
        check("… saying why", "cannot be changed" in err and "submitted" in err and
              "first assessment asks for changes" in err)
        code, _, err = cli(a, "edit", first, "--section", "need", "--text", "nachträglich", language="de")
        check("… in the user's language", code == 2 and "eingereicht" in err)
        code, _, err = cli(a, "resolve", first, "--section", "need", "--take", "mine")
        check("resolve on a submitted sketch: exit 2", code == 2 and "cannot be changed" in err)
        code, _, err = cli(a, "restore", first, "--version", "1")
        check("restore on a submitted sketch: exit 2", code == 2 and "cannot be changed" in err)
        code, out, _ = cli(a, "show", first, "--json")
        check("the submitted sketch is unchanged", code == 0 and "nachträglich" not in out)
        check("anna's sync is clean", cli(a, "sync")[0] == 0)

        # ben edits his stale copy (still a draft for him) and writes three new sketches
        code, _, err = cli(b, "edit", first, "--section", "need", "--text", "Bens späte Änderung")
        check("ben's profile does not know of the submission yet: his edit is kept", code == 0)
        drafts = [cli(b, "new", "--title", f"Entwurf {i}")[1].strip() for i in range(3)]
        code, out, err = cli(b, "sync")
        check("ben's sync succeeds for the others: exit 0", code == 0)
        check("… and pushed the three", "pushed 3" in out)
        check("the three arrive", all(on_server(draft)[0] == 200 for draft in drafts))
        check("the sync names the refused sketch with the server's reason",
              "refused" in err and first[:8] in err and SUBMITTED in err and "resolve-refused" in err)
        code, out, _ = cli(b, "refused")
        check("refused lists it", code == 0 and first[:8] in out and SUBMITTED in out)
        code, out, err = cli(b, "sync")
        check("the next sync succeeds too and still names it", code == 0 and "pushed 0" in out and first[:8] in err)
        code, _, err = cli(b, "sync", language="de")
        check("… in German", code == 0 and "abgelehnt" in err and "eingereicht" in err)
        code, _, err = cli(b, "edit", first, "--section", "need", "--text", "noch einmal")
        check("now that it knows, ben's profile refuses edits of it: exit 2", code == 2)

        # The way out: keep mine as a new draft
        code, out, err = cli(b, "resolve-refused", first, "--keep-as-draft")
        copy = out.strip()
        check("resolve-refused --keep-as-draft prints the new draft's id", code == 0 and len(copy) == 36 and
              copy != first)
        code, out, _ = cli(b, "show", copy, "--json")
        check("the draft has ben's text", code == 0 and "Bens späte Änderung" in out and '"draft"' in out)
        code, out, _ = cli(b, "show", first, "--json")
        check("the submitted one is the server's again", code == 0 and "Bens späte Änderung" not in out)
        code, out, err = cli(b, "sync")
        check("the draft arrives with the next sync, and nothing is refused any more",
              code == 0 and on_server(copy)[0] == 200 and "refused" not in err)
        check("refused lists nothing", cli(b, "refused")[1] == "")
        code, _, err = cli(b, "resolve-refused", first, "--take-server")
        check("resolve-refused on a sketch that was not refused: exit 2", code == 2)
        code, _, err = cli(b, "resolve-refused", first)
        check("resolve-refused without a choice: exit 2", code == 2)

        # The way out: take the server's version
        cli(b, "edit", second, "--section", "need", "--text", "Bens zweite Fassung")
        cli(a, "submit", second)
        code, _, err = cli(b, "sync")
        check("the second one is refused as well", code == 0 and second[:8] in err)
        code, _, _ = cli(b, "resolve-refused", second, "--take-server")
        check("resolve-refused --take-server", code == 0)
        code, out, _ = cli(b, "show", second, "--json")
        check("the server's version is back", "Bens zweite Fassung" not in out and '"submitted"' in out)
        code, out, _ = cli(b, "history", second)
        check("ben's text stays in the history", code == 0 and len(out.strip().splitlines()) >= 1)
        code, _, err = cli(b, "sync")
        check("and nothing waits any more", code == 0 and "refused" not in err)

        # Votes carry their account
        def to_stage(uuid, last):
            for stage in ["first-assessment", "long-form-requested", "long-form-received", "rating", "vote"]:
                request(port, "POST", f"/api/v1/dossiers/{uuid}/stage", {"stage": stage}, tokens["clara"])
                if stage == last:
                    return

        vote = f"/api/v1/dossiers/{first}/vote"
        to_stage(first, "vote")
        status, _ = request(port, "POST", vote, {"question": "Befürworten?"}, tokens["clara"])
        check("the coordination opens the vote", status == 200)
        check("seat-ostfalia signs in", login(p, "seat-ostfalia") == 0 and cli(p, "sync")[0] == 0)
        cli(p, "logout")
        code, _, err = cli(p, "vote", first, "yes")
        check("signed out, the profile gives no vote", code == 1 and "Sign in" in err)
        check("seat-ostfalia signs in again", login(p, "seat-ostfalia") == 0)
        server.terminate()
        server.wait(timeout=10)
        code, out, _ = cli(p, "vote", first, "yes", "--comment", "unterwegs")
        check("a vote cast offline is kept", code == 0 and "next sync" in out)
        server, _ = serve(SERVER, data, port)
        check("another account signs in to the same profile", login(p, "seat-hwk") == 0)
        code, out, _ = cli(p, "sync")
        check("its sync succeeds and keeps the other account's vote",
              code == 0 and "votes 1 and ratings 0 given under another account" in out)
        status, payload = request(port, "GET", vote, token=tokens["seat-hwk"])
        check("nothing was sent under seat-hwk", status == 200 and payload["voted"] == 0 and
              all(ballot["choice"] is None for ballot in payload["ballots"]))
        code, out, _ = cli(p, "votes")
        check("votes says whose it is and why it waits", code == 0 and "kept for seat-ostfalia" in out)
        check("seat-ostfalia signs in again", login(p, "seat-ostfalia") == 0)
        code, out, _ = cli(p, "sync")
        check("now the vote goes", code == 0 and "votes counted 1, not counted 0" in out)
        status, payload = request(port, "GET", vote, token=tokens["seat-ostfalia"])
        check("the server counted it as ostfalia's", status == 200 and payload["voted"] == 1 and
              payload["ballots"] == [{"org": "ostfalia", "choice": "yes", "comment": "unterwegs"}])
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
