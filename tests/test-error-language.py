#!/usr/bin/python3
# A refusal of the server reaches the user in the user's language: the service answers with a
# stable `error` code and its untranslated message, whatever the administrator's language; the
# client looks the message up in its own catalogue, falls back to what the code means (with the
# server's words as the detail), and never shows a bare HTTP status. TAP output.
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, add_users, request  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
LOCALEDIR = os.environ["BUENDNIS_LOCALEDIR"]
PASSWORD = "geheim-12345"


def in_language(language):
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8", BUENDNIS_LOCALEDIR=LOCALEDIR)
    env.pop("LANG", None)
    return env


def login(work, url, language, password="falsch-falsch"):
    profile = tempfile.mkdtemp(dir=work)
    return subprocess.run([CLI, "--profile", profile, "login", url, "--user", "anna", "--token-file",
                           os.path.join(profile, "token")], input=password + "\n", capture_output=True,
                          text=True, timeout=60, env=in_language(language))


class Answers(http.server.BaseHTTPRequestHandler):
    """Stands in for what is not our server: a proxy's error page, or a newer server's message."""
    answer = (502, "text/html", b"<html><body>Bad Gateway</body></html>")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, kind, body = Answers.answer
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(work, "data")
    add_users(SERVER, data, {"anna": ("lk-celle", "carrier"), "clara": ("ihk-lw", "coordination")}, PASSWORD)
    # The administrator reads German; the API must not.
    process = subprocess.Popen([SERVER, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, text=True, env=in_language("de"))
    port = int(process.stdout.readline().split()[-1])
    url = f"http://127.0.0.1:{port}"
    try:
        status, answer = request(port, "POST", "/api/v1/login", {"user": "anna", "password": "nein"})
        check("the API answers with its code and the untranslated message under a German locale",
              status == 401 and answer.get("error") == "unauthorized"
              and answer.get("message") == "Wrong user name or password")

        german = login(work, url, "de")
        check("a wrong password is told in German, without the HTTP status",
              german.returncode != 0 and "Falscher Benutzername oder falsches Passwort" in german.stderr
              and "401" not in german.stderr and "Wrong" not in german.stderr)
        english = login(work, url, "en")
        check("and in English, without the HTTP status",
              english.returncode != 0 and "Wrong user name or password" in english.stderr
              and "401" not in english.stderr)
        check("the right password still signs in", login(work, url, "de", PASSWORD).returncode == 0)

        _, answer = request(port, "POST", "/api/v1/login", {"user": "clara", "password": PASSWORD})
        status, answer = request(port, "POST", f"/api/v1/dossiers/{uuid.uuid4()}/steps/record-consultation",
                                 {"date": "2026-12-01", "who": 5}, answer["token"])
        check("a message with a value in it comes with its msgid and the value",
              status == 400 and answer.get("message") == "“who” must be a string"
              and answer.get("msgid") == "“%s” must be a string" and answer.get("args") == ["who"])
    finally:
        process.terminate()
        process.wait()

    stand_in = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    other = f"http://127.0.0.1:{stand_in.server_address[1]}"

    proxy = login(work, other, "de")
    check("a proxy's error page is told as the server not answering, with its status",
          proxy.returncode != 0 and "HTTP-Status 502" in proxy.stderr and "<html>" not in proxy.stderr)

    Answers.answer = (422, "application/json",
                      json.dumps({"error": "invalid", "message": "a reason this version does not know"}).encode())
    unknown = login(work, other, "de")
    check("a message the catalogue does not know: the code's meaning in German, the words as detail",
          unknown.returncode != 0 and "Der Server hat den Inhalt nicht angenommen" in unknown.stderr
          and "(a reason this version does not know)" in unknown.stderr)
    unknown = login(work, other, "en")
    check("in English the server's words alone",
          unknown.returncode != 0 and "a reason this version does not know" in unknown.stderr
          and "did not accept the content" not in unknown.stderr)

    # A message with values: the client puts them into its own translation of the msgid
    pages = {"error": "invalid", "message": "The sketch has 5 pages; at most 3 are allowed",
             "msgid": "The sketch has %s pages; at most %s are allowed", "args": ["5", "3"]}
    Answers.answer = (422, "application/json", json.dumps(pages).encode())
    german = login(work, other, "de")
    check("a message with values is said in German, with the values in it",
          german.returncode != 0 and "Die Projektskizze hat 5 Seiten; höchstens 3 sind erlaubt" in german.stderr
          and "pages" not in german.stderr)
    english = login(work, other, "en")
    check("… and in English as the server said it",
          english.returncode != 0 and "The sketch has 5 pages; at most 3 are allowed" in english.stderr)
    # A value that is one of our messages is translated too (the first thing a sketch misses)
    Answers.answer = (422, "application/json", json.dumps(
        {"error": "invalid", "message": "The sketch is not complete: The sketch needs a title.",
         "msgid": "The sketch is not complete: %s", "args": ["The sketch needs a title."]}).encode())
    german = login(work, other, "de")
    check("a value that is a message of ours is said in German as well",
          german.returncode != 0 and "Die Projektskizze ist nicht vollständig" in german.stderr
          and "title" not in german.stderr)
    # What does not fit is not trusted: the code's meaning and the server's words, as before
    for name, broken in [("a msgid asking for a number", dict(pages, msgid="The sketch has %d pages; at most %s are allowed")),
                         ("too few values", dict(pages, args=["5"])),
                         ("a value that is no string", dict(pages, args=["5", {"x": 1}])),
                         ("too many values", dict(pages, args=["5"] * 100)),
                         ("a msgid this version does not know", dict(pages, msgid="%s%s%s%n"))]:
        Answers.answer = (422, "application/json", json.dumps(broken).encode())
        german = login(work, other, "de")
        check(f"{name}: told by the code's meaning with the server's words",
              german.returncode != 0 and german.returncode < 128
              and "Der Server hat den Inhalt nicht angenommen (The sketch has 5 pages" in german.stderr)
    stand_in.shutdown()

report()
