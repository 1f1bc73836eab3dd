#!/usr/bin/python3
# The systemd units of the server, checked offline: systemd is installed here but need not run.
#
# - `systemd-analyze verify --man=no` on copies of the built units whose ExecStart= points at the
#   built binary (verify checks that it exists and is executable). Verify runs without a running
#   systemd and does not look the user up, so User=buendnis-server needs no account here; it does
#   check every key and value, the timer's service and the executables, and it reports unknown
#   keys only as warnings with exit 0: so any output at all fails this test. A copy with a typo
#   in a key proves that such a warning is seen.
# - `systemd-analyze security --offline=true` on both services: the overall exposure must be
#   2.5 or lower; it is printed. Offline it rates what the unit file says.
# - `systemd-sysusers --root=SCRATCH` with the sysusers.d file: it creates the user buendnis-server.
# TAP output.
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servertest import check, report  # noqa: E402

SERVER = os.environ["BUENDNIS_SERVER"]
UNIT_DIR = os.environ["BUENDNIS_UNIT_DIR"]
TOP = sys.argv[1]
UNITS = ["buendnis-server.service", "buendnis-server-backup.service", "buendnis-server-backup.timer"]
MAX_EXPOSURE = 2.5

analyze = shutil.which("systemd-analyze")
if analyze is None:
    # build-aux/setup.sh installs systemd: a missing one is a broken set-up, not a reason to skip.
    print("Bail out! systemd-analyze is not installed (Debian's systemd package)")
    sys.exit(1)


def copy_units(work):
    for unit in UNITS:
        text = open(os.path.join(UNIT_DIR, unit)).read()
        # The installed binary does not exist yet: point at the one just built.
        text = re.sub(r"^(ExecStart=)\S*/buendnis-server ", rf"\g<1>{SERVER} ", text, flags=re.M)
        with open(os.path.join(work, unit), "w") as f:
            f.write(text)
    return [os.path.join(work, unit) for unit in UNITS]


def verify(paths):
    run = subprocess.run([analyze, "verify", "--man=no", *paths], capture_output=True, text=True, cwd=os.path.dirname(paths[0]))
    return run.returncode, (run.stdout + run.stderr).strip()


def exposure(path):
    run = subprocess.run([analyze, "security", "--offline=true", path], capture_output=True, text=True,
                         cwd=os.path.dirname(path))
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", run.stdout)
    return (float(found.group(1)) if found else None), run.stdout


with tempfile.TemporaryDirectory() as work:
    paths = copy_units(work)
    service = open(paths[0]).read()
    backup = open(paths[1]).read()

    status, output = verify(paths)
    if output:
        print("# " + output.replace("\n", "\n# "))
    check("systemd-analyze verify passes the three units without a word", status == 0 and output == "")

    # tests/test-pdf-check.py shows the helper under its own filter; here, that the unit lets it
    # load one (libseccomp refuses without the seccomp() call) and sets no limit in its stead.
    check("the server's PDF check may install its own seccomp filter",
          re.search(r"^SystemCallFilter=seccomp$", service, re.M))
    check("the server unit is Type=notify and reads the configuration file",
          "\nType=notify\n" in service and re.search(r"^ExecStart=\S+ serve --config /\S+/buendnis/server.conf$", service, re.M))
    check("the backup unit is a oneshot backup with the configuration file",
          "\nType=oneshot\n" in backup and re.search(r"^ExecStart=\S+ backup --config /\S+/buendnis/server.conf$", backup, re.M))
    check("both run as buendnis-server in /var/lib/buendnis, mode 0700",
          all("\nUser=buendnis-server\n" in text and "\nStateDirectory=buendnis\n" in text and
              "\nStateDirectoryMode=0700\n" in text for text in (service, backup)))
    limit = re.search(r"^LimitNOFILE=(\d+)$", service, re.M)
    check("LimitNOFILE= leaves room for thousands of connections (4096 or more)", limit and int(limit.group(1)) >= 4096)
    timer = open(paths[2]).read()
    check("the timer runs every night at 02:30, persistent, spread over 15 minutes",
          "OnCalendar=*-*-* 02:30" in timer and "Persistent=true" in timer and "RandomizedDelaySec=15min" in timer)

    # The check above would be worthless if verify stayed silent about mistakes.
    broken = os.path.join(work, "broken")
    os.mkdir(broken)
    with open(os.path.join(broken, "buendnis-server.service"), "w") as f:
        f.write(service.replace("ProtectSystem=strict", "ProtectSytem=strict"))
    status, output = verify([os.path.join(broken, "buendnis-server.service")])
    check("verify reports a misspelt key (so its silence means something)", "ProtectSytem" in output)
    with open(os.path.join(broken, "buendnis-server.service"), "w") as f:
        f.write(service.replace(SERVER, "/nonexistent/buendnis-server"))
    status, output = verify([os.path.join(broken, "buendnis-server.service")])
    check("verify reports an ExecStart= that does not exist", status != 0 and "/nonexistent" in output)

    for path, name in [(paths[0], "the server"), (paths[1], "the backup")]:
        level, output = exposure(path)
        print(f"# exposure of {os.path.basename(path)}: {level}")
        check(f"systemd-analyze security rates {name} at {MAX_EXPOSURE} or lower ({level})",
              level is not None and level <= MAX_EXPOSURE)
        if level is None or level > MAX_EXPOSURE:
            print("# " + output.replace("\n", "\n# "))
        # The deny list takes all of @resources away: nothing in the server sets a limit.
        check(f"{name} may not call setrlimit", re.search(r"✓ SystemCallFilter=~@resources", output))
        check(f"{name} has no capabilities", re.search(r"✓ CapabilityBoundingSet=~CAP_SYS_ADMIN", output))

    # The units' User= comes from sysusers.d; tried on a scratch root with a copy of this system's
    # accounts, so that nothing here is changed.
    sysusers = shutil.which("systemd-sysusers")
    if sysusers:
        root = os.path.join(work, "root")
        os.makedirs(os.path.join(root, "etc"))
        for name in ["passwd", "group"]:
            shutil.copy(os.path.join("/etc", name), os.path.join(root, "etc", name))
        subprocess.run([sysusers, f"--root={root}", os.path.join(TOP, "data", "systemd", "buendnis-server.sysusers")],
                       capture_output=True)
        passwd = open(os.path.join(root, "etc", "passwd")).read()
        check("sysusers.d creates buendnis-server, home /var/lib/buendnis, no login shell",
              re.search(r"^buendnis-server:x:\d+:\d+:[^:]*:/var/lib/buendnis:/usr/sbin/nologin$", passwd, re.M))

report()
