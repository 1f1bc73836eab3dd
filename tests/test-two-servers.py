#!/usr/bin/python3
# Two buendnis-server processes on one data folder, driven alternately and at the same moment, as
# behind a load balancer: nothing one process keeps in memory may break what the other does. No
# write is lost (a stale base is 412 on either), a retry with the same idempotency key is answered
# again by the other process and not written twice, also when it races the first attempt, two
# writes racing on the same base leave exactly one, an organisation's vote counts once whichever
# process takes it and the round closes once, a rating racing the close of its round is counted
# by the close or refused, a sign-out counts on the other process at once, and the audit trail
# verifies afterwards.
# Issue 15 runs the same against PostgreSQL. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import add_users, check, is_error, report, request, sign_in, start  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD, SCORES  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
ROUNDS = 10


def at_once(*calls):
    """Runs the calls in threads released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "server")
    accounts = users()
    admin = add_users(SERVER, data, accounts, PASSWORD, ORGS)
    started = [start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"]) for _ in range(2)]
    servers = [process for process, _ in started]
    ports = [port for _, port in started]
    try:
        tokens = sign_in(ports[0], accounts, PASSWORD)
        both = [Procedure(port, tokens, CLI, REFERENCE, work) for port in ports]
        sketch = json.load(open(REFERENCE))

        def put(port, uuid, revision, title, key=None):
            headers = {"If-Match": str(revision)}
            if key:
                headers["Idempotency-Key"] = key
            return request(port, "PUT", f"/api/v1/sketches/{uuid}", dict(sketch, uuid=uuid, title=title),
                           tokens["anna"], headers)

        # (a) Writes taken in turn by the two processes, each on the revision the other answered
        uuid = str(uuidlib.uuid4())
        revision, answers = 0, []
        for i in range(ROUNDS):
            status, payload = put(ports[i % 2], uuid, revision, f"Fassung {i}")
            answers.append(status)
            revision = payload.get("revision", revision) if status == 200 else revision
        check(f"{ROUNDS} writes in turn through both processes are all taken", answers == [200] * ROUNDS)
        views = [request(port, "GET", f"/api/v1/sketches/{uuid}", token=tokens["anna"])[1] for port in ports]
        check("both processes show the last write and its revision",
              all(view.get("revision") == ROUNDS and view.get("data", {}).get("title") == f"Fassung {ROUNDS - 1}"
                  for view in views))
        status, payload = put(ports[0], uuid, ROUNDS - 1, "veraltet")
        check("a write on a base the other process has moved past is 412",
              status == 412 and is_error(payload, "revision-mismatch"))

        # (b) A retry with the same key through the other process: answered again, written once
        status, first = put(ports[0], uuid, ROUNDS, "mit Schlüssel", key=f"{uuid}-retry")
        status_again, again = put(ports[1], uuid, ROUNDS, "mit Schlüssel", key=f"{uuid}-retry")
        check("a retry with the same idempotency key through the other process gets the same answer",
              status == 200 and status_again == 200 and again == first)
        check("and the sketch was written once", request(ports[1], "GET", f"/api/v1/sketches/{uuid}",
                                                          token=tokens["anna"])[1].get("revision") == ROUNDS + 1)

        # (b2) The same keyed write sent through both processes at the same moment (a client's
        # retry racing its first attempt): both get the one answer, and it is written once
        replays = []
        for i in range(ROUNDS):
            base = ROUNDS + 1 + i
            results = at_once(*[(lambda port=port: put(port, uuid, base, f"doppelt {i}", key=f"{uuid}-race-{i}"))
                                for port in ports])
            replays.append([status for status, _ in results] + ([] if results[0][1] == results[1][1] else ["differ"]))
        check(f"{ROUNDS} keyed writes racing their retry: each time both answered alike ({replays})",
              all(outcome == [200, 200] for outcome in replays))
        base = request(ports[0], "GET", f"/api/v1/sketches/{uuid}", token=tokens["anna"])[1].get("revision")
        check(f"and each written once (revision {base})", base == 2 * ROUNDS + 1)

        # (c) Two writes on the same base at the same moment, one through each process: exactly one
        outcomes = []
        for i in range(ROUNDS):
            results = at_once(lambda: put(ports[0], uuid, base, f"A {i}"), lambda: put(ports[1], uuid, base, f"B {i}"))
            statuses = sorted(status for status, _ in results)
            outcomes.append(statuses)
            base += 1 if statuses == [200, 412] else 0
        check(f"{ROUNDS} races on one base: each time one write is taken and the other is 412 ({outcomes})",
              all(statuses == [200, 412] for statuses in outcomes))
        check("no write lost or doubled: the revision counts the writes taken",
              request(ports[0], "GET", f"/api/v1/sketches/{uuid}", token=tokens["anna"])[1].get("revision") == base)

        # (c2) One process busy with polls, whose requests share a read transaction per turn of its
        # main loop (bnd-server-db-statements.c): each write through the other shows on it at once
        busy = threading.Event()

        def poll_busily():
            while not busy.is_set():
                request(ports[0], "GET", "/api/v1/changes?since=0", token=tokens["bert"])

        pollers = [threading.Thread(target=poll_busily) for _ in range(4)]
        for poller in pollers:
            poller.start()
        try:
            seen = []
            for i in range(ROUNDS):
                status, payload = put(ports[1], uuid, base, f"unter Last {i}")
                base = payload.get("revision", base) if status == 200 else base
                view = request(ports[0], "GET", f"/api/v1/sketches/{uuid}", token=tokens["anna"])[1]
                seen.append(status == 200 and view.get("revision") == base and
                            view.get("data", {}).get("title") == f"unter Last {i}")
        finally:
            busy.set()
            for poller in pollers:
                poller.join()
        check(f"with one process busy, each write through the other shows on it at once ({seen.count(True)} "
              f"of {ROUNDS})", seen == [True] * ROUNDS)

        # (d) The vote: each organisation through alternating processes, all at once; changed
        # through the other process it still counts once, and the round closes exactly once
        dossier = both[0].to_stage("vote")
        entitled = both[0].entitled(dossier)
        vote = f"/api/v1/dossiers/{dossier}/vote"
        first_org, rest = entitled[0], entitled[1:]
        request(ports[0], "PUT", vote, {"choice": "no"}, tokens[f"seat-{first_org}"])
        status, payload = request(ports[1], "PUT", vote, {"choice": "yes"}, tokens[f"seat-{first_org}"])
        check("a vote changed through the other process counts once", status == 200 and payload.get("voted") == 1)
        results = at_once(*[(lambda org=org, i=i: request(ports[i % 2], "PUT", vote, {"choice": "yes"},
                                                         tokens[f"seat-{org}"]))
                            for i, org in enumerate(rest)])
        check("every other entitled organisation's vote is taken, through either process",
              all(status == 200 for status, _ in results))
        closes = sum(1 for _, payload in results if payload.get("closed") and payload.get("voted") == len(entitled))
        status, result = request(ports[1], "GET", vote, token=tokens["clara"])
        check(f"the round is closed with one vote per organisation ({result.get('voted')} of {len(entitled)})",
              status == 200 and result.get("closed") and result.get("voted") == len(entitled) and closes >= 1)
        status, audit = request(ports[0], "GET", f"/api/v1/dossiers/{dossier}/audit", token=tokens["clara"])
        actions = [entry.get("action") for entry in audit.get("entries", [])] if status == 200 else []
        check(f"the audit trail has every vote taken once ({actions.count('vote-cast')} for {len(entitled) + 1})",
              actions.count("vote-cast") == len(entitled) + 1)
        status, payload = request(ports[0], "PUT", vote, {"choice": "no"}, tokens[f"seat-{first_org}"])
        check("a vote after the close is refused by either process", status == 409)

        # (d2) A rating through one process at the moment the other closes the round (the step to
        # the vote): the rating is taken before the close, and counted by it, or refused after it
        outcomes, counted = [], []
        for i in range(8):
            dossier = both[0].to_stage("rating")
            org = entitled[i]
            # Each of the two a little later in turn, so that both orders happen.
            rate_delay, close_delay = (0.001 * (i // 2), 0) if i % 2 else (0, 0.001 * (i // 2))
            (rated, _), (opened, _) = at_once(
                lambda: (time.sleep(rate_delay),
                         request(ports[0], "PUT", f"/api/v1/dossiers/{dossier}/rating", {"scores": SCORES},
                                 tokens[f"seat-{org}"]))[1],
                lambda: (time.sleep(close_delay),
                         request(ports[1], "POST", f"/api/v1/dossiers/{dossier}/steps/open-vote",
                                 {"reason": "Die Sitzung entscheidet."}, tokens["clara"]))[1])
            outcomes.append((rated, opened))
            entries = request(ports[0], "GET", f"/api/v1/dossiers/{dossier}/audit", token=tokens["clara"])[1]["entries"]
            closing = [e["detail"].get("rated") for e in entries if e["action"] == "vote"]
            kept = [e for e in entries if e["action"] == "rated"]
            counted.append(opened == 200 and closing == [len(kept)] and len(kept) == (1 if rated == 200 else 0))
        check(f"a rating racing the round's close is counted by the close or refused ({outcomes})",
              all(counted) and all(rated in (200, 409) for rated, _ in outcomes))

        # (e) A sign-out through one process: the token is refused by the other at once
        anna = sign_in(ports[1], {"anna": accounts["anna"]}, PASSWORD)["anna"]
        ok = all(request(port, "GET", "/api/v1/changes?since=0", token=anna)[0] == 200 for port in ports)
        request(ports[0], "POST", "/api/v1/logout", {}, anna)
        status, payload = request(ports[1], "GET", "/api/v1/changes?since=0", token=anna)
        check("a sign-out through one process counts on the other at once",
              ok and status == 401 and is_error(payload, "unauthorized"))
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    # (f) Both processes wrote to one audit trail: its chain still verifies
    run = subprocess.run([SERVER, "audit-verify", "--data", data], capture_output=True, text=True)
    check("the audit trail both processes wrote verifies", run.returncode == 0)
    if run.returncode != 0:
        print("# " + (run.stdout + run.stderr).replace("\n", "\n# "), file=sys.stderr)

report()
