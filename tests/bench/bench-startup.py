#!/usr/bin/python3
# Start-up to the first painted frame and resident memory, each against its anchor, measured side
# by side and alternating (A B A B ...) in one X server and one D-Bus session, median of RUNS.
# Run inside xvfb-run + dbus-run-session (tests/bench/run.sh does). The time is taken from
# spawning the process to its "first frame after" line, so loading the libraries counts too.
#   bench-startup.py BUILD window               app (empty profile) vs bench-minimal-window
#   bench-startup.py BUILD scale BIG_PROFILE    app, empty profile vs BIG_PROFILE
#   bench-startup.py BUILD phases [PROFILE]     the app's start-up phases, median of RUNS
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
LINGER_MS = 1500        # the window stays this long after its first frame ...
RSS_AFTER_S = 1.0       # ... and its VmRSS is read this long after the first frame
CAP_S = 60              # a start that takes longer is stopped and reported as "more than"


class TooSlow(Exception):
    pass

build, mode = sys.argv[1], sys.argv[2]
app = os.environ.get("BENCH_APP", f"{build}/src/app/buendnis")   # another build's app, to compare
minimal = f"{build}/tests/bench/bench-minimal-window"


def run_once(argv, linger=False, home=None):
    """Returns (ms from spawn to the first frame, VmRSS in KiB or None, the output's lines)."""
    env = dict(os.environ, BND_BENCH_FIRST_FRAME="1", GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=f"{build}/data")
    if linger:
        env["BND_BENCH_LINGER_MS"] = str(LINGER_MS)
    if home:
        env["HOME"] = home
        env["XDG_CACHE_HOME"] = f"{home}/.cache"
        env["XDG_DATA_HOME"] = f"{home}/.local/share"
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines, frame_ms, rss = [], None, None
    watchdog = threading.Timer(CAP_S, proc.kill)
    watchdog.start()
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if frame_ms is None and line.startswith("first frame after"):
            frame_ms = (time.perf_counter() - started) * 1000
            if linger:
                time.sleep(RSS_AFTER_S)
                try:
                    with open(f"/proc/{proc.pid}/status") as status:
                        for entry in status:
                            if entry.startswith("VmRSS:"):
                                rss = int(entry.split()[1])
                except FileNotFoundError:  # an app without BND_BENCH_LINGER_MS quits at once
                    pass
    proc.wait()
    watchdog.cancel()
    if frame_ms is None and time.perf_counter() - started >= CAP_S:
        raise TooSlow()
    if frame_ms is None:
        raise SystemExit(f"no first frame from {argv[0]}:\n" + "\n".join(lines))
    return frame_ms, rss, lines


def app_argv(profile):
    return [app, "--profile", profile]


def side_by_side(a, b, linger=False):
    """a and b are functions that run one start; returns their results, alternating."""
    results_a, results_b = [], []
    a()  # one warm-up each: the first start after a build reads everything from disk
    b()
    for _ in range(RUNS):
        results_a.append(a())
        results_b.append(b())
    return results_a, results_b


def median(values):
    return statistics.median(values)


def spread(values):
    return f"{min(values):.0f}-{max(values):.0f}"


def row(label, figure, anchor, unit, ratio, target):
    print(f"{label:<44} {figure:>8.0f} {unit} vs {anchor:>6.0f} {unit} = {ratio:4.2f}x  (target {target})")


if mode == "window":
    with tempfile.TemporaryDirectory() as home:
        profile = f"{home}/profile"
        os.mkdir(profile)
        apps, minimals = side_by_side(lambda: run_once(app_argv(profile), True, home),
                                      lambda: run_once([minimal], True, home))
    app_ms, min_ms = [r[0] for r in apps], [r[0] for r in minimals]
    row("start-up to first frame vs minimal window", median(app_ms), median(min_ms), "ms",
        median(app_ms) / median(min_ms), "<= 1.3x")
    print(f"  spread of {RUNS}: app {spread(app_ms)} ms, minimal window {spread(min_ms)} ms")
    if any(r[1] is None for r in apps):
        print("resident memory: the app quit before it could be read (no BND_BENCH_LINGER_MS)")
        sys.exit(0)
    app_rss, min_rss = [r[1] / 1024 for r in apps], [r[1] / 1024 for r in minimals]
    row("resident memory 1 s after first frame", median(app_rss), median(min_rss), "MiB",
        median(app_rss) / median(min_rss), "<= 1.2x")
    print(f"  spread of {RUNS}: app {spread(app_rss)} MiB, minimal window {spread(min_rss)} MiB")
elif mode == "scale":
    big = sys.argv[3]
    with tempfile.TemporaryDirectory() as home:
        empty = f"{home}/empty"
        os.mkdir(empty)
        try:
            bigs, empties = side_by_side(lambda: run_once(app_argv(big), False, home),
                                         lambda: run_once(app_argv(empty), False, home))
        except TooSlow:
            empty_ms = [run_once(app_argv(empty), False, home)[0] for _ in range(RUNS)]
            print(f"{'start-up, 10,000 sketches vs empty profile':<44} > {CAP_S * 1000} ms vs {median(empty_ms):>6.0f} ms"
                  f" = > {CAP_S * 1000 / median(empty_ms):.0f}x  (target <= 1.5x): stopped after {CAP_S} s")
            sys.exit(0)
    big_ms, empty_ms = [r[0] for r in bigs], [r[0] for r in empties]
    row("start-up, 10,000 sketches vs empty profile", median(big_ms), median(empty_ms), "ms",
        median(big_ms) / median(empty_ms), "<= 1.5x")
    print(f"  spread of {RUNS}: big {spread(big_ms)} ms, empty {spread(empty_ms)} ms")
elif mode == "phases":
    with tempfile.TemporaryDirectory() as home:
        profile = sys.argv[3] if len(sys.argv) > 3 else f"{home}/profile"
        os.makedirs(profile, exist_ok=True)
        phases = {}
        order = []
        run_once(app_argv(profile), True, home)
        for _ in range(RUNS):
            for line in run_once(app_argv(profile), True, home)[2]:
                if line.startswith("phase "):
                    name = line[6:line.rindex(" at ")].strip()
                    at = float(line.split(" at ")[1].split()[0])
                    took = float(line.split(" took ")[1].split()[0])
                    if name not in phases:
                        order.append(name)
                        phases[name] = []
                    phases[name].append((at, took))
                elif line.startswith("first frame after"):
                    phases.setdefault("= first frame (in process)", []).append((float(line.split()[3]), 0))
        order.append("= first frame (in process)")
        for name in sorted(order, key=lambda n: median([p[0] for p in phases[n]])):
            values = phases[name]
            print(f"  {name:<34} at {median([v[0] for v in values]):7.1f} ms  "
                  f"took {median([v[1] for v in values]):6.1f} ms")
else:
    raise SystemExit(f"unknown mode {mode}")
