#!/usr/bin/python3
# Issue 13, keyboard: the real app, driven by key presses alone (xdotool on a display of the
# test's own), with a partner's seat signed in to a real server. It drafts a sketch (Ctrl+N, the
# title, Tab through the fields; Tab leaves a section text and Ctrl+Tab types a tab there),
# exports it as PDF (Ctrl+E, a path typed into the file chooser), then rates one dossier and votes
# on another, and opens the sketch's PDF from the dossier and closes it with Esc and Ctrl+W. Where the focus is, AT-SPI says; what was sent, the server says. TAP output.
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptest import own_display_and_bus  # noqa: E402

own_display_and_bus()

from gi.repository import GLib  # noqa: E402
from apptest import Server, App, Atspi  # noqa: E402
from servertest import check, report  # noqa: E402
from proceduretest import SCORES  # noqa: E402

TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
SEAT = "seat-hwk-bls"


class Focus:
    """The object that has the keyboard focus, as AT-SPI's focus events tell it."""

    def __init__(self):
        self.current = None
        self.listener = Atspi.EventListener.new(self.on_event)
        self.listener.register("object:state-changed:focused")

    def on_event(self, event):
        if event.detail1 == 1:
            self.current = event.source

    def pump(self, seconds=0.3):
        deadline = time.time() + seconds
        context = GLib.MainContext.default()
        while time.time() < deadline:
            while context.pending():
                context.iteration(False)
            time.sleep(0.02)

    def describe(self):
        try:
            return f"{self.current.get_role_name()} {self.current.get_name()!r}" if self.current else "nothing"
        except GLib.Error:
            return "gone"

    def is_(self, role=None, name=None, contains=None, names=None):
        try:
            return self.current is not None and \
                (role is None or self.current.get_role_name() == role) and \
                (name is None or self.current.get_name() == name) and \
                (names is None or self.current.get_name() in names) and \
                (contains is None or contains in self.current.get_name())
        except GLib.Error:
            return False


def press(app, focus, *keys, wait=0.4):
    app.keys(*keys, wait=0.05)
    focus.pump(wait)


def tab_to(app, focus, limit=80, key="Tab", **want):
    """Presses @key until the focus is on what @want describes; True if it got there."""
    seen = []
    for _ in range(limit):
        if focus.is_(**want):
            return True
        seen.append(focus.describe())
        press(app, focus, key, wait=0.25)
    if not focus.is_(**want):
        print(f"# looking for {want}, the focus went: {seen}", file=sys.stderr)
        return False
    return True


def text_of(node):
    text = node.get_text_iface()
    return text.get_text(0, text.get_character_count())


def reference_titled(work, title):
    sketch = json.load(open(REFERENCE))
    sketch["title"] = title
    path = os.path.join(work, f"{title}.bndsketch")
    json.dump(sketch, open(path, "w"))
    return path


