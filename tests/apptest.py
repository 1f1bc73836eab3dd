# What the tests that drive the real app from outside share: a display and session bus of their
# own (with the accessibility bus that at-spi2-core's launcher starts on it), a real server with
# a partner's seat signed in, the app started on that profile, its accessibility tree through
# AT-SPI (gir1.2-atspi-2.0), and keys typed through xdotool.
import os
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

from servertest import add_users, serve  # noqa: E402
from proceduretest import Procedure, users, ORGS, PASSWORD  # noqa: E402


def own_display_and_bus():
    """Runs this script again under its own Xvfb and D-Bus session: the accessibility bus and
    the keyboard focus then belong to this test alone, whatever else runs in parallel."""
    if os.environ.get("BND_APPTEST_DISPLAY"):
        # The accessibility registry started on that bus greets on the standard output it
        # inherits: the test's TAP goes to a file of its own, printed by the outer run.
        sys.stdout = open(os.environ["BND_APPTEST_TAP"], "w", buffering=1)
        return
    # Xvfb picks a free display itself (-displayfd) and keeps running when its last client goes
    # (-noreset); no xvfb-run, whose guessed number may be another test's.
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp",
                             "-noreset"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        display = numbers.readline().strip()
    try:
        with tempfile.NamedTemporaryFile("r") as tap:
            env = dict(os.environ, BND_APPTEST_DISPLAY="1", BND_APPTEST_TAP=tap.name, DISPLAY=f":{display}")
            env.pop("XAUTHORITY", None)
            env.pop("WAYLAND_DISPLAY", None)
            # GTK talks to the accessibility bus only where NO_AT_BRIDGE is not set (the other UI
            # tests set it).
            env.pop("NO_AT_BRIDGE", None)
            env.pop("GTK_A11Y", None)
            code = subprocess.run(["dbus-run-session", "--", sys.executable, *sys.argv], env=env,
                                  stdout=sys.stderr).returncode
            sys.stdout.write(tap.read())
    finally:
        xvfb.terminate()
        xvfb.wait()
    sys.exit(code)


