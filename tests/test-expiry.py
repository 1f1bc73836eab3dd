#!/usr/bin/python3
# Expiry on a real buendnis-server: idempotency answers older than 7 days, expired tokens and the
# sign-in throttle's rows whose time is over are removed when the server starts and then on its
# cleanup timer; newer ones stay. The rows are dated back directly in server.db, and BUENDNIS_SERVER_EXPIRE_INTERVAL (for
# tests only) makes the timer run every second. TAP output.
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import Database, check, add_users, serve  # noqa: E402
import servertest  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
PASSWORD = "geheim-12345"
DAY = 24 * 3600


def date_back(path):
    """Old and new rows of each kind; returns the time they were dated from."""
    now = int(time.time())
    with Database(path) as db:
        db.execute("DELETE FROM idempotency")
        for key, age in [("old", 8 * DAY), ("new", 6 * DAY), ("fresh", 60)]:
            db.execute("INSERT INTO idempotency (user, key, status, body, created) VALUES ('anna', ?, 200, '{}', ?)",
                       (key, now - age))
        db.execute("DELETE FROM tokens")
        for token, expires in [("expired", now - DAY), ("just-expired", now - 1), ("valid", now + DAY)]:
            db.execute("INSERT INTO tokens (hash, user, expires) VALUES (?, 'anna', ?)", (token, expires))
        db.execute("DELETE FROM login_throttle")
        for key, expires in [("over", now - 600), ("running", now + 600)]:
            db.execute("INSERT INTO login_throttle (key, failures, window_start, last_failed, blocked_until, expires) "
                       "VALUES (?, 3, ?, ?, 0, ?)", (key, now - 900, now - 900, expires))
        db.execute("DELETE FROM login_known")
        for key, expires in [("gone", now - 1), ("kept", now + DAY)]:
            db.execute("INSERT INTO login_known (key, expires) VALUES (?, ?)", (key, expires))
    db.close()
    return now


def state(path):
    db = Database(path)
    found = {table: sorted(row[0] for row in db.execute(f"SELECT {column} FROM {table}"))
             for table, column in [("idempotency", "key"), ("tokens", "hash"), ("login_throttle", "key"),
                                   ("login_known", "key")]}
    db.close()
    return found


def expired_as_expected(path, label):
    found = state(path)
    check(f"{label}: idempotency answers older than 7 days are gone, newer ones kept",
          found["idempotency"] == ["fresh", "new"])
    check(f"{label}: expired tokens are deleted, valid ones kept", found["tokens"] == ["valid"])
    check(f"{label}: the throttle's rows whose time is over are deleted, running ones kept",
          found["login_throttle"] == ["running"])
    check(f"{label}: addresses an account signed in from are forgotten after their time",
          found["login_known"] == ["kept"])


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
