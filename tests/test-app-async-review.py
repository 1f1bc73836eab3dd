#!/usr/bin/python3
# Issue 14, nothing blocks the main loop, in the Dossiers view: the real app, signed in as a
# partner's seat on a real server, on a store whose worker takes 1.5 seconds for every job
# (BND_STORE_DELAY_MS). While the view reads My tasks, the portfolio and the sessions from the
# profile, while a dossier is read with its documents, while a vote is queued and while a sync
# brings the view up to date, the window goes on answering: every AT-SPI question to it
# (answered on its main loop) comes back in a fraction of the delay. Each step is then checked to
# have shown what it should. TAP output.
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptest import own_display_and_bus  # noqa: E402

own_display_and_bus()

from gi.repository import GLib  # noqa: E402
from apptest import App, Pinger, Server, select, walk, wait_for  # noqa: E402
from servertest import check, report  # noqa: E402

TOP = sys.argv[1]
DELAY_MS = 1500
# As in test-app-async.py: a main loop that waits for one store job answers after DELAY_MS at the
# earliest; half the delay tells them apart with room for a busy machine.
ANSWER_WITHIN = DELAY_MS / 2 / 1000
VOTE_TITLE = "Welcome & Stay – Internationale Fachkräfte für Logistik und Pflege halten"


def named(root, name, role=None):
    """The first object below @root called @name (or, with @name ending in "…", whose name holds the
    rest: GTK 4.8 names a button with a mnemonic "_Cast Vote Cast Vote")."""
    if root is None:
        return None
    for node, _ in walk(root):
        try:
            text = node.get_name()
            if (text == name or (name.endswith("…") and name[:-1] in text)) and \
                    (role is None or node.get_role_name() == role):
                return node
        except GLib.Error:
            continue
    return None


def sync_button(root):
    """The header's sync button: its tooltip says what it does."""
    if root is None:
        return None
    for node, _ in walk(root):
        try:
            if node.get_role_name() == "push button" and \
                    "Sync with the Server" in (node.get_description() or "") + (node.get_name() or ""):
                return node
        except GLib.Error:
            continue
    return None


def main():
    with tempfile.TemporaryDirectory() as work:
        server = Server(TOP, work)
        try:
            p = server.procedure
            vote = p.to_stage("vote")
            p.to_stage("rating")
            profile = server.profile(work, "seat-hwk-bls")
            app = App(profile, env={"BND_STORE_DELAY_MS": str(DELAY_MS)})
            try:
                run(app, lambda: {"org": "hwk-bls", "choice": "yes", "comment": ""} in
                    p.api("GET", f"/dossiers/{vote}/vote", who="seat-hwk-bls")[1].get("ballots", []))
            finally:
                app.stop()
                print("# the app said:\n" + "\n".join("# " + line for line in app.output().splitlines()),
                      file=sys.stderr)
            # The vote queued in the slowed app reached the server with a sync
            listed = subprocess.run([server.cli, "--profile", profile, "sync"], capture_output=True, text=True)
            check("the profile syncs afterwards", listed.returncode == 0)
        finally:
            server.stop()
    report()


def run(app, voted):
    def window():
        """The main window; None for a moment while AT-SPI re-reads the app."""
        return wait_for(app.window, 30)

    app.keys("alt+7", wait=1)
    tasks = wait_for(lambda: named(window(), "My Tasks", "label"), 60)
    check("the Dossiers view is shown", tasks is not None)
    if tasks is None:
        return
    pinger = Pinger(tasks, join_timeout=DELAY_MS * 10 / 1000)
    quick = pinger.during(lambda: None, 1)
    check(f"an idle window answers at once ({quick:.2f} s, {pinger.answers} answers)", quick < ANSWER_WITHIN)

    def step(name, trigger, done, seconds=90, until=None, asking=DELAY_MS * 0.8 / 1000):
        longest = pinger.during(trigger, asking, until=until)
        check(f"{name}: the window answers while the store works (longest wait {longest:.2f} s, "
              f"{pinger.answers} answers)", longest < ANSWER_WITHIN and pinger.answers >= 5)
        check(f"{name}: done afterwards", wait_for(done, seconds))

    # The view read at start-up: the dossiers, the portfolio and the sessions are listed.
    check("the sidebar lists the dossiers, the portfolio and the sessions",
          wait_for(lambda: named(window(), VOTE_TITLE, "list item") and
                   named(window(), "Portfolio", "list item") and
                   named(window(), "Lenkungskreis Sessions", "list item"), 120))

    # A dossier: read on the store's worker with its documents' thumbnails, then shown.
    step("the dossier in the vote", lambda: select(window(), VOTE_TITLE, "My Tasks"),
         lambda: named(window(), "Circulation Vote", "label"))

    # A vote: queued in the profile by a job of the store's worker; a second click meanwhile
    # does nothing more.
    cast = None
    yes = named(window(), "Yes", "push button")
    check("the vote offers Yes", yes is not None)
    if yes is not None:
        yes.get_action_iface().do_action(0)
        cast = wait_for(lambda: named(window(), "Cast Vote…", "push button") or
                        named(window(), "Change Vote…", "push button"), 10)
        check("the vote offers Cast Vote", cast is not None)
        if cast is not None:
            def twice():
                cast.get_action_iface().do_action(0)
                cast.get_action_iface().do_action(0)
            # Queued, then the sync that follows takes it to the server
            step("casting the vote", twice, voted)

    # The portfolio and the sessions show what the view read.
    check("the portfolio is shown", select(window(), "Portfolio", "My Tasks") and
          wait_for(lambda: named(window(), "Submitted dossiers", "label"), 30))
    check("the sessions are shown", select(window(), "Lenkungskreis Sessions", "My Tasks") and
          wait_for(lambda: named(window(), "Lenkungskreis Sessions", "label") is not None, 30))

    if cast is None:
        names = [f"{node.get_role_name()} “{node.get_name()}”" for node, _ in walk(window())
                 if node.get_role_name() in ("push button", "toggle button")]
        print("# buttons: " + ", ".join(names), file=sys.stderr)

    # A sync: afterwards the view reads the profile again, and the reminders of what is due are
    # found and marked, each on the store's worker. Asked all along: from the click until the
    # button no longer says it syncs, and a few store jobs longer.
    sync = wait_for(lambda: sync_button(window()), 10)
    check("the header offers the sync", sync is not None)
    if sync is not None:
        seen = []

        def synced():
            name = sync.get_name() or ""
            if "Syncing" in name:
                seen.append(name)
            return bool(seen) and "Syncing" not in name

        step("a sync, the view read again and the reminders", lambda: sync.get_action_iface().do_action(0),
             lambda: named(window(), "Portfolio", "list item"),
             until=synced, asking=DELAY_MS * 3 / 1000)
        check("the sync button said it was syncing", bool(seen))


main()