def stored(cli, profile, title):
    """The sketch called @title as the profile holds it, or None."""
    listing = subprocess.run([cli, "--profile", profile, "list"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        if line.endswith(title):
            shown = subprocess.run([cli, "--profile", profile, "show", line[:8], "--json"], capture_output=True,
                                   text=True).stdout
            return json.loads(shown)
    return None


def wait_server(condition, seconds=40):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


with tempfile.TemporaryDirectory() as work:
    server = Server(TOP, work)
    try:
        p = server.procedure
        p.reference = reference_titled(work, "Rating Projekt Tastatur")
        rating = p.to_stage("rating")
        p.reference = reference_titled(work, "Vote Projekt Tastatur")
        vote = p.to_stage("vote")
        profile = server.profile(work, SEAT)
        app = App(profile)
        focus = Focus()
        focus.pump(2)
        try:
            # Drafting: Ctrl+N puts the focus into the new sketch's title; Tab goes on to the
            # carrier and the contact. (libadwaita 1.2's entry rows tell AT-SPI nothing of the
            # focus in them: what was typed where is read back from the profile instead.)
            press(app, focus, "ctrl+n", wait=3)
            app.type("Tastatur-Skizze")
            press(app, focus, "Tab")
            app.type("Landkreis Celle")
            press(app, focus, "Tab")
            app.type("Clara Tast")
            time.sleep(2)   # saved within a second
            sketch = stored(server.cli, profile, "Tastatur-Skizze")
            check("Ctrl+N opens a new sketch with the focus in its title", sketch is not None)
            check("Tab goes from the title to the carrier, and on to the contact person",
                  sketch is not None and sketch["carrier"] == {"organisation": "Landkreis Celle",
                                                                "contact": "Clara Tast"})

            # A section text: Tab goes in, typing stays, Tab leaves it, Shift+Tab comes back
            # (the first section of the template; the date fields on the way are texts too)
            check("Tab reaches a section text", tab_to(app, focus, role="text", name="Summary", limit=200))
            section = focus.current
            name = section.get_name()
            app.type("Ausgangslage per Tastatur")
            press(app, focus, "Tab")
            left = not focus.is_(role="text", name=name)
            check(f"Tab leaves the section text “{name}” ({focus.describe()})", left)
            check("and types no tab into it", text_of(section) == "Ausgangslage per Tastatur")
            press(app, focus, "shift+Tab")
            check(f"Shift+Tab goes back into it ({focus.describe()})", focus.is_(role="text", name=name))
            press(app, focus, "ctrl+Tab")
            check(f"Ctrl+Tab types a tab there and stays ({focus.describe()})",
                  "\t" in text_of(section) and focus.is_(role="text", name=name))
            time.sleep(2)   # saved within a second

            # Export: Ctrl+E asks where; a path typed into the file chooser's name field
            target = os.path.join(work, "export", "tastatur.pdf")
            os.mkdir(os.path.dirname(target))
            press(app, focus, "ctrl+e", wait=3)
            press(app, focus, "ctrl+a")
            app.type(target)
            press(app, focus, "Return", wait=4)
            exported = wait_server(lambda: os.path.exists(target) and open(target, "rb").read(5) == b"%PDF-", 20)
            check("Ctrl+E exports the sketch as a PDF where the keyboard said", exported)
            check(f"the focus is back in the main window ({focus.describe()})", app.window() is not None)
            app.focus()
            focus.pump(1)

            # Rating: the dossier in the rating round, from the Dossiers view's sidebar
            press(app, focus, "alt+Left", wait=1)
            press(app, focus, "alt+7", wait=3)
            check(f"Tab reaches the Dossiers sidebar ({focus.describe()})",
                  tab_to(app, focus, role="list item", name="My Tasks"))
            found = tab_to(app, focus, key="Down", limit=12, role="list item", name="Rating Projekt Tastatur")
            check(f"the arrow keys reach the dossier in the rating round ({focus.describe()})", found)
            press(app, focus, "Return", wait=3)
            criterion = None
            for _ in range(len(SCORES)):
                if not tab_to(app, focus, role="spin button"):
                    break
                criterion = focus.current.get_name()
                press(app, focus, "Up")   # one point more than the middle of the scale
                press(app, focus, "Tab")
            check(f"Tab goes through the criteria ({criterion})", criterion is not None)
            check("Tab reaches Save Rating", tab_to(app, focus, role="push button", contains="Save Rating"))
            press(app, focus, "space", wait=2)
            rated = wait_server(lambda: any(r.get("org") == "hwk-bls" for r in
                                            p.api("GET", f"/dossiers/{rating}/ratings", who=SEAT)[1].get("ratings", [])))
            check("the rating reached the server", rated)

            # Vote: the dossier in the circulation vote
            check("Shift+Tab goes back to the sidebar",
                  tab_to(app, focus, key="shift+Tab", limit=150, role="list item",
                         names={"Rating Projekt Tastatur", "Vote Projekt Tastatur"}))
            key = "Down" if focus.is_(name="Rating Projekt Tastatur") else "Up"
            found = tab_to(app, focus, key=key, limit=2, role="list item", name="Vote Projekt Tastatur")
            check(f"the arrow keys reach the dossier in the vote ({focus.describe()})", found)
            press(app, focus, "Return", wait=3)
            check("Tab reaches the choice “Yes”", tab_to(app, focus, role="push button", name="Yes"))
            press(app, focus, "space")
            check("Tab reaches Cast Vote", tab_to(app, focus, role="push button", contains="Cast Vote"))
            press(app, focus, "space", wait=2)
            voted = wait_server(lambda: {"org": "hwk-bls", "choice": "yes", "comment": ""} in
                                p.api("GET", f"/dossiers/{vote}/vote", who=SEAT)[1].get("ballots", []))
            check("the vote reached the server", voted)

            # The sketch's PDF from the dossier opens in a window of its own: Esc closes it, and so
            # does Ctrl+W
            for close in ("Escape", "ctrl+w"):
                check("Tab reaches the dossier's project sketch",
                      tab_to(app, focus, role="list item", name="Project sketch"))
                press(app, focus, "Return", wait=3)
                opened = app.window("Project sketch") is not None
                press(app, focus, close, wait=2)
                closed = app.window("Project sketch") is None
                check(f"Enter opens the sketch's PDF window, {close} closes it", opened and closed)
                app.focus()
                focus.pump(1)
        finally:
            app.stop()
    finally:
        server.stop()

report()
