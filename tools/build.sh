#!/bin/sh
# build.sh DIR [MESON OPTION...]: configures DIR once, applies the options,
# and builds.  Shared by run.sh and test.sh.
set -eu
cd "$(dirname "$0")/.."
dir=$1
shift
if [ -f "$dir/build.ninja" ]; then
  [ $# -eq 0 ] || meson configure "$dir" "$@"
else
  meson setup "$dir" "$@"
fi
ninja -C "$dir"
