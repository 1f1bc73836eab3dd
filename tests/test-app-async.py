#!/usr/bin/python3
# Issue 14, nothing blocks the main loop: the real app on a real store whose worker takes
# 1.5 seconds for every job (BND_STORE_DELAY_MS, the store's test hook). While the Sketches view
# opens, creates, duplicates, deletes, restores and imports a sketch, the window goes on
# answering: every AT-SPI question to it (answered on its main loop) comes back in a fraction of
# the delay. Then each operation is checked to have done what it should, and a title typed right
# before quitting is stored before the app goes. TAP output.
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
from apptest import App, Pinger, find, focused, walk, wait_for  # noqa: E402
from servertest import check, report  # noqa: E402

TOP = sys.argv[1]
REFERENCE = os.path.join(TOP, "tests", "data", "reference-sketch.bndsketch")
DELAY_MS = 1500
# A main loop that waits for one job of the store answers after DELAY_MS at the earliest; one
# that does not, at once. Half the delay tells them apart with room for a busy machine.
ANSWER_WITHIN = DELAY_MS / 2 / 1000


class Page:
    """The Sketches view as AT-SPI shows it: walks start at the view, not at the whole window
    (every view's widgets stay in the tree once built, and a walk over AT-SPI takes a while)."""

    def __init__(self, app):
        self.app = app
        self.root = None
        self.entry = find(app.window(), "Search the sketches")
        # The view (the editor and the list beside it) and the list's side alone
        self.root = self.entry.get_parent().get_parent().get_parent().get_parent()
        self.list_side = self.entry.get_parent().get_parent()

    def list_nodes(self):
        try:
            self.list_side.clear_cache()
        except GLib.Error:
            pass
        return walk(self.list_side)

    def nodes(self):
        try:
            self.root.clear_cache()
        except GLib.Error:
            pass
        return walk(self.root)

    def rows(self):
        rows = []
        for node, _ in self.list_nodes():
            try:
                if node.get_role_name() == "list item" and node.get_parent().get_role_name() == "list":
                    rows.append(node)
            except GLib.Error:
                continue
        return rows

    def titles(self):
        names = []
        for row in self.rows():
            try:
                names.append(row.get_name())
            except GLib.Error:
                continue
        return names

    def row_button(self, title, button):
        """The button called @button in the row of the sketch called @title."""
        for row in self.rows():
            try:
                if row.get_name() == title:
                    return find(row, button, "push button")
            except GLib.Error:
                continue
        return None

    def editor_title(self):
        """The text of the editor's title field: the title of the sketch it showed last."""
        for node, _ in self.nodes():
            try:
                if node.get_name() == "Title" and node.get_role_name() == "text":
                    text = node.get_text_iface()
                    return text.get_text(0, text.get_character_count())
            except (GLib.Error, AttributeError):
                continue
        return None


class SlowApp(App):
    """The real app on @profile with the store slowed down; it takes a while to show its window,
    which App would not wait for."""

    def __init__(self, profile):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([os.environ["BUENDNIS"], "--profile", profile],
                                        env=dict(os.environ, BND_STORE_DELAY_MS=str(DELAY_MS)),
                                        stdout=self.log, stderr=self.log)
        self.root = None

        def shown():
            self.root = self.find_app()
            return self.root is not None and self.window() is not None

        assert wait_for(shown, 180), "the window did not appear: " + self.output()
        time.sleep(1.5)
        self.focus()


def find_near(node, name, role, depth=7):
    """The object whose name ends in @name near the top of @node (a toast above the views),
    breadth first."""
    level = [node]
    for _ in range(depth):
        following = []
        for each in level:
            try:
                if each.get_name().endswith(name) and each.get_role_name() == role:
                    return each
                following.extend(each.get_child_at_index(i) for i in range(each.get_child_count()))
            except GLib.Error:
                continue
        level = [each for each in following if each is not None]
    return None


