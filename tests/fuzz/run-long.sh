#!/bin/sh
# A long run of one libFuzzer target of the sanitizer build:
#
#   tests/fuzz/run-long.sh TARGET [SECONDS] [--into-repo]
#
# TARGET is sketch, strategy, merge or server-body; SECONDS defaults to 600. The run starts from
# the seeds in tests/fuzz/corpus/TARGET (and the files the meson test adds) and keeps what it
# finds new in a corpus of its own outside the repository, ${BUENDNIS_FUZZ_CORPUS:-~/.cache/
# buendnis-fuzz}/TARGET, so that the next run goes on from there. With --into-repo the new inputs
# that add coverage are merged, minimised, into tests/fuzz/corpus/TARGET as well.
#
# It builds the sanitizer build first (SANITIZE_BUILDDIR, default _build-asan; set up as
# build-aux/setup.sh test does). A crash, leak or broken invariant stops the run and leaves its
# input in _build-asan/tests/fuzz/fuzz-artifacts/; the last lines show libFuzzer's statistics
# (executions, coverage "cov" and features "ft").
set -eu

cd "$(dirname "$0")/../.."
top=$(pwd)
target=${1:?usage: tests/fuzz/run-long.sh TARGET [SECONDS] [--into-repo]}
seconds=${2:-600}
into_repo=${3:-}
builddir=${SANITIZE_BUILDDIR:-_build-asan}
corpus=${BUENDNIS_FUZZ_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/buendnis-fuzz}/$target

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang-14 meson setup "$builddir" --werror -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true
fi
meson compile -C "$builddir" "tests/fuzz/fuzz-$target"
fuzzer="$top/$builddir/tests/fuzz/fuzz-$target"

# The environment of the fuzz tests (tests/fuzz/meson.build).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export G_SLICE=always-malloc G_DEBUG=gc-friendly FUZZ_SOURCE_DIR="$top"
if command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-14)"
fi

mkdir -p "$corpus" "$builddir/tests/fuzz/fuzz-artifacts"
seeds="$top/tests/fuzz/corpus/$target"
case "$target" in
  sketch|server-body) seeds="$seeds $top/tests/fuzz/corpus/sketch" ;;
esac

# shellcheck disable=SC2086 # the seed folders are words on purpose
"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$top/$builddir/tests/fuzz/fuzz-artifacts/fuzz-$target-" \
  -dict="$top/tests/fuzz/fuzz-$target.dict" "$corpus" $seeds

if [ "$into_repo" = --into-repo ]; then
  "$fuzzer" -merge=1 "$top/tests/fuzz/corpus/$target" "$corpus"
fi
