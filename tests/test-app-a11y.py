#!/usr/bin/python3
# Issue 13, screen readers: the real app, signed in as a partner's seat on a real server, visits
# each view of its window (Overview, Goals, Fields of Action, Region, Procedure, Sketches, the
# editor with a new sketch open, Dossiers with My tasks, a dossier in the vote, the portfolio and
# the sessions) and walks its accessibility tree through AT-SPI. Every control a person can reach
# must have a name a screen reader can say: not empty, and not merely its class ("GtkSpinButton",
# which GTK 4.8 puts where no name was given) or its role. TAP output.
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptest import own_display_and_bus  # noqa: E402

own_display_and_bus()

from apptest import Server, App, Atspi, walk, find, select, wait_for  # noqa: E402
from servertest import check, report  # noqa: E402

TOP = sys.argv[1]

# Roles a person operates. Containers that GTK 4.8 marks focusable only because they pass the focus
# on to a child (panels, lists, scroll panes) are not spoken as controls: their children are.
CONTROLS = {"push button", "toggle button", "check box", "radio button", "entry", "password text", "text",
            "spin button", "combo box", "slider", "page tab", "link", "menu item", "check menu item",
            "radio menu item", "switch", "list item", "table cell", "tree item", "scroll bar", "split pane",
            "filler", "image", "label", "menu button"}

# Library internals that cannot be named from the app, each with why.
ALLOWED = [
    # (role, name, reason)
    ("filler", "GtkListItemWidget",
     "GTK 4.8's wrapper around each row of a GtkListView/GtkColumnView; the row's own widgets carry the name"),
    ("filler", "AdwGizmo", "libadwaita's internal parts (indicators, tab handles); never focused by the keyboard"),
]

CLASS_NAME = re.compile(r"^(Gtk|Adw|Bnd|Gdk)[A-Z]\w*$")


def unnamed(node):
    """Why @node is a control without a usable name, or None."""
    try:
        role = node.get_role_name()
        name = (node.get_name() or "").strip()
        state = node.get_state_set()
    except Exception:   # gone meanwhile
        return None
    if not state.contains(Atspi.StateType.FOCUSABLE) or role not in CONTROLS:
        return None
    if any(role == r and name == n for r, n, _ in ALLOWED):
        return None
    if role == "list item" and name == "" and in_drop_down(node):
        # A choice in the list that a drop-down (AdwComboRow, GtkDropDown) pops up: GTK 4.8's
        # list item for it has no name of its own; the drop-down is named and says the choice.
        return None
    if role == "push button" and name == "GtkToggleButton" and named_parent(node, "combo box"):
        # GtkDropDown's own toggle inside it: GTK 4.8 gives the drop-down's name to the combo
        # box around it only, and offers no way to reach the button; the combo box is named.
        return None
    if name == "" or CLASS_NAME.match(name) or name == role:
        return f"{role} {name!r}"
    return None


def named_parent(node, role):
    parent = node.get_parent()
    name = parent.get_name() if parent else ""
    return parent is not None and parent.get_role_name() == role and name and not CLASS_NAME.match(name)


def in_drop_down(node):
    for _ in range(6):
        node = node.get_parent()
        if node is None:
            return False
        if node.get_role_name() == "combo box":
            return True
    return False


def path(node):
    parts = []
    while node is not None and len(parts) < 8:
        try:
            name = node.get_name()
            parts.append(f"{node.get_role_name()}:{name[:30]!r}" if name else node.get_role_name())
            node = node.get_parent()
        except Exception:
            break
    return " < ".join(parts)


def audit(app, view):
    problems = {}
    for window in app.windows():
        if window is None:
            continue
        for node, _ in walk(window):
            why = unnamed(node)
            if why:
                problems.setdefault(f"{why} at {path(node)}", 0)
                problems[f"{why} at {path(node)}"] += 1
    for why, count in sorted(problems.items()):
        print(f"# {view}: {count} × {why}", file=sys.stderr)
    check(f"{view}: every focusable control has a name ({len(problems)} without)", not problems)


def select_row(app, name):
    """Focuses the sidebar row called @name and activates it, as Tab and Enter would."""
    selected = wait_for(lambda: select(app.window(), name, "My Tasks"))
    time.sleep(1.5)
    return selected


with tempfile.TemporaryDirectory() as work:
    server = Server(TOP, work)
    try:
        p = server.procedure
        vote = p.to_stage("vote")
        p.to_stage("rating")
        profile = server.profile(work, "seat-hwk-bls")
        app = App(profile)
        try:
            views = [("Overview", "alt+1"), ("Goals", "alt+2"), ("Fields of Action", "alt+3"), ("Region", "alt+4"),
                     ("Procedure", "alt+5"), ("Sketches", "alt+6")]
            # A view's widgets stay in the tree once built, hidden or not: one walk after visiting
            # them all sees each of them (each walk takes a while over AT-SPI).
            for view, key in views:
                app.keys(key, wait=1.5)
            audit(app, "Overview, Goals, Fields of Action, Region, Procedure and Sketches")
            app.keys("ctrl+n", wait=3)
            check("Ctrl+N opens the editor", find(app.window(), "Title") is not None)
            audit(app, "Editor with a new sketch")
            app.keys("alt+Left", wait=1)
            app.keys("alt+7", wait=2)
            title = "Welcome & Stay – Internationale Fachkräfte für Logistik und Pflege halten"
            check("the dossier in the vote is listed", select_row(app, title))
            audit(app, "Dossiers: a dossier in the vote")
            check("the portfolio is listed", select_row(app, "Portfolio"))
            check("the sessions are listed", select_row(app, "Lenkungskreis Sessions"))
            audit(app, "Dossiers: My Tasks, Portfolio and Sessions")
        finally:
            app.stop()
    finally:
        server.stop()

report()
