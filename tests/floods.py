# Floods against a buendnis-server on loopback, for tests/test-flood.py and
# tests/bench/bench-flood.py. Each flood runs in threads of its own between start() and stop(),
# so that several run at once while a real user works; stop() returns one line that says what
# the flood did.
import collections
import http.client
import json
import os
import selectors
import socket
import subprocess
import threading
import time


class Flood:
    name = "a flood"

    def start(self, port):
        raise NotImplementedError

    def stop(self):
        raise NotImplementedError


class IdleFlood(Flood):
    """Holds @count connections to the server that never send a byte, opening a new one for each
    that the server closes, as an attacker who wants to take every connection would."""

    def __init__(self, count=1500):
        self.count = count
        self.name = f"{count:,} idle connections"
        self.opened = 0
        self.closed_by_server = 0
        self.peak = 0

    def _open(self):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setblocking(False)
        raw.connect_ex(("127.0.0.1", self.port))
        with self.lock:
            self.selector.register(raw, selectors.EVENT_READ)
            self.opened += 1

    def _run(self):
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.1):
                raw = key.fileobj
                try:
                    ended = raw.recv(1) == b""
                except BlockingIOError:
                    ended = False
                except OSError:
                    ended = True
                if ended:
                    with self.lock:
                        self.selector.unregister(raw)
                    raw.close()
                    self.closed_by_server += 1
                    if not self.stopping.is_set():
                        self._open()

    def _fill(self, count):
        """Opens @count connections, each once the one before is through (a server that takes
        them slowly is not skipped), and gives up after 15 that the server does not take within
        half a second (a full backlog drops a connection now and then)."""
        misses = 0
        for _ in range(count):
            raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            raw.settimeout(0.5)
            try:
                raw.connect(("127.0.0.1", self.port))
            except OSError:
                raw.close()
                misses += 1
                if misses == 15:
                    return
                continue
            raw.setblocking(False)
            with self.lock:
                self.selector.register(raw, selectors.EVENT_READ)
                self.opened += 1

    def start(self, port):
        self.port = port
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.selector = selectors.DefaultSelector()
        fillers = [threading.Thread(target=self._fill, args=(self.count // 4,)) for _ in range(4)]
        for filler in fillers:
            filler.start()
        for filler in fillers:
            filler.join()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def established(self):
        """How many of the connections the kernel has completed (accepted by the server or
        waiting in its backlog)."""
        count = 0
        with self.lock:
            keys = list(self.selector.get_map().values())
        for key in keys:
            try:
                key.fileobj.getpeername()
                count += 1
            except OSError:
                pass
        self.peak = max(self.peak, count)
        return count

    def stop(self):
        self.established()
        self.stopping.set()
        self.thread.join()
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()
        return (f"{self.name}: {self.opened} opened, {self.closed_by_server} closed by the server, "
                f"at most {self.peak} established at once")


# The wrong-login flood (many source addresses 127.0.0.x, in parallel) belongs here as a second
# Flood, and into FLOODS in tests/test-flood.py.


class LoginFloodResult:
    def __init__(self):
        self.statuses = collections.Counter()
        self.errors = collections.Counter()   # what went wrong where there was no answer
        self.failed = set()   # the addresses that had a 401
        self.lock = threading.Lock()
        self.threads = []

    def join(self):
        for thread in self.threads:
            thread.join(timeout=90)


def login_flood(server, addresses, stop_event, target=None, connections=2):
    """Wrong sign-ins from each of @addresses (loopback source addresses such as "127.0.0.20"),
    continuously until @stop_event is set: @connections keep-alive connections per address, each
    sending its next attempt as soon as the last is answered. The names are new each time, so
    that only the address's own limit stops them; every fourth attempt is at @target when given.
    A 429 is not waited out (the next attempt follows after 20 ms). @server is the port of a
    buendnis-server on 127.0.0.1. Returns a LoginFloodResult: statuses counts the answers by status, failed
    holds the addresses that had a 401; call join() after setting @stop_event."""
    flood = LoginFloodResult()

    def run(address, lane):
        connection = None
        attempt = 0
        while not stop_event.is_set():
            attempt += 1
            user = target if target and attempt % 4 == 0 else f"flood-{address}-{lane}-{attempt}"
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", server, source_address=(address, 0),
                                                            timeout=60)
                connection.request("POST", "/api/v1/login", json.dumps({"user": user, "password": "falsch"}),
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = None
                with flood.lock:
                    flood.errors[type(error).__name__] += 1
                if connection is not None:
                    connection.close()
                connection = None
            with flood.lock:
                flood.statuses[status] += 1
                if status == 401:
                    flood.failed.add(address)
            if status != 401:
                stop_event.wait(0.02)
        if connection is not None:
            connection.close()

    for address in addresses:
        for lane in range(connections):
            thread = threading.Thread(target=run, args=(address, lane), daemon=True)
            thread.start()
            flood.threads.append(thread)
    return flood


class LoginFlood(Flood):
    """Wrong sign-ins from @count loopback addresses (127.0.1.1 on), two keep-alive connections
    each, every fourth at @target: login_flood() as a flood that runs beside the others."""

    def __init__(self, count=50, target=None):
        self.addresses = [f"127.0.1.{i}" for i in range(1, count + 1)]
        self.target = target
        self.name = f"wrong sign-ins from {count} addresses"

    def start(self, port):
        self.stopping = threading.Event()
        self.result = login_flood(port, self.addresses, self.stopping, target=self.target)

    def failed_everywhere(self):
        """Whether every address has had a wrong sign-in checked: the flood is under way."""
        return len(self.result.failed) == len(self.addresses)

    def stop(self):
        self.stopping.set()
        self.result.join()
        return f"{self.name}: answers {dict(self.result.statuses)}, no answer {dict(self.result.errors)}"


def server_sockets(pid):
    """How many sockets process @pid holds."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return count


class RealUser:
    """A user of the CLI: signs in (POST /api/v1/login), imports a sketch and syncs it (GET
    /api/v1/changes, PUT /api/v1/sketches/UUID), edits nothing else. Each step is timed."""

    def __init__(self, cli, profile, url, user, password, sketch):
        self.cli, self.profile, self.url, self.user, self.password = cli, profile, url, user, password
        self.sketch = sketch
        self.imported = False
        self.timings = {"login": [], "sync": []}
        self.failures = []

    def _run(self, step, *args, stdin=None):
        begin = time.monotonic()
        run = subprocess.run([self.cli, "--profile", self.profile, *args], input=stdin,
                             capture_output=True, text=True, timeout=60)
        self.timings[step].append(time.monotonic() - begin)
        if run.returncode != 0:
            self.failures.append(f"{step}: {run.stderr.strip()}")
        return run

    def round(self):
        """One sign-in and one sync; returns whether both worked."""
        failures = len(self.failures)
        self._run("login", "login", self.url, "--user", self.user, "--token-file", self.profile + ".token",
                  stdin=self.password + "\n")
        if not self.imported:
            subprocess.run([self.cli, "--profile", self.profile, "import", self.sketch], capture_output=True)
            self.imported = True
        self._run("sync", "sync")
        return len(self.failures) == failures


def served(port, timeout=10):
    """Whether a new client gets GET /healthz answered within @timeout seconds."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                piece = raw.recv(4096)
                if not piece:
                    break
                data += piece
            return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")
