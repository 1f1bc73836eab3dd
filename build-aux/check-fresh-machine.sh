#!/bin/sh
# Runs the README's two commands as a newcomer would: on a fresh, minimal Debian 12 (a
# debootstrap --variant=minbase chroot, which has only the "required" packages), in a clone of
# this repository's HEAD, as root. First "build-aux/setup.sh test" (which must end with
# "N passed, 0 failed"), then "build-aux/setup.sh run" under Xvfb, which must open the window.
#
#   build-aux/check-fresh-machine.sh [CHROOT]
#
# CHROOT is a fresh minbase chroot to use (and dirty); without it one is made in a temporary
# folder and removed afterwards (debootstrap fetches about 40 MB, the set-up about 600 MB).
# Needs root, debootstrap and a reachable Debian mirror. Not part of the test suite: it takes
# a quarter of an hour.
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
command -v debootstrap >/dev/null || apt-get install -y -q --no-install-recommends debootstrap

made=""
root=${1:-}
if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/buendnis-fresh.XXXXXX)
  made=$root
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}"
fi

cleanup() {
  for mount in dev/pts dev sys proc; do umount -l "$root/$mount" 2>/dev/null || true; done
  if [ -n "$made" ]; then rm -rf "$made"; fi
}
trap cleanup EXIT
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"

rm -rf "$root/root/buendnis"
git clone -q "$top" "$root/root/buendnis"

echo "== build-aux/setup.sh test, in a fresh clone on a fresh Debian 12"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  sh -c 'cd /root/buendnis && build-aux/setup.sh test' | tee "$root/root/test.log"
last=$(tail -n 1 "$root/root/test.log")
case "$last" in
  *" passed, 0 failed"*) ;;
  *) echo "FAILED: setup.sh test ended with: $last"; exit 1 ;;
esac

echo "== build-aux/setup.sh run, under Xvfb: the window must open"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 sh -c '
  cd /root/buendnis
  xvfb-run -a -s "-screen 0 1280x800x24" sh -c "
    dbus-run-session -- build-aux/setup.sh run >/root/run.log 2>&1 &
    for i in \$(seq 1 600); do
      xdotool search --onlyvisible --name \"^Bündnis\$\" >/dev/null 2>&1 && { echo window; break; }
      sleep 1
    done > /root/window.txt
    pkill -x buendnis || true"'
if grep -q window "$root/root/window.txt"; then
  echo "ok: setup.sh run installed Bündnis and opened its window"
else
  echo "FAILED: no window from setup.sh run"; tail -n 30 "$root/root/run.log"; exit 1
fi
