#!/bin/sh
# One short run of a libFuzzer target, as a test of the sanitizer build (tests/fuzz/meson.build):
#
#   run-fuzz.sh FUZZER SECONDS DICTIONARY SEED...
#
# Each SEED is a folder of inputs or one input file. What the run finds new goes into a
# temporary folder and is dropped; a crash, a leak, a time-out or a broken invariant fails the
# test and leaves the input that did it in the build folder's fuzz-artifacts/, with the command
# that replays it.
set -eu

fuzzer=$1 seconds=$2 dict=$3
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/bnd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/files"
corpora=""
for seed in "$@"; do
  if [ -d "$seed" ]; then
    corpora="$corpora $seed"
  else
    cp "$seed" "$work/files/"
  fi
done

name=$(basename "$fuzzer")
artifacts="$(dirname "$fuzzer")/fuzz-artifacts"
mkdir -p "$artifacts"
dict_flag=""
[ -f "$dict" ] && dict_flag="-dict=$dict"

echo "# $name for ${seconds} s from$corpora $work/files"
status=0
# shellcheck disable=SC2086 # the folders are words on purpose
"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$name-" $dict_flag \
  "$work/corpus" $corpora "$work/files" || status=$?
if [ "$status" != 0 ]; then
  echo "# $name found a problem; replay it with: $fuzzer $artifacts/$name-<crash|leak|timeout>-…" >&2
fi
exit "$status"
