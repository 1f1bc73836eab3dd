#!/usr/bin/python3
# E-mail against a real SMTP server on loopback (aiosmtpd, STARTTLS required, a certificate made
# here with openssl): every notification of the procedure reaches exactly the users concerned, in
# their language; reminders 3 days and 1 day before a deadline by the server's clock (the rating
# round's, the vote's, and the statement's two weeks after the long form, with one notice once it
# is overdue); a second server process on the same database never sends a message the first has
# in flight, and with two processes every message and reminder still arrives once; a server
# killed while the mail server holds a message repeats at most that message, with its Message-ID,
# once its claim has run out; and messages wait with backoff while the mail server is down.
import asyncio
import datetime
import email
import math
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import zoneinfo
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aiosmtpd.controller import Controller  # noqa: E402
import ssl  # noqa: E402

from proceduretest import ORGS, PARTNERS, PASSWORD, CARRIER_ORG, SCORES, Procedure, users  # noqa: E402
from servertest import add_users, check, report, request, sign_in, start  # noqa: E402

SOURCE = sys.argv[1]
SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
REFERENCE = os.path.join(SOURCE, "tests", "data", "reference-sketch.bndsketch")


class Sink:
    """The mail server: keeps every message it took; can hold a message after taking its data
    (before it answers), or refuse every message."""

    def __init__(self):
        self.messages = []
        self.hold = threading.Event()
        self.held = threading.Event()
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "from": envelope.mail_from, "tls": session.ssl is not None,
                              "id": message["Message-ID"], "kind": message["X-Buendnis-Notification"],
                              "dossier": message["X-Buendnis-Dossier"], "subject": str(message["Subject"]),
                              "date": message["Date"], "body": message.get_content()})
        if self.hold.is_set():
            self.held.set()
            while self.hold.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(work):
    cert, key = os.path.join(work, "smtp.pem"), os.path.join(work, "smtp.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def start_sink(sink, port, cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    return controller


def wait_for(condition, timeout=120):
    """Polls @condition; the long default is for the sanitizer build on a busy machine: it returns
    as soon as @condition holds."""
    end = time.time() + timeout
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def outbox_empty(admin):
    """Whether no message waits or is in flight (not "10 messages listed", which also holds the
    words "0 messages listed")."""
    return re.match(r"0 messages listed", admin("outbox").stdout) is not None


def settled(admin):
    """Waits until no message is waiting or in flight. The server's clock stands for time passing:
    moved on while a message is in flight, it ends that message's claim (a lease of the SMTP
    timeout and a minute), and another process would rightly send it again."""
    return wait_for(lambda: outbox_empty(admin))


# The accounts: the procedure's, with addresses. In the carrier's organisation anna reads German,
# anke English, otto switched e-mail off; bert (another carrier) has only a draft; root is the
# administrator; every partner seat has an address, some in English.
ENGLISH = {"anke", "seat-leuphana", "seat-lk-celle"}


def server_env():
    """The environment of the server. In the sanitizer build ASAN_OPTIONS asks for slow unwinding
    on every malloc (fast_unwind_on_malloc=0, for precise leak stacks); GnuTLS allocates thousands
    of times in each STARTTLS handshake, which makes every message take seconds there. The server
    keeps every check, with the faster unwinding of its allocation stacks."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace("fast_unwind_on_malloc=0", "fast_unwind_on_malloc=1")
    return env


def address(name):
    return f"{name}@example.org"


def main():
    work = tempfile.mkdtemp(prefix="bnd-mail-")
    data = os.path.join(work, "data")
    accounts = users()
    accounts.update({"anke": (CARRIER_ORG, "carrier"), "otto": (CARRIER_ORG, "carrier")})
    admin = add_users(SERVER, data, {k: v for k, v in accounts.items() if k != "anke"}, PASSWORD, ORGS)

    # add-user takes the address and the language; set-mail changes them later.
    run = admin("add-user", "--org", CARRIER_ORG, "--role", "carrier", "--email", "anke@example.org",
                "--language", "en", "anke")
    admin("set-password", "anke", stdin=PASSWORD + "\n")
    check("add-user takes --email and --language", run.returncode == 0)
    run = admin("add-user", "--org", CARRIER_ORG, "--role", "carrier", "--email", "not an address", "nobody")
    check("add-user refuses an address that is none, and adds no user", run.returncode == 2 and
          admin("set-mail", "nobody").returncode == 1)
    for name in accounts:
        if name in ("anke", "anna"):
            continue
        args = ["--email", address(name)] + (["--language", "en"] if name in ENGLISH else [])
        run = admin("set-mail", *args, name)
        assert run.returncode == 0, run.stderr
    run = admin("set-mail", "--notifications", "off", "otto")
    check("set-mail switches a user's e-mail off", run.returncode == 0 and "off" in run.stdout)
    check("set-mail refuses a language but de and en", admin("set-mail", "--language", "fr", "otto").returncode == 1)

    cert, key = make_certificate(work)
    smtp_port = free_port()
    sink = Sink()
    controller = start_sink(sink, smtp_port, cert, key)
    config = os.path.join(work, "server.conf")
    with open(config, "w") as f:
        f.write(f"[server]\ndata = {data}\n\n[mail]\nenabled = true\nsmtp-url = smtp://127.0.0.1:{smtp_port}\n"
                f"smtp-from = Bündnis Netzwerkkoordination <buendnis@example.org>\nsmtp-ca-file = {cert}\n"
                f"retry-seconds = 1\ninterval = 1\nsmtp-timeout = 60\n")
    check("check-config takes the [mail] settings",
          subprocess.run([SERVER, "check-config", "--config", config], capture_output=True).returncode == 0)
    server, port = start(SERVER, ["--config", config, "--listen", "127.0.0.1:0"], env=server_env())
    tokens = sign_in(port, accounts, PASSWORD)
    p = Procedure(port, tokens, CLI, REFERENCE, work)

    # GET and PATCH /me: each user's own settings, checked.
    status, me = request(port, "GET", "/api/v1/me", token=tokens["anke"])
    check("GET /me shows the address, the language and the switch",
          status == 200 and me["email"] == "anke@example.org" and me["language"] == "en" and me["notifications"] is True)
    status, answer = request(port, "PATCH", "/api/v1/me", {"email": "anna@@example"}, tokens["anna"])
    check("PATCH /me refuses an address that is none", status == 422 and answer["error"] == "invalid")
    status, answer = request(port, "PATCH", "/api/v1/me", {"language": "fr"}, tokens["anna"])
    check("PATCH /me refuses a language but de and en", status == 422 and answer["error"] == "invalid")
    status, answer = request(port, "PATCH", "/api/v1/me", {"role": "admin"}, tokens["anna"])
    check("PATCH /me changes nothing else of the account", status == 422)
    status, me = request(port, "PATCH", "/api/v1/me", {"email": "anna@example.org", "language": "de",
                                                        "notifications": True}, tokens["anna"])
    check("PATCH /me sets the user's own address", status == 200 and me["email"] == "anna@example.org" and
          me["language"] == "de" and me["role"] == "carrier")

    # buendnis-cli account: the same settings from the command line, refusals in German.
    profile = os.path.join(work, "otto-profile")
    subprocess.run([CLI, "--profile", profile, "login", f"http://127.0.0.1:{port}", "--user", "otto", "--token-file",
                    os.path.join(work, "otto.token")], input=PASSWORD + "\n", capture_output=True, text=True)

    def account(*args, language=None):
        env = dict(os.environ)
        if language:
            env.update(LANGUAGE=language, LC_ALL="C.UTF-8")
        return subprocess.run([CLI, "--profile", profile, "account", *args], capture_output=True, text=True, env=env)

    run = account()
    check("buendnis-cli account shows the address, the language and that e-mail is off",
          run.returncode == 0 and "otto@example.org" in run.stdout and "E-mail notifications: off" in run.stdout)
    run = account("--email", "otto@", language="de")
    check("buendnis-cli account refuses an address that is none, in German",
          run.returncode != 0 and "E-Mail-Adresse ist ungültig" in run.stderr)
    run = account("--language", "en", "--notifications", "off")
    check("buendnis-cli account changes the language", run.returncode == 0 and "E-mail language: en" in run.stdout)

    # Who may ever get mail: users with an address and e-mail on, never the administrator.
    carrier_users = {"anna", "anke", f"seat-{CARRIER_ORG}"}    # otto switched it off

    def partner_users(orgs):
        return {name for name, (org, role) in accounts.items() if org in orgs and role != "admin"}

    def arrived(kind, dossier, expected):
        """Waits for @expected's messages of @kind about @dossier, then a moment for any more."""
        def got():
            return [m for m in sink.messages if m["kind"] == kind and m["dossier"] == dossier]
        wait_for(lambda: {m["to"][0] for m in got()} >= {address(n) for n in expected})
        time.sleep(1.5)
        return got()

    def recipients(messages):
        return sorted(m["to"][0] for m in messages)

    def addresses(names):
        return sorted(address(n) for n in names)

    # A needs-changes assessment: to the carrier's organisation, with the reason, in each language.
    changes = p.to_stage("changes-requested")
    got = arrived("assessment", changes, carrier_users)
    check("a request for changes goes to the carrier's organisation, and nobody else",
          recipients(got) == addresses(carrier_users))
    anna = next(m for m in got if m["to"] == ["anna@example.org"])
    anke = next(m for m in got if m["to"] == ["anke@example.org"])
    check("anna reads it in German, with the reason", anna["subject"].startswith("Änderungen erbeten") and
          "Hallo anna," in anna["body"] and "Bitte den Finanzplan erläutern." in anna["body"])
    check("anke reads it in English, with the reason", anke["subject"].startswith("Changes requested: ") and
          "Hello anke," in anke["body"] and "Bitte den Finanzplan erläutern." in anke["body"])
    check("each message went through STARTTLS, from the configured sender, with a Message-ID and a Date",
          all(m["tls"] and m["from"] == "buendnis@example.org" and re.fullmatch(r"<[0-9a-f-]{36}@example\.org>", m["id"])
              and m["date"] for m in got))

    negative = p.to_stage("not-recommended")
    got = arrived("assessment", negative, carrier_users)
    check("a negative assessment tells the carrier's organisation why",
          recipients(got) == addresses(carrier_users) and
          all("Nicht förderfähig nach der Richtlinie." in m["body"] for m in got))

    # The positive way, to the decision.
    dossier = p.to_stage("long-form-received")
    got = arrived("assessment", dossier, carrier_users)
    check("a positive assessment asks the carrier for the long form",
          recipients(got) == addresses(carrier_users) and
          any(m["subject"].startswith("Langfassung angefordert") for m in got))
    entitled = [org for org in PARTNERS if org != CARRIER_ORG]
    raters = partner_users(entitled) - {"clara"}     # clara opened it
    status, _ = p.take(dossier, "open-rating")
    assert status == 200
    got = arrived("rating-opened", dossier, raters)
    check("the rating round's opening goes to the entitled partner organisations only",
          recipients(got) == addresses(raters))
    deadline = p.api("GET", f"/dossiers/{dossier}/steps")[1]["rating_round"]["deadline"]
    # The server writes deadlines in the alliance's time zone (bnd-server-mail.c), not the machine's:
    # between 23:00 and 24:00 UTC that is already the next day.
    # Without tzdata the server falls back to UTC, and so does this.
    try:
        zone = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        zone = datetime.timezone.utc
    german_day = datetime.datetime.fromtimestamp(deadline, zone).strftime("%d.%m.%Y")
    check("the German message gives the deadline as TT.MM.JJJJ",
          any(german_day in m["body"] for m in got if m["to"] == ["seat-ihk-lw@example.org"]))

    # ihk-lw rates; the reminders go to the others only, 3 days and 1 day before the deadline.
    p.api("PUT", f"/dossiers/{dossier}/rating", {"scores": SCORES, "comment": "gut"}, "seat-ihk-lw")
    not_rated = raters - partner_users(["ihk-lw"])
    settled(admin)
    admin("clock", "--offset", str(int(deadline - 2.5 * 86400 - time.time())))
    got = arrived("rating-reminder", dossier, not_rated)
    check("3 days before the deadline the organisations that have not rated are reminded",
          recipients(got) == addresses(not_rated) and all("3" in m["subject"] for m in got))
    settled(admin)
    admin("clock", "--offset", str(int(deadline - 0.5 * 86400 - time.time())))
    wait_for(lambda: len([m for m in sink.messages if m["kind"] == "rating-reminder"]) >= 2 * len(not_rated))
    got = arrived("rating-reminder", dossier, not_rated)
    check("1 day before, once more, and each reminder once",
          len(got) == 2 * len(not_rated) and sum("1" in m["subject"] and "3" not in m["subject"] for m in got)
          == len(not_rated))
    admin("clock", "--reset")

    status, _ = p.take(dossier, "open-vote", {"reason": "Die Sitzung entscheidet."})
    assert status == 200
    voters = partner_users(entitled) - {"clara"}
    got = arrived("vote-opened", dossier, voters)
    check("the vote's opening goes to the organisations entitled to vote",
          recipients(got) == addresses(voters))
    vote_deadline = p.api("GET", f"/dossiers/{dossier}/vote")[1]["deadline"]
    for org in entitled[:3]:
        p.api("PUT", f"/dossiers/{dossier}/vote", {"choice": "yes"}, f"seat-{org}")
    not_voted = voters - partner_users(entitled[:3])
    settled(admin)
    admin("clock", "--offset", str(int(vote_deadline - 2.5 * 86400 - time.time())))
    got = arrived("vote-reminder", dossier, not_voted)
    check("3 days before the vote's deadline those who have not voted are reminded",
          recipients(got) == addresses(not_voted))
    settled(admin)
    admin("clock", "--offset", str(int(vote_deadline - 0.5 * 86400 - time.time())))
    wait_for(lambda: len([m for m in sink.messages if m["kind"] == "vote-reminder"]) >= 2 * len(not_voted))
    got = arrived("vote-reminder", dossier, not_voted)
    check("and 1 day before", len(got) == 2 * len(not_voted))
    admin("clock", "--reset")
    for org in entitled[3:]:
        p.api("PUT", f"/dossiers/{dossier}/vote", {"choice": "yes"}, f"seat-{org}")
    for step, body, kind in (("issue-statement", {}, "statement"), ("file-application", {}, None),
                             ("approve", {"amount": 120000.5, "date": "2026-03-01"}, "approved")):
        status, answer = p.take(dossier, step, body)
        assert status == 200, answer
        if kind:
            got = arrived(kind, dossier, carrier_users)
            check(f"{kind}: to the carrier's organisation", recipients(got) == addresses(carrier_users))

    # Withdrawal by the carrier and reopening by the coordination, each with its reason.
    withdrawn = p.to_stage("withdrawn")
    got = arrived("withdrawn", withdrawn, carrier_users - {"anna"})
    check("a withdrawal tells the carrier's organisation (but not who withdrew)",
          recipients(got) == addresses(carrier_users - {"anna"}) and
          all("Der Träger zieht zurück." in m["body"] for m in got))
    status, _ = p.take(withdrawn, "reopen", {"reason": "Versehentlich zurückgezogen."})
    got = arrived("reopened", withdrawn, carrier_users)
    check("a reopening tells the carrier's organisation why",
          status == 200 and recipients(got) == addresses(carrier_users) and
          all("Versehentlich zurückgezogen." in m["body"] for m in got))

    # A Lenkungskreis session's agenda: sent by the coordination before the session, to the
    # Lenkungskreis's accounts only (a carrier's account hears of its own dossiers, not of the agenda).
    status, session = p.api("POST", "/sessions", {"title": "2. Lenkungskreissitzung", "date": "2026-03-12",
                                                  "place": "IHK Lüneburg"})
    session = session["uuid"]
    status, answer = p.api("POST", f"/sessions/{session}/send-agenda")
    check("an empty agenda is not sent", status == 409 and answer["error"] == "conflict")
    p.api("POST", f"/sessions/{session}/items", {"dossier": changes})
    status, answer = p.api("POST", f"/sessions/{session}/send-agenda", who=f"seat-{PARTNERS[0]}")
    check("a partner may not send the agenda", status == 403 and answer["error"] == "forbidden")
    status, _ = p.api("POST", f"/sessions/{session}/send-agenda")
    lenkungskreis = {name for name, (org, role) in accounts.items()
                     if role in ("partner", "coordination") and org in PARTNERS}
    got = arrived("session-agenda", session, lenkungskreis)
    check("the agenda goes to the Lenkungskreis's accounts, and to nobody else",
          status == 200 and recipients(got) == addresses(lenkungskreis))
    german = next(m for m in got if m["to"] == [address("clara")])
    check("with the date in German and the dossiers on it",
          "12.03.2026" in german["body"] and "IHK Lüneburg" in german["body"])
    p.api("POST", f"/sessions/{session}/held", {"date": "2026-03-12"})
    status, answer = p.api("POST", f"/sessions/{session}/send-agenda")
    check("a held session's agenda is not sent any more", status == 409 and answer["error"] == "conflict")

    # A draft tells nobody anything.
    draft = "a5a5a5a5-0000-4000-8000-000000000001"
    p.write_sketch(draft, lambda s: s.update(title="Geheimer Entwurf Nord"), who="bert")
    time.sleep(2)
    check("nobody is told of a draft", not any("Geheimer Entwurf" in m["body"] + m["subject"] for m in sink.messages))
    check("bert, whose organisation has only a draft, got nothing",
          not any(m["to"] == ["bert@example.org"] for m in sink.messages))
    check("otto, who switched e-mail off, and root, the administrator, got nothing",
          not any(m["to"][0] in ("otto@example.org", "root@example.org") for m in sink.messages))
    check("the other Landkreis never hears of the carrier's assessment or decision",
          not any(m["to"] == ["seat-lk-celle@example.org"] and m["kind"] in ("assessment", "statement", "approved",
                                                                             "withdrawn", "reopened")
                  for m in sink.messages))
    check("every message so far arrived exactly once", len({m["id"] for m in sink.messages}) == len(sink.messages))

    # A second process on the same database, as behind a load balancer, started while the first
    # has a message in flight: it never takes that message over (a claim is a lease), it sends the
    # others, and once the mail server answers every message has arrived exactly once.
    sink.hold.set()
    shared = p.to_stage("long-form-received")
    wait_for(lambda: sink.held.is_set())
    in_flight = sink.messages[-1]["id"]
    second, second_port = start(SERVER, ["--config", config, "--listen", "127.0.0.1:0"], env=server_env())
    wait_for(lambda: len(sink.messages) >= 2)
    time.sleep(3)    # both schedulers run every second
    check("a second process does not send the message the first has in flight",
          [m["id"] for m in sink.messages].count(in_flight) == 1)
    check("but sends the others meanwhile", len(sink.messages) >= 2 and sink.messages[-1]["id"] != in_flight)
    sink.hold.clear()
    sink.held.clear()
    wait_for(lambda: outbox_empty(admin))
    check("once the mail server answers, every message of both processes arrived exactly once",
          outbox_empty(admin) and
          len({m["id"] for m in sink.messages}) == len(sink.messages) and
          any(m["dossier"] == shared for m in sink.messages))

    # The statement's two-week clock (strategy §4.1): from the long form's receipt the
    # Lenkungskreis has two weeks for its statement. The coordination is reminded 3 days and 1 day
    # before, and told once when it is overdue; nobody else is. The dossier above went through the
    # rating round's reminders at the same days, so it had its two reminders then.
    coordination = {name for name, (org, role) in accounts.items() if role == "coordination"}
    clock_kinds = ("statement-reminder", "statement-overdue")

    def clock_messages(uuid):
        return [m for m in sink.messages if m["dossier"] == uuid and m["kind"] in clock_kinds]

    running = p.to_stage("long-form-received")
    issued = p.to_stage("statement")
    received = p.api("GET", f"/dossiers/{running}/steps")[1]["long_form_received"]
    due = received + 14 * 86400
    settled(admin)
    admin("clock", "--offset", str(int(due - 2.5 * 86400 - time.time())))
    got = arrived("statement-reminder", running, coordination)
    check("3 days before the statement is due the coordination is reminded, in its language",
          recipients(got) == addresses(coordination) and
          all(m["subject"].startswith("Erinnerung, noch 3 Tage bis zur Stellungnahme") and "Frist: " in m["body"]
              for m in got))
    settled(admin)
    admin("clock", "--offset", str(int(due - 0.5 * 86400 - time.time())))
    wait_for(lambda: len(clock_messages(running)) >= 2 * len(coordination))
    got = arrived("statement-reminder", running, coordination)
    check("1 day before, once more",
          len(got) == 2 * len(coordination) and
          sum(m["subject"].startswith("Erinnerung, noch 1 Tag bis zur Stellungnahme") for m in got) == len(coordination))
    settled(admin)
    admin("clock", "--offset", str(int(due + 0.5 * 86400 - time.time())))
    got = arrived("statement-overdue", running, coordination)
    check("once the day it was due has passed the coordination is told it is overdue",
          recipients(got) == addresses(coordination) and all(m["subject"].startswith("Stellungnahme überfällig")
                                                             for m in got))
    settled(admin)
    admin("clock", "--offset", str(int(due + 3 * 86400 - time.time())))
    time.sleep(4)    # the scheduler runs every second
    check("each of the three exactly once, however far the clock moves on",
          [m["kind"] for m in clock_messages(running)] ==
          ["statement-reminder"] * len(coordination) * 2 + ["statement-overdue"] * len(coordination))
    check("the carrier and the partners never hear of the statement's clock",
          [m for m in sink.messages if m["kind"] in clock_kinds and m["to"][0] not in addresses(coordination)] == [])
    check("a dossier whose statement was issued gets no reminder and no overdue notice",
          clock_messages(issued) == [])
    check("one whose statement came in time had its two reminders then, and no overdue notice",
          [m["kind"] for m in clock_messages(dossier)] == ["statement-reminder"] * len(coordination) * 2)
    admin("clock", "--reset")
    twice = [(m["kind"], m["to"]) for m in sink.messages if [n["id"] for n in sink.messages].count(m["id"]) > 1]
    check(f"with two processes checking the clocks, each message still arrived once (twice: {twice})", not twice)
    second.terminate()
    second.wait()

    # A crash while the mail server holds a message: only that one comes again, same Message-ID.
    sink.hold.set()
    crash = p.to_stage("long-form-received")
    wait_for(lambda: sink.held.is_set())
    held = sink.messages[-1]["id"]
    server.send_signal(signal.SIGKILL)
    server.wait()
    sink.hold.clear()
    server, port = start(SERVER, ["--config", config, "--listen", "127.0.0.1:0"], env=server_env())
    p.port = port
    tokens.update(sign_in(port, ["clara"], PASSWORD))
    status, _ = p.take(crash, "open-rating")
    got = arrived("rating-opened", crash, raters)
    ids = [m["id"] for m in sink.messages]
    check("after the restart the message in flight waits for its claim to run out (another process "
          "could still be sending it)", ids.count(held) == 1)
    # The claim holds for the SMTP timeout (60 s here) and a minute more.
    admin("clock", "--offset", "125")
    wait_for(lambda: [m["id"] for m in sink.messages].count(held) == 2)
    admin("clock", "--reset")
    ids = [m["id"] for m in sink.messages]
    check("then it is sent again, with its Message-ID", ids.count(held) == 2)
    check("and no other message twice", all(ids.count(i) == 1 for i in ids if i != held))
    check("every message of the event after the restart arrived", recipients(got) == addresses(raters))

    # The mail server down: messages wait and are retried with backoff, then arrive once.
    controller.stop()
    status, _ = p.take(crash, "withdraw", {"reason": "Kein Personal."}, who="anna")
    started = time.time()

    def attempts_now():
        return [int(n) for n in re.findall(r"(\d+) attempts", admin("outbox").stdout)] or [0]

    wait_for(lambda: max(attempts_now()) >= 2)
    time.sleep(max(0.0, 4 - (time.time() - started)))
    listing = admin("outbox").stdout
    attempts = [int(n) for n in re.findall(r"(\d+) attempts", listing)]
    check("while the mail server is down the messages wait in the outbox, with the error",
          status == 200 and "pending" in listing and "last error" in listing and attempts and max(attempts) >= 2)
    # With retry-seconds = 1 and doubling, four seconds allow attempts at 0, 1 and 3 s.
    # With retry-seconds = 1, doubled each time, attempts come at 0, 1, 3, 7, … seconds: after T
    # seconds at most log2(T + 1) + 1 of them; one a second would be T + 1.
    elapsed = time.time() - started
    check("retries back off rather than come every second", max(attempts) <= int(math.log2(elapsed + 1)) + 1)
    controller = start_sink(sink, smtp_port, cert, key)
    got = arrived("withdrawn", crash, carrier_users - {"anna"})
    check("once it is back they arrive, each once", recipients(got) == addresses(carrier_users - {"anna"}))
    wait_for(lambda: outbox_empty(admin))
    check("and the outbox is empty again", outbox_empty(admin))

    # After max-attempts a message is given up: it stays in the outbox as failed, with its error.
    controller.stop()
    server.send_signal(signal.SIGTERM)
    server.wait()
    with open(config, "a") as f:
        f.write("max-attempts = 2\n")
    server, port = start(SERVER, ["--config", config, "--listen", "127.0.0.1:0"], env=server_env())
    p.port = port
    tokens.update(sign_in(port, ["clara"], PASSWORD))
    status, _ = p.take(crash, "reopen", {"reason": "Doch Personal gefunden."})
    given_up = f"{len(carrier_users)} failed for good"
    wait_for(lambda: given_up in admin("outbox").stdout)
    listing = admin("outbox").stdout
    check("after max-attempts the messages are given up, kept as failed with their error",
          status == 200 and given_up in listing and
          listing.count("\tfailed\treopened\t") == len(carrier_users) and
          listing.count("2 attempts") == len(carrier_users) and "last error" in listing)

    server.send_signal(signal.SIGTERM)
    server.wait()
    report()


main()
