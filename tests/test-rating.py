#!/usr/bin/python3
# The partners' ratings on a real buendnis-server: one rating per organisation during the rating
# stage, hidden from the others until the dossier moves on, refused for recused organisations,
# then summarised per criterion; ratings given from the command line are queued in the profile,
# delivered by a sync, and a late one stays listed as not counted with the server's reason. TAP
# output.
import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3"
CRITERIA = ["strategic-goals", "regional-relevance", "feasibility", "sustainability", "appropriate-cost"]


def scores(*values):
    return dict(zip(CRITERIA, values))


with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "clara": ("ihk-lw", "coordination"),
             "celle": ("lk-celle", "partner"), "celle2": ("lk-celle", "partner"), "hwk": ("hwk-bls", "partner"),
             "leuphana": ("leuphana", "partner"), "heide": ("lk-heidekreis", "partner"),
             "agv": ("agv-lueneburg", "partner")}
    admin = add_users(SERVER, data, users, PASSWORD)

    server, port = serve(SERVER, data)
    try:
        tokens = sign_in(port, users, PASSWORD)
        status, submitted_pdf = submit_sketch(port, tokens["anna"], UUID, CLI, REFERENCE)
        check("the carrier submits", status == 200)
        rate = f"/api/v1/dossiers/{UUID}/rating"
        ratings = f"/api/v1/dossiers/{UUID}/ratings"

        def move(stage, **more):
            return request(port, "POST", f"/api/v1/dossiers/{UUID}/stage", {"stage": stage, **more},
                           tokens["clara"])[0]

        status, payload = request(port, "PUT", rate, {"scores": scores(4, 4, 4, 4, 4)}, tokens["celle"])
        check("no rating before the rating stage: 409", status == 409 and is_error(payload, "conflict"))

        # A seat rates from its profile before the round: the rating waits in the profile
        profile = os.path.join(data, "agv-profile")

        def cli(*args):
            return subprocess.run([CLI, "--profile", profile, *args], capture_output=True, text=True)

        def rate_args(*values):
            return [f"{criterion}={value}" for criterion, value in zip(CRITERIA, values)]

        subprocess.run([CLI, "--profile", profile, "login", f"http://127.0.0.1:{port}", "--user", "agv",
                        "--token-file", profile + ".token"], input=PASSWORD + "\n", capture_output=True, text=True)
        run = cli("rate", UUID, *rate_args(1, 1, 1, 1, 1))
        check("a rating before the round stays queued (409 conflict)",
              run.returncode == 0 and "waiting for the next sync" in run.stdout)
        run = cli("rate", UUID, "beauty=5", *rate_args(3, 3, 3, 3, 3)[1:])
        check("an unknown criterion is bad input, exit 2", run.returncode == 2 and "unknown criterion" in run.stderr and
              "strategic-goals" in run.stderr and len(run.stderr.splitlines()) == 1)
        run = cli("rate", UUID, *rate_args(3, 3, 3, 3, 6))
        check("a score out of range is bad input", run.returncode == 2 and "from 1 to 5" in run.stderr)
        run = cli("rate", UUID, *rate_args(3, 3, 3, 3))
        check("a missing criterion is bad input", run.returncode == 2 and "each criterion" in run.stderr)
        for stage in ["first-assessment", "long-form-requested", "long-form-received", "rating"]:
            if stage == "long-form-received":
                request(port, "POST", f"/api/v1/dossiers/{UUID}/attachments?kind=long-form&name=L.pdf", submitted_pdf,
                        tokens["anna"])
            move(stage)

        run = cli("sync")
        check("in the round, the next sync delivers the queued rating",
              run.returncode == 0 and "ratings counted 1, not counted 0" in run.stdout)
        status, payload = request(port, "GET", ratings, token=tokens["agv"])
        check("the server holds it", status == 200 and payload["own_org"] == "agv-lueneburg" and
              payload["ratings"] == [{"org": "agv-lueneburg", "scores": scores(1, 1, 1, 1, 1), "comment": ""}])

        # On the road: rated again offline, replacing the queued rating, then synced
        server.terminate()
        server.wait(timeout=10)
        run = cli("rate", UUID, *rate_args(9, 3, 3, 3, 3))
        check("offline, bad input is still refused first", run.returncode == 2)
        run = cli("rate", UUID, *rate_args(2, 2, 2, 2, 2))
        run = cli("rate", UUID, *rate_args(3, 3, 3, 3, 3), "--comment", "im Zug")
        check("a rating given offline is kept", run.returncode == 0 and "next sync" in run.stdout)
        listed = json.loads(cli("ratings", "--json").stdout)
        check("it is listed once, as waiting, with the latest scores",
              len(listed) == 1 and listed[0]["state"] == "queued" and listed[0]["scores"] == scores(3, 3, 3, 3, 3)
              and listed[0]["comment"] == "im Zug")
        server, _ = serve(SERVER, data, port)
        run = cli("sync")
        check("the next sync delivers it", run.returncode == 0 and "ratings counted 1, not counted 0" in run.stdout)
        status, payload = request(port, "GET", ratings, token=tokens["agv"])
        check("the server counted the latest rating", status == 200 and
              payload["ratings"] == [{"org": "agv-lueneburg", "scores": scores(3, 3, 3, 3, 3), "comment": "im Zug"}])
        check("the profile lists it as counted", "counted" in cli("ratings").stdout and
              json.loads(cli("ratings", "--json").stdout)[0]["state"] == "counted")
        run = cli("sync")
        check("a counted rating is not sent again", run.returncode == 0 and "ratings counted" not in run.stdout)

        status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/recusals", {"org": "leuphana"},
                                  tokens["hwk"])
        check("only the coordination records a recusal: 403", status == 403)
        status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/recusals", {"org": "nowhere"},
                                  tokens["clara"])
        check("recusing an unknown organisation is 422", status == 422 and is_error(payload))
        status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/recusals", {"org": "leuphana"},
                                  tokens["clara"])
        check("the coordination recuses the co-applicant", status == 200)

        for name in ["anna", "clara", "leuphana", "heide"]:
            status, payload = request(port, "PUT", rate, {"scores": scores(5, 5, 5, 5, 5)}, tokens[name])
            check(f"{name} cannot rate: 403", status == 403 and is_error(payload, "forbidden"))
        for body in [{"scores": scores(6, 4, 4, 4, 4)}, {"scores": scores(0, 4, 4, 4, 4)},
                     {"scores": scores(4, 4, 4, 4)}, {"scores": dict(scores(4, 4, 4, 4, 4), extra=3)},
                     {"scores": scores(4.5, 4, 4, 4, 4)}, {"scores": scores("4", 4, 4, 4, 4)}]:
            status, payload = request(port, "PUT", rate, body, tokens["celle"])
            check(f"scores {list(body['scores'].values())} are 422", status == 422 and is_error(payload))
        for body in [{"scores": [4, 4]}, {"scores": scores(4, 4, 4, 4, 4), "comment": 3}, b"{"]:
            status, payload = request(port, "PUT", rate, body, tokens["celle"])
            check(f"a malformed rating {body!r:.30} is 400", status == 400 and is_error(payload, "bad-request"))

        status, payload = request(port, "PUT", rate, {"scores": scores(2, 2, 2, 2, 2), "comment": "erst"},
                                  tokens["celle"])
        check("a seat rates and sees its own rating", status == 200 and len(payload["ratings"]) == 1 and
              not payload["closed"])
        status, payload = request(port, "PUT", rate, {"scores": scores(4, 5, 3, 4, 2), "comment": "überarbeitet"},
                                  tokens["celle2"])
        check("the organisation's second seat changes the same rating",
              status == 200 and payload["ratings"] == [{"org": "lk-celle", "scores": scores(4, 5, 3, 4, 2),
                                                       "comment": "überarbeitet"}])
        status, payload = request(port, "PUT", rate, {"scores": scores(2, 3, 5, 4, 4)}, tokens["hwk"])
        status, audit = request(port, "GET", f"/api/v1/dossiers/{UUID}/audit", token=tokens["hwk"])
        rated = [e for e in audit["entries"] if e["action"] == "rated"] if status == 200 else []
        check("every rating given or changed is in the audit trail, with seat and organisation",
              [(e["actor"], e["detail"]["org"]) for e in rated] ==
              [("agv", "agv-lueneburg"), ("agv", "agv-lueneburg"), ("celle", "lk-celle"), ("celle2", "lk-celle"),
               ("hwk", "hwk-bls")])
        # Every partner reads the trail during the round: only a salted hash, no scores, no comment
        unsalted = {hashlib.sha256(json.dumps(scores(*v), separators=(",", ":")).encode()).hexdigest()
                    for v in [(2, 2, 2, 2, 2), (4, 5, 3, 4, 2)]}
        check("the trail keeps the round's ratings secret", rated and
              all(set(e["detail"]) == {"org", "sha256"} and len(e["detail"]["sha256"]) == 64 and
                  e["detail"]["sha256"] not in unsalted for e in rated) and
              "überarbeitet" not in json.dumps(audit, ensure_ascii=False) and '"strategic-goals"' not in str(audit))
        db = Database(data)
        salt, stored, comment = db.execute("SELECT salt, scores, comment FROM ratings WHERE org = 'lk-celle'").fetchone()
        db.close()
        text = f"{salt}|{len(stored.encode())}:{stored}|{len(comment.encode())}:{comment}"
        check("the hash matches the stored rating with its salt",
              rated and rated[3]["detail"]["sha256"] == hashlib.sha256(text.encode()).hexdigest())
        for name in ["hwk", "clara", "anna"]:
            status, payload = request(port, "GET", ratings, token=tokens[name])
            check(f"{name} sees no other organisation's rating during the round",
                  status == 200 and all(r["org"] == users[name][0] for r in payload["ratings"]) and
                  "summary" not in payload and "überarbeitet" not in str(payload))

        # A rating given offline while the round ends is not counted, and the profile keeps why
        server.terminate()
        server.wait(timeout=10)
        cli("rate", UUID, *rate_args(5, 5, 5, 5, 5), "--comment", "zu spät")
        server, _ = serve(SERVER, data, port)
        status, payload = request(port, "GET", ratings, token=tokens["clara"])
        check("the round shows how many of the entitled organisations rated, and its deadline",
              status == 200 and payload["rated"] == 3 and payload["entitled"] == 12 and
              abs(payload["deadline"] - payload["opened"] - 14 * 86400) <= 2)
        check("closing it early without a reason is refused", move("vote") == 422)
        check("with a reason it closes", move("vote", reason="Sitzung am 12.03.") == 200)
        run = cli("sync")
        check("a late rating is refused on sync", run.returncode == 0 and "ratings counted 0, not counted 1" in run.stdout)
        listed = json.loads(cli("ratings", "--json").stdout)
        check("the profile keeps it as refused with the server's reason",
              len(listed) == 1 and listed[0]["state"] == "refused" and "not counted" in listed[0]["message"] and
              listed[0]["scores"] == scores(5, 5, 5, 5, 5))
        run = cli("ratings")
        check("ratings shows it as not counted, with the reason",
              "not counted: Ratings are given while the dossier is at the rating stage" in run.stdout)
        run = cli("sync")
        check("a refused rating is not sent again", run.returncode == 0 and "ratings counted" not in run.stdout)

        status, payload = request(port, "PUT", rate, {"scores": scores(1, 1, 1, 1, 1)}, tokens["hwk"])
        check("a rating after the round is refused as not counted", status == 409 and "not counted" in payload["message"])
        status, payload = request(port, "POST", f"/api/v1/dossiers/{UUID}/recusals", {"org": "hwk-bls"},
                                  tokens["clara"])
        check("no recusal once the ratings are known: 409", status == 409)
        status, payload = request(port, "GET", ratings, token=tokens["anna"])
        check("after the round everyone sees every rating", status == 200 and payload["closed"] and
              [r["org"] for r in payload["ratings"]] == ["agv-lueneburg", "hwk-bls", "lk-celle"])
        check("and a summary per criterion", status == 200 and
              payload["summary"]["strategic-goals"] == {"n": 3, "mean": 3.0, "min": 2, "max": 4} and
              payload["summary"]["appropriate-cost"] == {"n": 3, "mean": 3.0, "min": 2, "max": 4})

        status, payload = request(port, "GET", f"/api/v1/dossiers/{UUID}/vote", token=tokens["clara"])
        check("the recusal carries over to the vote", status == 200 and payload["recused"] == ["leuphana", "lk-heidekreis"])
        status, payload = request(port, "PUT", f"/api/v1/dossiers/{UUID}/vote", {"choice": "yes"}, tokens["leuphana"])
        check("the recused organisation cannot vote either", status == 403)
    finally:
        server.terminate()
        server.wait(timeout=10)

report()
