#!/bin/sh
# run-fuzz.sh FUZZER SEEDS SECONDS: a short libFuzzer run for the
# fuzz-smoke suite.  New inputs go to a temporary folder, so the seed
# corpus in the source tree is only read.
set -eu
fuzzer=$1
seeds=$2
seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# libFuzzer exits 77 on a crash by default, which meson reads as "skipped".
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 "$work" "$seeds"
