#!/bin/sh
# Installs the packages from build-aux/build-debs.sh on a fresh Debian 12 and checks them, as root.
#
#   build-aux/check-debs-chroot.sh [DIR]     DIR: where the .debs are, _debs/ by default
#
# debootstraps bookworm (minbase) into a temporary folder from the mirror of this machine's apt
# sources, installs ./buendnis_*.deb and ./buendnis-server_*.deb there with apt, and checks:
#   - the postinst's work: the system user, the database, the conffile, the enabled units;
#   - the app: the desktop entry's Exec command opens the window under Xvfb (xdotool finds it);
#   - the server: the ExecStart of the installed unit, run as the unit's user, answers
#     GET /healthz (or, where the server has no /healthz yet, POST /api/v1/login with JSON);
#   - purging buendnis-server removes /var/lib/buendnis and keeps the system user.
# Then it stops what it started in the chroot, unmounts everything and deletes the chroot.
# The downloads are cached in /var/cache/buendnis-debootstrap, so a second run is faster.
# KEEP_CHROOT=1 keeps the chroot for a look (unmounted); the last line is "N passed, N failed".
set -eu

cd "$(dirname "$0")/.."
debdir=$(cd "${1:-_debs}" && pwd)

if [ "$(id -u)" != 0 ]; then
  exec sudo "$0" "$@"
fi

app_deb=$(ls "$debdir"/buendnis_*.deb 2>/dev/null | tail -n 1)
server_deb=$(ls "$debdir"/buendnis-server_*.deb 2>/dev/null | tail -n 1)
if [ -z "$app_deb" ] || [ -z "$server_deb" ]; then
  echo "No buendnis_*.deb and buendnis-server_*.deb in $debdir; run build-aux/build-debs.sh first" >&2
  exit 2
fi

if ! command -v debootstrap >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

# The Debian mirror this machine uses (deb822 "URIs:" or one-line "deb URI suite").
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | sed -n -e 's/^URIs: *\([^ ]*\).*/\1/p' -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' \
  | grep '/debian/*$' | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}
security=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | sed -n -e 's/^URIs: *\([^ ]*\).*/\1/p' -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' \
  | grep '/debian-security/*$' | head -n 1)
