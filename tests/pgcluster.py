#!/usr/bin/python3
# A private PostgreSQL cluster for the server suite on PostgreSQL (README): initdb and pg_ctl
# refuse to run as root, so as root they run as the user postgres (runuser); the cluster listens
# only on a unix socket in a temporary directory, and its one role, buendnis, is trusted there.
#
#   pgcluster.py start   prints the socket directory (for BUENDNIS_TEST_PGHOST)
#   pgcluster.py stop DIR
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def binary(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def as_postgres(args):
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--"] + args
    return subprocess.run(args, check=True, capture_output=True, text=True)


def start():
    top = tempfile.mkdtemp(prefix="bnd-pg-")
    os.chmod(top, 0o755)
    if os.geteuid() == 0:
        shutil.chown(top, "postgres")
    data = os.path.join(top, "data")
    as_postgres([binary("initdb"), "-D", data, "-A", "trust", "-U", "buendnis", "--no-locale", "-E", "UTF8"])
    # fsync off: the cluster lives as long as the suite; durability is SQLite's tests' subject.
    as_postgres([binary("pg_ctl"), "-D", data, "-l", os.path.join(top, "log"), "-w", "-o",
                 f"-k {top} -c listen_addresses='' -c fsync=off -c max_connections=200", "start"])
    return top


def stop(top):
    as_postgres([binary("pg_ctl"), "-D", os.path.join(top, "data"), "-m", "fast", "-w", "stop"])
    shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "start":
        print(start())
    else:
        stop(sys.argv[2])
