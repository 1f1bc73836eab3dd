#!/usr/bin/python3
# Uploaded PDFs are checked out of the server's process, by buendnis-pdf-check under its own
# limits and a seccomp filter, while the server goes on serving. On a real buendnis-server on
# loopback with pdf-check-timeout = 2 and pdf-check-memory = 64, and with PDFs made here:
#
# - the helper on its own: a sound PDF is "ok", a password-protected one "encrypted", and under
#   --check-sandbox the open() it tries after its filter kills it with SIGSYS;
# - a PDF with a long chain of /Prev cross-reference sections (valid, but minutes of parsing for
#   poppler) is refused with 422 "pdf-check-failed" when its time is up; while it is checked the
#   helper runs as a child of the server with "Seccomp: 2", its limits and no descriptor of the
#   server's, and /healthz and /api/v1/me are answered before the upload is;
# - a PDF whose trailer holds an array of six million numbers needs more memory than 64 MiB: the
#   helper dies of it, the upload is refused with "pdf-check-failed", the server lives on;
# - twelve slow uploads at once (with a timeout of a minute): never more than two helpers run,
#   and what does not fit into the queue is refused with 503 "busy" and a Retry-After while the
#   first two are still being checked; the helpers end with the server;
# - sound PDFs are still accepted, and nothing refused was stored.
# TAP output.
import hashlib
import http.client
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, request, is_error, report, submit_sketch, add_users, serve, sign_in  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
HELPER = os.environ["BUENDNIS_PDF_CHECK"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
TIMEOUT_S = 2
MEMORY_MIB = 64
FLOOD_TIMEOUT_S = 60


# --- PDFs -------------------------------------------------------------------------------------

def build(objects, trailer=b""):
    """A PDF of @objects (numbered from 1, the first the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


PAGE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]


def one_page():
    return build(PAGE)


def prev_chain(sections):
    """One page, then @sections empty cross-reference sections, each pointing with /Prev to the one
    before: a valid PDF that poppler needs a time growing with the square of @sections for."""
    out = bytearray(one_page())
    prev = int(out.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    for number in range(sections):
        here = len(out)
        root = b"/Size 4/Root 1 0 R" if number == sections - 1 else b""
        out += b"xref\n0 0\ntrailer<<%s/Prev %d>>\n" % (root, prev)
        prev = here
    out += b"startxref\n%d\n%%%%EOF\n" % prev
    return bytes(out)


def big_array(numbers):
    """One page, with an array of @numbers zeros in the trailer: poppler holds each as an object."""
    return build(PAGE, b"/Filler [" + b"0 " * numbers + b"] ")


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted(user_password):
    """One page under the PDF standard security handler, revision 2 (RC4, 40 bits)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    owner = rc4(hashlib.md5((b"owner" + pad)[:32]).digest()[:5], (user_password + pad)[:32])
    permissions = -44
    file_id = b"0123456789abcdef"
    key = hashlib.md5((user_password + pad)[:32] + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = rc4(key, pad)
    hexed = lambda data: b"<" + data.hex().encode() + b">"  # noqa: E731
    return build(PAGE + [b"<< /Filter /Standard /V 1 /R 2 /O %s /U %s /P %d >>" % (hexed(owner), hexed(user), permissions)],
                 b"/Encrypt 4 0 R /ID [%s %s] " % (hexed(file_id), hexed(file_id)))


# --- the helper, run by hand and found under the server ----------------------------------------

def run_helper(pdf, *args):
    run = subprocess.run([HELPER, *args], input=pdf, capture_output=True, timeout=60)
    return run.returncode, run.stdout.decode().strip()


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid):
    """Running, not a zombie that nobody reaped yet (PID 1 of a container may not)."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def proc_fields(pid, name):
    try:
        return dict(line.split(":", 1) for line in open(f"/proc/{pid}/{name}").read().splitlines() if ":" in line)
    except OSError:
        return {}


def limits(pid):
    """/proc/PID/limits as {name: (soft, hard)}."""
    found = {}
    try:
        for line in open(f"/proc/{pid}/limits").read().splitlines()[1:]:
            name, soft, hard = line[:26].strip(), line[26:47].strip(), line[47:68].strip()
            found[name] = (soft, hard)
    except OSError:
        pass
    return found


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.005)
    return None


def stop(server):
    """A server stuck in a parse (as one that checks in its own process is) does not stop on SIGTERM."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def post(port, path, body, token):
    """The status, the Retry-After header and the JSON answer (request() does not give headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", path, body, {"Authorization": f"Bearer {token}", "Content-Type": "application/pdf"})
        response = connection.getresponse()
        raw = response.read()
        return response.status, response.getheader("Retry-After"), json.loads(raw) if raw else None
    except OSError as error:
        return None, None, str(error)
    finally:
        connection.close()


# --- the helper on its own --------------------------------------------------------------------

status, said = run_helper(one_page())
check("the helper finds a sound PDF ok with its page", status == 0 and said == "ok 1")
status, said = run_helper(encrypted(b"secret"))
check("the helper refuses a PDF with a user password as encrypted", status == 1 and said == "encrypted")
status, said = run_helper(encrypted(b""))
check("a PDF with an owner password only opens", status == 0 and said == "ok 1")
status, said = run_helper(b"Hallo, ich bin ein Word-Dokument")
check("the helper refuses what is not a PDF", status == 1 and said == "not-pdf")
status, said = run_helper(b"", "--check-sandbox")
check(f"an open() under the helper's seccomp filter kills it with SIGSYS ({status}, {said!r})",
      status == -signal.SIGSYS and said == "")

# --- through the server -----------------------------------------------------------------------

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)
    config = os.path.join(data, "server.conf")
    with open(config, "w") as f:
        f.write(f"[server]\npdf-check-timeout = {TIMEOUT_S}\npdf-check-memory = {MEMORY_MIB}\n")

    server, port = serve(SERVER, data, args=("--config", config))
    try:
        tokens = sign_in(port, users, PASSWORD)
        anna = tokens["anna"]
        status, sketch_pdf = submit_sketch(port, anna, UUID, CLI, REFERENCE)
        check("the carrier submits the sketch", status == 200)
        base = f"/api/v1/dossiers/{UUID}/attachments"

        def stored():
            return len(request(port, "GET", base, token=anna)[1]["attachments"])

        status, payload = request(port, "POST", f"{base}?kind=long-form&name=Langfassung.pdf", sketch_pdf, anna)
        check("a sound PDF is attached under the limits", status == 200 and payload["id"] > 0)
        status, payload = request(port, "POST", f"{base}?kind=other&name=Seite.pdf", one_page(), anna)
        check("a one-page PDF made by hand too", status == 200 and payload["id"] > 0)
        status, payload = request(port, "POST", f"{base}?kind=other&name=geheim.pdf", encrypted(b"secret"), anna)
        check("a PDF with a password is 422 and says so",
              status == 422 and is_error(payload, "invalid") and "password" in payload["message"])

        # The long /Prev chain: refused when its time is up, the server answering meanwhile.
        slow = prev_chain(240000)
        events = []
        answer = {}

        def upload_slow():
            answer["slow"] = request(port, "POST", f"{base}?kind=other&name=langsam.pdf", slow, anna)
            events.append("upload")

        uploader = threading.Thread(target=upload_slow)
        uploader.start()
        # Under its own filter: one filter more than the server has (which may run under one of
        # systemd or a container already); kernels before 5.9 do not count them, only say "2".
        own = int(proc_fields(server.pid, "status").get("Seccomp_filters", "0"))

        def filtered(pid):
            fields = proc_fields(pid, "status")
            if "Seccomp_filters" in fields:
                return int(fields["Seccomp_filters"]) > own
            return fields.get("Seccomp", "").strip() == "2"

        helper = wait_for(lambda: [pid for pid in children(server.pid) if filtered(pid)], 60)
        check("the file is checked in a child process of the server under a seccomp filter", helper)
        if helper:
            pid = helper[0]
            fields = proc_fields(pid, "status")
            check("the helper has no_new_privs", fields.get("NoNewPrivs", "").strip() == "1")
            found = limits(pid)
            print(f"# helper limits: {found}")
            check("its CPU time is limited to the timeout and a second",
                  found.get("Max cpu time") == (str(TIMEOUT_S + 1), str(TIMEOUT_S + 2)))
            check("its address space to pdf-check-memory and the file",
                  found.get("Max address space") == (str(MEMORY_MIB * 1024 * 1024 + len(slow)),) * 2)
            check("it may write no file, start no process and open few",
                  found.get("Max file size") == ("0", "0") and found.get("Max processes") == ("0", "0") and
                  int(found.get("Max open files", ("99",))[0]) <= 16)
            try:
                descriptors = sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd"))
                check(f"it holds none of the server's descriptors ({descriptors})", descriptors == [0, 1, 2])
            except OSError:
                print("# /proc/PID/fd of the (non-dumpable) helper is not readable here: descriptors not checked")
        status, payload = request(port, "GET", "/healthz")
        events.append("healthz" if status == 200 else "healthz failed")
        status, payload = request(port, "GET", "/api/v1/me", token=tokens["dora"])
        events.append("me" if status == 200 and payload.get("user") == "dora" else "me failed")
        uploader.join(120)
        print(f"# order of the answers: {events}")
        check("/healthz and /api/v1/me are answered while the upload is still being checked",
              events[:3] == ["healthz", "me", "upload"])
        status, payload = answer.get("slow", (None, None))
        check(f"the PDF whose check ran out of time is 422 pdf-check-failed ({status})",
              status == 422 and is_error(payload, "pdf-check-failed") and f"{TIMEOUT_S} seconds" in payload["message"])
        check("no helper is left behind", wait_for(lambda: children(server.pid) == [] or None, 10))

        # More memory than the helper may have
        status, payload = request(port, "POST", f"{base}?kind=other&name=gross.pdf", big_array(6000000), anna)
        check(f"a PDF that needs more than pdf-check-memory is 422 pdf-check-failed ({status})",
              status == 422 and is_error(payload, "pdf-check-failed"))
        check("the server answers on", request(port, "GET", "/healthz")[0] == 200)

        check("nothing refused was stored", stored() == 2)
        status, payload = request(port, "POST", f"{base}?kind=other&name=danach.pdf", sketch_pdf, anna)
        check("a sound PDF is accepted after all that", status == 200 and stored() == 3)
    finally:
        stop(server)

    # A flood of slow uploads, with a timeout long enough for all of them to arrive while the first
    # two are still being checked: two run, eight wait, the last two are refused at once.
    with open(config, "w") as f:
        f.write(f"[server]\npdf-check-timeout = {FLOOD_TIMEOUT_S}\n")
    server, port = serve(SERVER, data, args=("--config", config))
    seen = set()
    try:
        answers = []
        most = 0
        flood = [threading.Thread(target=lambda: answers.append(post(port, f"{base}?kind=other&name=flut.pdf", slow, anna)),
                                  daemon=True)
                 for _ in range(12)]
        for thread in flood:
            thread.start()
        deadline = time.monotonic() + FLOOD_TIMEOUT_S
        while len(answers) < 2 and time.monotonic() < deadline:
            running = children(server.pid)
            seen.update(running)
            most = max(most, len(running))
            time.sleep(0.005)
        running = children(server.pid)
        print(f"# flood: at most {most} helpers at once, {len(running)} now; first answers {[a[0] for a in answers]}")
        check("never more than two helpers run at once", 1 <= most <= 2)
        check("the two uploads beyond the queue are answered 503 busy with a Retry-After, while two checks run",
              len(answers) == 2 and all(a[0] == 503 and is_error(a[2], "busy") and a[1] and a[1].isdigit()
                                        for a in answers) and len(running) == 2)
    finally:
        stop(server)
    check("the helpers end with the server",
          wait_for(lambda: not any(alive(pid) for pid in seen) or None, 10))
    for thread in flood:
        thread.join(10)

report()