def main():
    cli = os.environ["BUENDNIS_CLI"]
    with open(REFERENCE) as reference:
        reference_title = json.load(reference)["title"]
    with tempfile.TemporaryDirectory() as work:
        profile = os.path.join(work, "profile")
        run = subprocess.run([cli, "--profile", profile, "new", "--title", "Erste Skizze"], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stderr

        app = SlowApp(profile)
        try:
            app.keys("alt+6", wait=1)
            page = wait_for(lambda: Page(app) if find(app.window(), "Search the sketches") else None, 60)
            check("the Sketches view is shown", page is not None and page.root is not None)
            # The store opens and lists at the slow worker's pace.
            check("the list shows the stored sketch", wait_for(lambda: "Erste Skizze" in page.titles(), 60))
            pinger = Pinger(page.entry, join_timeout=DELAY_MS * 10 / 1000)
            quick = pinger.during(lambda: None, 1)
            check(f"an idle window answers at once ({quick:.2f} s, {pinger.answers} answers)", quick < ANSWER_WITHIN)

            def operation(name, trigger, done, seconds=60, asks=False):
                longest = pinger.during(trigger, DELAY_MS * 0.8 / 1000, asks)
                check(f"{name}: the window answers while the store works (longest wait {longest:.2f} s, "
                      f"{pinger.answers} answers)", longest < ANSWER_WITHIN and pinger.answers >= 5)
                check(f"{name}: done afterwards", wait_for(done, seconds))
                print(f"# after {name}: the list has {page.titles()}, the editor “{page.editor_title()}”",
                      file=sys.stderr)

            def back(*titles):
                app.keys("alt+Left", wait=0.5)
                return wait_for(lambda: all(t in page.titles() for t in titles), 60)

            # Open: Tab to the row, Enter; the sketch is loaded, then the editor shows it.
            app.focus()
            for _ in range(20):
                node = focused(page.root)
                if node is not None and node.get_role_name() == "list item":
                    break
                app.keys("Tab", wait=0.3)
            check("Tab reaches the row", node is not None and node.get_name() == "Erste Skizze")
            operation("open", lambda: app.keys("Return", wait=0), lambda: page.editor_title() == "Erste Skizze")
            check("back to the list", back("Erste Skizze"))

            # New: Ctrl+N stores an empty sketch, then opens it.
            operation("new", lambda: app.keys("ctrl+n", wait=0), lambda: page.editor_title() == "")
            check("back to the list with the new sketch", back("Erste Skizze", "Untitled sketch"))

            # Duplicate: the copy is stored as a draft of its own and listed.
            button = page.row_button("Erste Skizze", "Duplicate")
            check("the row offers Duplicate", button is not None)
            operation("duplicate", lambda: button.get_action_iface().do_action(0),
                      lambda: "Erste Skizze (copy)" in page.titles(), asks=True)

            # Delete: the copy goes, with a toast to undo it; Undo brings it back.
            button = page.row_button("Erste Skizze (copy)", "Delete")
            check("the copy offers Delete", button is not None)
            operation("delete", lambda: button.get_action_iface().do_action(0),
                      lambda: "Erste Skizze (copy)" not in page.titles(), asks=True)
            undo = find_near(app.window(), "Undo", "push button")
            check("the toast offers Undo", undo is not None)
            if undo is not None:
                operation("undo delete", lambda: undo.get_action_iface().do_action(0),
                          lambda: "Erste Skizze (copy)" in page.titles(), asks=True)

            # Import: Ctrl+O, the path typed into the file chooser, Enter; the file is read, the
            # sketch stored, then opened.
            app.focus()
            app.keys("ctrl+o", wait=3)
            app.type(REFERENCE, wait=1)
            operation("import", lambda: app.keys("Return", wait=0), lambda: page.editor_title() == reference_title)
            app.focus()
            check("back to the list with the imported sketch", back(reference_title))

            # Quitting right after typing: the app stays until the store has written what was typed.
            app.keys("ctrl+n", wait=0)
            check("a new sketch opens for typing", wait_for(lambda: page.editor_title() == "", 60))
            app.type("Zuletzt getippt", wait=0)
            app.keys("ctrl+q", wait=0)
            try:
                app.process.wait(timeout=120)
                quit_ok = True
            except subprocess.TimeoutExpired:
                quit_ok = False
            check("the app quits once it is written", quit_ok)

            # What the operations did, as the store has it.
            listed = subprocess.run([cli, "--profile", profile, "list"], capture_output=True, text=True).stdout
            for title in ("Erste Skizze", "Erste Skizze (copy)", reference_title, "Zuletzt getippt"):
                check(f"the store has “{title}”", title in listed)
            check("and five sketches in all", len(listed.strip().splitlines()) == 5)
        finally:
            app.stop()
            print("# the app said:\n" + "\n".join("# " + line for line in app.output().splitlines()), file=sys.stderr)
    report()


main()
