#!/usr/bin/python3
# Sign-in latency, on demand: a real user signs in 20 times from its own loopback address, first
# on an idle server, then during a flood of wrong sign-ins from 50 addresses (two connections
# each, tests/test-signin.py's login_flood); prints the median, 90th percentile and worst time of
# each, how many flood checks went ahead (checks_ahead in the access log) and how many checks
# the flood got through. Usage: bench-signin.py BUILD TOP
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

build, top = sys.argv[1], sys.argv[2]
os.environ["BUENDNIS_SERVER"] = f"{build}/src/server/buendnis-server"
sys.path.insert(0, os.path.join(top, "tests"))
spec = importlib.util.spec_from_file_location("test_signin", os.path.join(top, "tests", "test-signin.py"))
signin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(signin)

PASSWORD = "geheim-12345"
ROUNDS = 20


def sign_ins(server, source):
    times = []
    for _ in range(ROUNDS):
        started = time.monotonic()
        status = signin.login(server.port, "erik", PASSWORD, source)[0]
        times.append((time.monotonic() - started) * 1000)
        if status != 200:
            print(f"  a sign-in was answered {status}")
        time.sleep(0.2)
    return times


def show(label, times, server, source):
    ahead = [entry.get("checks_ahead") for entry in server.log() if entry["remote"] == source]
    times = sorted(times)
    print(f"{label}: median {statistics.median(times):.0f} ms, p90 {times[int(len(times) * 0.9) - 1]:.0f} ms, "
          f"worst {times[-1]:.0f} ms; checks ahead at most {max(a for a in ahead if a is not None)}")


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    subprocess.run([signin.SERVER, "init", "--data", data], check=True, capture_output=True)
    subprocess.run([signin.SERVER, "add-user", "--data", data, "--org", "lk-celle", "--role", "partner", "erik"],
                   check=True, capture_output=True)
    subprocess.run([signin.SERVER, "set-password", "--data", data, "erik"], input=PASSWORD + "\n", text=True,
                   check=True, capture_output=True)
    server = signin.Server(data)
    try:
        show("idle server", sign_ins(server, "127.0.0.2"), server, "127.0.0.2")
        stop = threading.Event()
        flood = signin.login_flood(server.port, [f"127.0.1.{i}" for i in range(1, 51)], stop, target="erik")
        time.sleep(5)
        show("during the flood", sign_ins(server, "127.0.0.3"), server, "127.0.0.3")
        stop.set()
        flood.join()
        print(f"flood answers: {dict(flood.statuses)}")
    finally:
        server.stop()
