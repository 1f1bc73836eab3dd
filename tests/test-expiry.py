#!/usr/bin/python3
# Expiry on a real buendnis-server: idempotency answers older than 7 days and sign-in failures
# older than a day are removed when the server starts and then on its cleanup timer; newer ones
# stay. The rows are dated back directly in server.db, and BUENDNIS_SERVER_EXPIRE_INTERVAL (for
# tests only) makes the timer run every second. TAP output.
import os
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, add_users, serve  # noqa: E402
import servertest  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"
DAY = 24 * 3600


def date_back(path):
    """Old and new rows of each kind; returns the time they were dated from."""
    now = int(time.time())
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM idempotency")
        for key, age in [("old", 8 * DAY), ("new", 6 * DAY), ("fresh", 60)]:
            db.execute("INSERT INTO idempotency (user, key, status, body, created) VALUES ('anna', ?, 200, '{}', ?)",
                       (key, now - age))
        db.execute("UPDATE users SET failed = 4, locked_until = 0, failed_at = ? WHERE name = 'anna'", (now - 2 * DAY,))
        db.execute("UPDATE users SET failed = 7, locked_until = ?, failed_at = ? WHERE name = 'bert'",
                   (now - 2 * DAY + 300, now - 2 * DAY))
        db.execute("UPDATE users SET failed = 3, locked_until = 0, failed_at = ? WHERE name = 'dora'", (now - 600,))
    return now


def state(path):
    with sqlite3.connect(path) as db:
        keys = sorted(row[0] for row in db.execute("SELECT key FROM idempotency"))
        users = {name: (failed, locked) for name, failed, locked in
                 db.execute("SELECT name, failed, locked_until FROM users")}
    return keys, users


def expired_as_expected(path, label):
    keys, users = state(path)
    check(f"{label}: idempotency answers older than 7 days are gone, newer ones kept", keys == ["fresh", "new"])
    check(f"{label}: sign-in failures older than a day are forgotten",
          users["anna"] == (0, 0) and users["bert"] == (0, 0))
    check(f"{label}: recent sign-in failures are kept", users["dora"][0] == 3)


with tempfile.TemporaryDirectory() as data:
    path = os.path.join(data, "server.db")
    users = {"anna": ("lk-heidekreis", "carrier"), "bert": ("lk-heidekreis", "carrier"),
             "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)

    date_back(path)
    server, port = serve(SERVER, data)
    try:
        status, _ = servertest.request(port, "GET", "/healthz")
        check("the server answers", status == 200)
        expired_as_expected(path, "at start")
    finally:
        server.terminate()
        server.wait(timeout=10)

    os.environ["BUENDNIS_SERVER_EXPIRE_INTERVAL"] = "1"
    server, port = serve(SERVER, data)
    try:
        date_back(path)
        time.sleep(2.5)
        expired_as_expected(path, "on the timer")
    finally:
        server.terminate()
        server.wait(timeout=10)

servertest.report()
