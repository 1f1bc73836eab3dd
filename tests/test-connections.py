#!/usr/bin/python3
# Hostile connection patterns against a real buendnis-server on loopback: more idle connections
# than it has descriptors, descriptors running out under it (EMFILE), idle and half-sent requests,
# a trickled body, more connections than its cap, unauthenticated megabyte bodies, and byte
# ranges of a download; after each, new clients are served. TAP output.
import http.client
import json
import os
import resource
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report, submit_sketch, add_users, sign_in  # noqa: E402
from servertest import start, vm_rss, raise_open_files  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
CLI = os.environ["BUENDNIS_CLI"]
TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
PASSWORD = "geheim-12345"
UUID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
MB = 1024 * 1024


def open_many(port, count, wait=5):
    """Opens @count connections at once without sending anything; returns those the kernel
    completed within @wait seconds (whether or not the server has accepted them yet) and closes
    the rest."""
    pending = []
    for _ in range(count):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setblocking(False)
        raw.connect_ex(("127.0.0.1", port))
        pending.append(raw)
    done, deadline = [], time.monotonic() + wait
    while pending and time.monotonic() < deadline:
        _, writable, _ = select.select([], pending, [], 0.2)
        for raw in writable:
            pending.remove(raw)
            if raw.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                raw.setblocking(True)
                done.append(raw)
            else:
                raw.close()
    for raw in pending:
        raw.close()
    return done


def open_one_by_one(port, count, timeout=0.5):
    """Opens up to @count connections, each once the one before is through, as a client does that
    waits for the server; gives up after 15 that the server does not take within @timeout s (a
    full backlog drops a connection now and then)."""
    opened, misses = [], 0
    while len(opened) < count and misses < 15:
        try:
            opened.append(socket.create_connection(("127.0.0.1", port), timeout=timeout))
        except OSError:
            misses += 1
    return opened


def close_all(connections):
    for raw in connections:
        raw.close()


unread = {}   # socket → what one recv() brought beyond the answer it read: the next answer's start


def answer(raw, timeout=10):
    """Reads one answer from @raw: (status, headers with lower-case names, body), or None when
    the connection ends or nothing comes within @timeout seconds. Bytes of a pipelined next
    answer that came with this one are kept for the next call."""
    raw.settimeout(timeout)
    data = unread.pop(raw, b"")
    try:
        while b"\r\n\r\n" not in data:
            piece = raw.recv(65536)
            if not piece:
                return None
            data += piece
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        while len(body) < int(headers.get("content-length", 0)):
            piece = raw.recv(65536)
            if not piece:
                return None
            body += piece
        if "content-length" in headers:
            body, unread[raw] = body[:int(headers["content-length"])], body[int(headers["content-length"]):]
        return int(lines[0].split()[1]), headers, body
    except (socket.timeout, ConnectionError):
        return None


def served(port, timeout=10):
    """Whether a new client gets GET /healthz answered within @timeout seconds."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            result = answer(raw, timeout)
            return result is not None and result[0] == 200
    except OSError:
        return False


def ends_within(raw, seconds, trickle=None):
    """Whether the server ends @raw within @seconds; with @trickle, one byte of it is sent every
    0.25 s meanwhile, as a slow client would."""
    deadline = time.monotonic() + seconds
    raw.settimeout(0.25)
    sent = 0
    while time.monotonic() < deadline:
        try:
            if not raw.recv(65536):
                return True
        except socket.timeout:
            pass
        except ConnectionError:
            return True
        if trickle is not None:
            try:
                raw.send(trickle[sent % len(trickle):sent % len(trickle) + 1])
                sent += 1
            except OSError:
                return True
    return False


def server_sockets(pid):
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return count


def settled_sockets(pid, port):
    """The sockets of the server @pid once it has served a request: on PostgreSQL, the first
    request's database work opens the connection of a worker thread, which stays open."""
    served(port)
    count, deadline = server_sockets(pid), time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.1)
        count, last = server_sockets(pid), count
        if count == last:
            break
    return count


