#!/bin/sh
# lint.sh RULE SOURCE_ROOT: checks one of the project's source rules.
# Prints each offending line and exits 1 when the rule is broken.
set -u
rule=$1
root=$2
cd "$root" || exit 2

# Lists matching lines in tracked-or-not C sources under the given folders.
find_in () {
  pattern=$1
  shift
  grep -rnE --include='*.c' --include='*.h' "$pattern" "$@" 2>/dev/null
}

case "$rule" in
services-no-gtk-webkit)
  # services/ is testable headless: no toolkit and no engine.
  hits=$(find_in '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk|gdk|gsk|webkit|jsc|JavaScriptCore)/' services)
  ;;
bridge-core-no-gtk)
  # The bridge's protocol, validation and dispatch build without GTK; only
  # the web-process extension may include WebKit's extension API.
  hits=$(find bridge -maxdepth 1 \( -name '*.c' -o -name '*.h' \) -exec \
         grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk|gdk|gsk|webkit)/' {} + 2>/dev/null)
  ;;
webkit-sandbox-on)
  # Nothing may weaken WebKit's sandbox: no environment switch, and no
  # sandbox path that exposes the root or the home folder.
  hits=$( (grep -rnE 'WEBKIT_(DISABLE|FORCE)_SANDBOX' \
             --include='*.c' --include='*.h' --include='*.sh' --include='*.build' \
             --include='*.service' --include='*.desktop*' --include='run' \
             services bridge shell cloud packaging bench tests/e2e tests/unit .ci run.sh test.sh tools 2>/dev/null;
           find_in 'add_path_to_sandbox[[:space:]]*\([^,]*,[[:space:]]*("/"|g_get_home_dir)' \
             services bridge shell cloud bench tests) | grep -v '^tests/lint/')
  ;;
*)
  echo "lint.sh: unknown rule $rule" >&2
  exit 2
  ;;
esac

if [ -n "$hits" ]; then
  echo "rule $rule is broken by:"
  echo "$hits"
  exit 1
fi
echo "rule $rule holds"