security=${security:-http://deb.debian.org/debian-security}
security=${security%/}

cache=/var/cache/buendnis-debootstrap
mkdir -p "$cache"
root=$(mktemp -d /var/tmp/buendnis-chroot.XXXXXX)
chmod 755 "$root"   # it is /, which every user must be able to enter (mktemp makes it 0700)
mounts=""

# Stops every process whose root is the chroot (all of them were started by this script),
# by pid, then unmounts in reverse order and deletes the chroot without crossing into a mount.
cleanup() {
  set +e
  for proc in /proc/[0-9]*; do
    if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
      kill -TERM "${proc#/proc/}" 2>/dev/null
    fi
  done
  sleep 1
  for proc in /proc/[0-9]*; do
    if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
      kill -KILL "${proc#/proc/}" 2>/dev/null
    fi
  done
  for mount in $mounts; do
    umount "$root$mount" 2>/dev/null || umount -l "$root$mount"
  done
  if grep -q " $root[/ ]" /proc/mounts; then
    echo "Still mounted under $root; not deleting it:" >&2
    grep " $root[/ ]" /proc/mounts >&2
  elif [ "${KEEP_CHROOT:-0}" = 1 ]; then
    echo "Kept the chroot in $root"
  else
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "debootstrap bookworm from $mirror into $root"
debootstrap --variant=minbase --cache-dir="$cache" bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -n 30 "$root.debootstrap.log" >&2
  rm -f "$root.debootstrap.log"
  exit 1
}
rm -f "$root.debootstrap.log"

cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"

mount -t proc proc "$root/proc"; mounts="/proc $mounts"
mount -t sysfs sysfs "$root/sys"; mounts="/sys $mounts"
mount --bind /dev "$root/dev"; mounts="/dev $mounts"
mount --bind /dev/pts "$root/dev/pts"; mounts="/dev/pts $mounts"

mkdir -p "$root/tmp/debs"
cp "$app_deb" "$server_deb" "$root/tmp/debs/"

in_root() {
  chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

echo "Installing $(basename "$app_deb") and $(basename "$server_deb") in the chroot"
in_root apt-get update -q >/dev/null
# The packages as a user installs them (without Recommends, so yelp and its web engine stay
# out), and the tools for the checks.
if ! in_root sh -c 'cd /tmp/debs && apt-get install -y -q --no-install-recommends ./buendnis_*.deb ./buendnis-server_*.deb' \
    >"$root/tmp/install.log" 2>&1; then
  tail -n 40 "$root/tmp/install.log"
  echo "not ok - apt install of the packages failed"
  exit 1
fi
sed -n '/^Setting up buendnis/,$p' "$root/tmp/install.log" | grep -v '^Processing triggers' | sed 's/^/# /'
echo "ok - apt install ./$(basename "$app_deb") ./$(basename "$server_deb")"
in_root apt-get install -y -q --no-install-recommends xvfb xdotool curl dbus-daemon sqlite3 >"$root/tmp/tools.log" 2>&1 || {
  tail -n 20 "$root/tmp/tools.log"
  exit 1
}

cat >"$root/tmp/check.sh" <<'CHECK'
#!/bin/sh
set -u
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else not_ok "$what"; fi; }

unit=/lib/systemd/system/buendnis-server.service
user=$(sed -n 's/^User=//p' "$unit" | tail -n 1)
user=${user:-buendnis-server}

# What the postinst did.
check "system user $user exists" id -u "$user"
check "$user has no login shell" sh -c "getent passwd $user | grep -q -e ':/usr/sbin/nologin\$' -e ':/bin/false\$'"
check "/var/lib/buendnis/server.db belongs to $user" \
  sh -c "[ \"\$(stat -c %U /var/lib/buendnis/server.db)\" = $user ]"
check "/etc/buendnis/server.conf is a conffile" \
  sh -c "dpkg-query -W -f='\${Conffiles}' buendnis-server | grep -q /etc/buendnis/server.conf"
for unit_name in buendnis-server.service buendnis-server-backup.timer buendnis-server-backup.service; do
  check "$unit_name installed" test -f "/lib/systemd/system/$unit_name"
done
check "buendnis-server.service enabled" sh -c 'ls /etc/systemd/system/*.wants/buendnis-server.service'
check "buendnis-server-backup.timer enabled" sh -c 'ls /etc/systemd/system/*.wants/buendnis-server-backup.timer'
check "the GSettings schema is compiled" \
  grep -a -q de.fachkraefteallianz_non.Buendnis /usr/share/glib-2.0/schemas/gschemas.compiled
check "the MIME type is registered" grep -q x-buendnis-sketch /usr/share/mime/types

# The app: the desktop entry's Exec command, without its field codes, as a normal user.
desktop=/usr/share/applications/de.fachkraefteallianz_non.Buendnis.desktop
command=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1 | sed 's/ *%[fFuUdDnNickvm]//g')
echo "# desktop entry Exec: $command"
id -u tester >/dev/null 2>&1 || useradd -m tester
rm -f /tmp/display
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -ac 3>/tmp/display 2>/tmp/xvfb.log &
xvfb=$!
for i in $(seq 50); do [ -s /tmp/display ] && break; sleep 0.2; done
export DISPLAY=:$(cat /tmp/display)
runuser -u tester -- env HOME=/home/tester DISPLAY="$DISPLAY" LANG=C.UTF-8 \
  dbus-run-session -- sh -c "exec $command" >/tmp/app.log 2>&1 &
app=$!
window=""
for i in $(seq 60); do
  window=$(xdotool search --onlyvisible --name '^Bündnis$' 2>/dev/null | head -n 1)
  [ -n "$window" ] && break
  sleep 1
