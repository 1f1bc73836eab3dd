#!/bin/sh
# Builds the Debian packages buendnis and buendnis-server on Debian 12, as root or with sudo.
#
#   build-aux/build-debs.sh [REF]     REF: the commit to build, HEAD by default
#
# Installs the packaging tools and the Build-Depends of debian/control when missing, builds
# with "dpkg-buildpackage -us -uc -b" in a clean export of the commit (so _build/ and untracked
# or uncommitted files never reach a package), puts the results into _debs/ and runs lintian
# on them. It fails when the build fails or lintian reports an error.
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
ref=${1:-HEAD}
outdir="$top/_debs"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -q
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# The packaging tools (the build dependencies follow from debian/control below).
missing=""
for package in debhelper dpkg-dev fakeroot lintian git; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  apt_install $missing
fi

# A clean copy of the commit.
commit=$(git rev-parse --verify "$ref^{commit}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/buendnis-debs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
git archive --format=tar "$commit" | tar -x -C "$tmp/src"
cd "$tmp/src"
version=$(dpkg-parsechangelog -S Version)
echo "Building buendnis $version from $(git -C "$top" rev-parse --short "$commit") in $tmp"

# The Build-Depends of debian/control that are not installed yet.
if ! dpkg-checkbuilddeps >/dev/null 2>&1; then
  dpkg-checkbuilddeps || true
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -q
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends ./
fi

dpkg-buildpackage -us -uc -b -J"$(nproc)"

# The results: the .debs, the debug symbols, .buildinfo and .changes.
cd "$tmp"
changes=$(ls buendnis_"$version"_*.changes)
mkdir -p "$outdir"
rm -f "$outdir"/*.deb "$outdir"/*.ddeb "$outdir"/*.changes "$outdir"/*.buildinfo
for file in $(sed -n '/^Files:/,/^[^ ]/s/^ [0-9a-f]* [0-9]* [^ ]* [^ ]* //p' "$changes") "$changes"; do
  cp "$file" "$outdir/"
done

echo "lintian:"
status=0
lintian --display-info --fail-on error "$outdir/$changes" || status=$?
[ "$status" = 0 ] && echo "lintian: no errors" || echo "lintian: errors (exit $status)"

echo "Packages:"
ls -1 "$outdir"/*.deb
echo "Install with: apt install $(ls "$outdir"/buendnis_*.deb "$outdir"/buendnis-server_*.deb | tr '\n' ' ')"
exit "$status"
