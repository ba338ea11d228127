#!/bin/sh
# install-deps.sh: installs the Debian packages in packaging/debian-packages.txt
# that are missing.  Does nothing, and needs no network, when all are there.
set -eu
cd "$(dirname "$0")/.."

list=packaging/debian-packages.txt
missing=""
for package in $(grep -v '^[[:space:]]*#' "$list" | grep -v '^[[:space:]]*$'); do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $package" ;;
  esac
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages in $list are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing:$missing; run this as root or install sudo" >&2
    exit 1
  fi
  sudo=sudo
fi

echo "install-deps: installing:$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