done
if [ -n "$window" ]; then
  ok "the desktop entry's command opens the window \"$(xdotool getwindowname "$window")\" (after ${i}s)"
  pid=$(xdotool getwindowpid "$window" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
else
  not_ok "the desktop entry's command opens the window"
  sed 's/^/#   /' /tmp/app.log
fi
sleep 1
kill "$app" 2>/dev/null
kill "$xvfb" 2>/dev/null
wait "$app" "$xvfb" 2>/dev/null

# The server: the unit's ExecStart (with its Environment, EnvironmentFile and directories), as
# the unit's user.
execstart=$(sed -n 's/^ExecStart=[-@+!:]*//p' "$unit" | tail -n 1)
echo "# unit ExecStart: $execstart (as $user)"
sed -n 's/^Environment=//p' "$unit" | while read -r line; do echo "export $line"; done >/tmp/unit-env
. /tmp/unit-env
for file in $(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit"); do
  if [ -f "$file" ]; then set -a; . "$file"; set +a; fi
done
for directory in $(sed -n 's/^StateDirectory=//p' "$unit"); do
  install -d -o "$user" -g "$user" "/var/lib/$directory"
done
for directory in $(sed -n 's/^RuntimeDirectory=//p' "$unit"); do
  install -d -o "$user" -g "$user" "/run/$directory"
done
workdir=$(sed -n 's/^WorkingDirectory=-\{0,1\}//p' "$unit" | tail -n 1)
eval "set -- $execstart"
listen=$(echo "$*" | sed -n 's/.*--listen[= ]\([^ ]*\).*/\1/p')
[ -n "$listen" ] || listen=$(sed -n 's/^[[:space:]]*listen[[:space:]]*=[[:space:]]*"\{0,1\}\([^" ]*\).*/\1/p' \
  /etc/buendnis/server.conf 2>/dev/null | tail -n 1)
listen=${listen:-127.0.0.1:8080}
port=${listen##*:}
host=${listen%:*}
case "$host" in
  0.0.0.0|'') host=127.0.0.1 ;;
  '[::]') host='[::1]' ;;
esac
# The chroot shares the host's network: something else on that port would answer instead.
if curl -k -s -o /dev/null --max-time 2 "http://$host:$port/" || curl -k -s -o /dev/null --max-time 2 "https://$host:$port/"; then
  not_ok "$host:$port is free (another process on this machine listens there; stop it and run again)"
  echo "$passed passed, $failed failed"
  exit 1
fi
(cd "${workdir:-/}" && exec runuser -u "$user" -- "$@") >/tmp/server.log 2>&1 &
server=$!
answer=""
for i in $(seq 40); do
  for base in "http://$host:$port" "https://$host:$port"; do
    code=$(curl -k -s -o /tmp/healthz -w '%{http_code}' --max-time 2 "$base/healthz" 2>/dev/null)
    case "$code" in
      000|'') ;;
      *) answer=$base; break 2 ;;
    esac
  done
  sleep 0.5
done
if [ -z "$answer" ] || ! kill -0 "$server" 2>/dev/null; then
  not_ok "the server answers on $host:$port"
  sed 's/^/#   /' /tmp/server.log
elif [ "$code" = 200 ]; then
  ok "GET $answer/healthz: 200 $(head -c 200 /tmp/healthz)"
else
  echo "# GET $answer/healthz: $code (no /healthz in this server yet?); trying the login"
  code=$(curl -k -s -o /tmp/login -w '%{http_code}' --max-time 5 -X POST "$answer/api/v1/login" \
    -d '{"user":"nobody","password":"not the password"}')
  if grep -q '"error"' /tmp/login; then
    ok "POST $answer/api/v1/login answers JSON: $code $(head -c 200 /tmp/login)"
  else
    not_ok "POST $answer/api/v1/login answers JSON: $code $(head -c 200 /tmp/login)"
  fi
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null

# An upgrade (here: the same version again) keeps the database and migrates it.
runuser -u "$user" -- /usr/bin/buendnis-server add-org --data /var/lib/buendnis --name "Chroot check" chroot-check \
  >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall /tmp/debs/buendnis-server_*.deb >/tmp/reinstall.log 2>&1
status=$?
sed -n '/^Setting up buendnis-server/,$p' /tmp/reinstall.log | sed 's/^/# /'
check "reinstalling buendnis-server succeeds (postinst runs migrate)" test "$status" = 0
check "reinstalling keeps the database (an organisation added before is still there)" \
  test "$(sqlite3 /var/lib/buendnis/server.db "SELECT count(*) FROM orgs WHERE id = 'chroot-check'" 2>/dev/null)" = 1

# Purge: the data goes, the system user stays.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q buendnis-server >/tmp/purge.log 2>&1
check "apt purge buendnis-server succeeds" sh -c "! dpkg-query -W -f='\${db:Status-Status}' buendnis-server 2>/dev/null | grep -qx installed"
check "purge removes /var/lib/buendnis" test ! -e /var/lib/buendnis
check "purge keeps the system user $user" id -u "$user"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
CHECK
chmod 755 "$root/tmp/check.sh"

status=0
in_root /tmp/check.sh || status=$?
exit "$status"