class Server:
    """A real buendnis-server with the procedure's accounts, and a dossier in the rating round and
    one in the circulation vote for the seat of the Handwerkskammer."""

    def __init__(self, top, work):
        self.cli = os.environ["BUENDNIS_CLI"]
        data = os.path.join(work, "server")
        os.mkdir(data)
        accounts = users()
        add_users(os.environ["BUENDNIS_SERVER"], data, accounts, PASSWORD, ORGS)
        self.process, self.port = serve(os.environ["BUENDNIS_SERVER"], data)
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        from servertest import sign_in
        self.procedure = Procedure(self.port, sign_in(self.port, accounts, PASSWORD), self.cli,
                                   os.path.join(top, "tests", "data", "reference-sketch.bndsketch"), work)
        self.url = f"http://127.0.0.1:{self.port}"

    def profile(self, work, who):
        """A profile signed in as @who through the command line, and synced."""
        profile = os.path.join(work, f"profile-{who}")
        run = subprocess.run([self.cli, "--profile", profile, "login", self.url, "--user", who, "--token-file",
                              profile + ".token"], input=PASSWORD + "\n", capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        run = subprocess.run([self.cli, "--profile", profile, "sync"], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return profile

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class App:
    """The real app on @profile, seen through AT-SPI."""

    def __init__(self, profile, env=None):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([os.environ["BUENDNIS"], "--profile", profile],
                                        env=dict(os.environ, **(env or {})), stdout=self.log, stderr=self.log)
        self.root = None
        for _ in range(200):
            self.root = self.find_app()
            if self.root is not None and self.window() is not None:
                break
            time.sleep(0.1)
        assert self.window() is not None, "the window did not appear: " + self.output()
        time.sleep(1.5)
        self.focus()

    def find_app(self):
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == self.process.pid:
                    # Each look starts afresh: what an earlier walk cached may have changed.
                    app.clear_cache()
                    return app
            except gi.repository.GLib.Error:
                continue
        return None

    def windows(self):
        self.root = self.find_app() or self.root
        return [self.root.get_child_at_index(i) for i in range(self.root.get_child_count())]

    def window(self, name="Bündnis"):
        for window in self.windows() if self.root else []:
            if window is not None and window.get_name() == name:
                return window
        return None

    def focus(self):
        """Gives the main window the keyboard focus (Xvfb has no window manager to do it)."""
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Bündnis$"], capture_output=True,
                             text=True).stdout.split()
        if ids:
            subprocess.run(["xdotool", "windowfocus", "--sync", ids[0]], capture_output=True)

    def keys(self, *keys, wait=0.6):
        """Presses each of @keys ("ctrl+n", "Tab") in the window that has the focus."""
        for key in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", key], check=True)
            time.sleep(0.15)
        time.sleep(wait)

    def type(self, text, wait=0.6):
        subprocess.run(["xdotool", "type", "--delay", "40", text], check=True)
        time.sleep(wait)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def walk(node, depth=0):
    """Every object below @node, with its depth; objects that vanish meanwhile are left out."""
    try:
        count = node.get_child_count()
    except gi.repository.GLib.Error:
        return
    yield node, depth
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except gi.repository.GLib.Error:
            continue
        if child is not None:
            yield from walk(child, depth + 1)


def states(node):
    return node.get_state_set()


def focused(root):
    """The object with the keyboard focus below @root, or None."""
    for node, _ in walk(root):
        try:
            if node.get_state_set().contains(Atspi.StateType.FOCUSED):
                return node
        except gi.repository.GLib.Error:
            continue
    return None


def select(root, name, beside):
    """Selects the row called @name in the list that has a row called @beside, as the arrow keys
    would (AT-SPI's Selection)."""
    for node, _ in walk(root):
        try:
            if node.get_name() != beside or node.get_role_name() != "list item":
                continue
            parent = node.get_parent()
            for i in range(parent.get_child_count()):
                row = parent.get_child_at_index(i)
                if row.get_name() == name:
                    return parent.get_selection_iface().select_child(i)
        except gi.repository.GLib.Error:
            continue
    return False


def find(root, name, role=None):
    for node, _ in walk(root):
        try:
            if node.get_name() == name and (role is None or node.get_role_name() == role):
                return node
        except gi.repository.GLib.Error:
            continue
    return None


def wait_for(condition, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    return condition()


class Pinger:
    """Asks the window for a text through AT-SPI again and again from a thread of its own, and
    keeps the longest wait for an answer. Text is never cached by AT-SPI: each question goes to
    the app, whose main loop answers it (the UI tests of issue 14: nothing blocks the main loop)."""

    def __init__(self, node, join_timeout=15):
        self.node = node
        self.join_timeout = join_timeout
        self.longest = 0.0
        self.answers = 0
        self.running = False

    def run(self):
        while self.running:
            start = time.monotonic()
            try:
                self.node.get_text_iface().get_text(0, -1)
            except (GLib.Error, AttributeError):
                pass
            self.longest = max(self.longest, time.monotonic() - start)
            self.answers += 1
            time.sleep(0.05)

    def during(self, trigger, seconds, asks=False, until=None):
        """Runs @trigger and goes on asking for @seconds (after @until holds, if given, within a
        minute); returns the longest wait, with the trigger's own if it @asks the app over AT-SPI
        (and so waits for its main loop) too."""
        self.longest = 0.0
        self.answers = 0
        self.running = True
        thread = threading.Thread(target=self.run, daemon=True)
        # Asked from the start, unless the trigger itself asks (and its own wait counts then)
        if not asks:
            thread.start()
        start = time.monotonic()
        trigger()
        if asks:
            self.longest = max(self.longest, time.monotonic() - start)
            thread.start()
        if until is not None:
            wait_for(until, 60)
        time.sleep(seconds)
        self.running = False
        thread.join(timeout=self.join_timeout)
        return self.longest