def released(pid, base, seconds=5):
    """Whether the server @pid is back to @base sockets within @seconds."""
    deadline = time.monotonic() + seconds
    while server_sockets(pid) > base:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop(server):
    server.terminate()
    server.wait(timeout=10)


def limit_files(soft_hard):
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, soft_hard)


raise_open_files()

with tempfile.TemporaryDirectory() as data:
    users = {"anna": ("lk-heidekreis", "carrier"), "dora": ("lk-celle", "partner")}
    add_users(SERVER, data, users, PASSWORD)

    def config(name, text):
        path = os.path.join(data, name)
        with open(path, "w") as f:
            f.write(f"[server]\ndata = {data}\nlisten = 127.0.0.1:0\n{text}\n")
        return path

    # (a) 128 descriptors, which the server cannot raise: more idle connections than that. With
    # libsoup's own accept() it stopped accepting for good at the first EMFILE.
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"], preexec_fn=limit_files((128, 128)))
    try:
        idle = open_one_by_one(port, 200)
        time.sleep(0.5)
        check(f"with 128 descriptors, 200 idle connections are taken one after the other ({len(idle)})",
              len(idle) == 200)
        check("while they are open a new client is served (the longest idle one made room)", served(port))
        check("the server stays below its descriptor limit",
              len(os.listdir(f"/proc/{server.pid}/fd")) < 128)
        close_all(idle)
        check("once they are gone, new clients are served", all(served(port) for _ in range(5)))

        # Descriptors running out under the running server, as when something else takes them:
        # accept() fails with EMFILE, and the server tries again rather than giving up.
        # The limit goes down only once the server has let go of the closed ones: poll() refuses
        # to watch more descriptors than the limit (EINVAL), which no program can help.
        deadline = time.monotonic() + 30
        while len(os.listdir(f"/proc/{server.pid}/fd")) > 25 and time.monotonic() < deadline:
            time.sleep(0.1)
        check("the server lets go of the closed connections",
              len(os.listdir(f"/proc/{server.pid}/fd")) <= 25)
        resource.prlimit(server.pid, resource.RLIMIT_NOFILE, (40, 40))
        idle = open_one_by_one(port, 80)
        time.sleep(0.5)
        close_all(idle)
        check("after accept() failed with EMFILE and the connections went, new clients are served",
              all(served(port) for _ in range(5)))
    finally:
        stop(server)

    # (b) idle and (c) half-sent requests with short timeouts
    server, port = start(SERVER, ["--config", config("short.conf", "idle-timeout = 3\nheader-timeout = 2\n"
                                                                     "body-timeout = 2")])
    try:
        base = settled_sockets(server.pid, port)
        raw = socket.create_connection(("127.0.0.1", port))
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = answer(raw)
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        second = answer(raw)
        check("a connection is kept alive for a second request",
              first and first[0] == 200 and second and second[0] == 200 and
              first[1].get("connection", "").lower() != "close")
        check("a kept-alive connection with no request is closed after idle-timeout", ends_within(raw, 15))
        raw.close()
        check("and the server has let go of it", released(server.pid, base))

        raw = socket.create_connection(("127.0.0.1", port))
        check("a new connection that sends nothing is closed after header-timeout", ends_within(raw, 15))
        raw.close()

        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        others = []
        clients = threading.Thread(target=lambda: others.extend(served(port) for _ in range(3)))
        clients.start()
        check("a slowloris connection, half a header and a byte now and then, is closed after header-timeout",
              ends_within(slow, 15, trickle=b"X-Slow: 1\r\n"))
        clients.join()
        slow.close()
        check("meanwhile other clients are served", others == [True] * 3)

        trickle = socket.create_connection(("127.0.0.1", port))
        trickle.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n")
        check("a body trickled a byte at a time is cut off after body-timeout",
              ends_within(trickle, 15, trickle=b"x"))
        trickle.close()

        # 15,000 bytes at about 3 kB/s take 5 s, longer than body-timeout, but above body-min-rate
        steady = socket.create_connection(("127.0.0.1", port))
        steady.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 15000\r\n\r\n")
        try:
            for _ in range(50):
                steady.sendall(b"x" * 300)
                time.sleep(0.1)
            result = answer(steady)
        except OSError:
            result = None
        steady.close()
        check("a slow but steady body is read to its end and answered",
              result is not None and result[0] == 400)
        check("after all that the server serves", served(port))
    finally:
        stop(server)

    # (d) more connections than the cap
    server, port = start(SERVER, ["--config", config("cap.conf", "max-connections = 8")])
    try:
        before = settled_sockets(server.pid, port)
        idle = open_many(port, 8)
        time.sleep(0.5)
        check("a full server serves a new client by closing the longest idle connection", served(port))
        close_all(idle)

        busy = []
        for _ in range(8):
            raw = socket.create_connection(("127.0.0.1", port))
            raw.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{")
            busy.append(raw)
        time.sleep(0.5)
        over = open_many(port, 20)
        late = []
        waiting = threading.Thread(target=lambda: late.append(served(port, timeout=60)))
        waiting.start()
        time.sleep(1)
        held = server_sockets(server.pid) - before
        check(f"with 8 requests under way and 21 more clients, the server holds at most 8 connections ({held})",
              held <= 8)
        check("a client over the cap waits, neither served nor refused", waiting.is_alive())
        close_all(busy)
        waiting.join()
        check("once the busy connections end, the waiting client is served", late == [True])
        close_all(over)
        check("and after the flood has gone, new clients are served", all(served(port) for _ in range(5)))
    finally:
        stop(server)

    # (e) unauthenticated megabyte bodies are answered from their headers, the body unread
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"])
    try:
        served(port)
        before = vm_rss(server.pid)
        holders = []
        for i in range(300):
            raw = socket.create_connection(("127.0.0.1", port))
            path = "/api/v1/login" if i % 2 == 0 else f"/api/v1/sketches/{UUID}"
            method = "POST" if i % 2 == 0 else "PUT"
            raw.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {MB}\r\n"
                        "Content-Type: application/json\r\n\r\n".encode())
            holders.append(raw)
        # The answers, all within one deadline: a server that waits for the bodies sends none.
        deadline = time.monotonic() + 15
        statuses = []
        for raw in holders:
            result = answer(raw, timeout=max(deadline - time.monotonic(), 0.01))
            statuses.append(result and result[0])
        check("a 1 MiB login without a token is 413 before its body is sent",
              set(statuses[0::2]) == {413})
        check("any other 1 MiB body without a token is 401 before it is sent",
              set(statuses[1::2]) == {401})
        # Half of them send some of the body anyway, as a client that does not listen would.
        for raw in holders[::2]:
            try:
                raw.sendall(b"x" * 256 * 1024)
            except OSError:
                pass
        time.sleep(1)
        growth = vm_rss(server.pid) - before
        print(f"# 300 connections with 1 MiB bodies: VmRSS grew by {growth / MB:.1f} MB", file=sys.stderr)
        check(f"300 such connections add less than 100 MB to the server (grew {growth // MB} MB)",
              growth < 100 * MB)
        close_all(holders)
        check("the server serves after them", served(port))
    finally:
        stop(server)

    # (f) byte ranges of a download
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0"])
    try:
        # libsoup 3.2 loses a kept-alive connection that its client closes while it waits for the
        # next request: one descriptor for good per client that goes away (idle-timeout is 60 s).
        base = settled_sockets(server.pid, port)
        for _ in range(20):
            raw = socket.create_connection(("127.0.0.1", port))
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer(raw)
            raw.close()
        check("20 kept-alive connections that their clients closed are let go", released(server.pid, base))

        # An answer's header block waits for its body to leave with it (bnd-server-output.c):
        # one with no body to follow, an interim answer and pipelined answers must not wait.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = b""
            while b"\r\n\r\n" not in head:
                piece = raw.recv(4096)
                if not piece:
                    break
                head += piece
            raw.settimeout(0.5)
            try:
                extra = raw.recv(4096)
            except socket.timeout:
                extra = b""
            check("a HEAD answer comes with its Content-Length and without a body",
                  head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head and
                  head.endswith(b"\r\n\r\n") and b"Content-Length: 0\r\n" not in head and extra == b"")
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            result = answer(raw)
            check("after it the same connection answers a GET with its body",
                  result is not None and result[0] == 200 and json.loads(result[2])["status"] == "ok")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 3)
            results = [answer(raw) for _ in range(3)]
            check("three pipelined requests get three whole answers in order",
                  all(r is not None and r[0] == 200 and json.loads(r[2])["status"] == "ok" for r in results))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            body = json.dumps({"user": "anna", "password": "falsch-falsch"}).encode()
            raw.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
            interim = answer(raw, timeout=5)
            raw.sendall(body)
            result = answer(raw, timeout=30)
            check("a request that expects 100 Continue gets it before its body, then its answer",
                  interim is not None and interim[0] == 100 and result is not None and result[0] == 401)

        tokens = sign_in(port, users, PASSWORD)
        status, pdf = submit_sketch(port, tokens["anna"], UUID, CLI, REFERENCE)
        check("the carrier submits a sketch", status == 200)
        size = len(pdf)

        def get(range_header=None, extra=None):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Authorization": f"Bearer {tokens['dora']}", **(extra or {})}
            if range_header:
                headers["Range"] = range_header
            connection.request("GET", f"/api/v1/sketches/{UUID}/pdf", headers=headers)
            response = connection.getresponse()
            result = response.status, response.getheader("Content-Range"), response.read()
            connection.close()
            return result

        status, _, body = get()
        check("without a range the whole PDF is 200", status == 200 and body == pdf)
        status, content_range, body = get("bytes=0-99")
        check("bytes=0-99 is 206 with the first 100 bytes and their Content-Range",
              status == 206 and body == pdf[:100] and content_range == f"bytes 0-99/{size}")
        status, content_range, body = get("bytes=100-")
        check("an open-ended range is 206 with the rest of the file",
              status == 206 and body == pdf[100:] and content_range == f"bytes 100-{size - 1}/{size}")
        status, content_range, body = get("bytes=-50")
        check("a suffix range is 206 with the last 50 bytes",
              status == 206 and body == pdf[-50:] and content_range == f"bytes {size - 50}-{size - 1}/{size}")
        status, content_range, body = get(f"bytes=10-{size * 10}")
        check("a range past the end is cut at the end", status == 206 and body == pdf[10:])
        status, content_range, body = get(f"bytes={size}-")
        check("a range that starts past the end is 416 with the size",
              status == 416 and content_range == f"bytes */{size}" and b"range-not-satisfiable" in body)
        status, _, body = get("bytes=0-9,20-29")
        check("several ranges get the whole file, 200", status == 200 and body == pdf)
        status, _, body = get("bytes=0-9", {"If-Range": '"something"'})
        check("a range with If-Range gets the whole file, 200", status == 200 and body == pdf)
        status, _, body = get("bytes=abc")
        check("a range that does not parse is ignored, 200", status == 200 and body == pdf)
    finally:
        stop(server)

    # HTTPS through the server's own accept: kept alive, and answered early
    cert, key = os.path.join(data, "cert.pem"), os.path.join(data, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", key, "-out", cert], capture_output=True, check=True)
    server, port = start(SERVER, ["--data", data, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key])
    try:
        context = ssl.create_default_context(cafile=cert)
        context.check_hostname = False
        with context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost") as tls:
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            first = answer(tls)
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            second = answer(tls)
        check("over HTTPS a connection is kept alive for a second request",
              first and first[0] == 200 and second and second[0] == 200)
        with context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost") as tls:
            tls.sendall(f"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {MB}\r\n\r\n".encode())
            result = answer(tls)
        check("over HTTPS a 1 MiB login is 413 before its body is sent", result and result[0] == 413)
        with context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost") as tls:
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            result = answer(tls)
        check("and the HTTPS server serves after it", result and result[0] == 200)
    finally:
        stop(server)

report()
