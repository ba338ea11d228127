#!/bin/sh
# test-kiosk.sh YUN-KIOSK YUN-SHELL YUN-CLOUD: the kiosk session for real.
# yun-kiosk starts yun-shell under cage on wlroots' headless backend (no
# screen, no input devices) with a private session bus; the shell must come
# up on its home page, cover the whole output (the screenshot is the
# output's size, not the 360x760 desktop window), and come back after it
# crashes.  Exits 77 (skipped) without cage or Xwayland (cage needs both).
#
# cage refuses to run as root, so as root the test runs as nobody (with
# setpriv), in a folder nobody owns.
set -u
kiosk=$1
shell=$2
cloud=$3

for need in cage /usr/bin/Xwayland dbus-run-session gdbus python3; do
  if ! command -v "$need" > /dev/null 2>&1; then
    echo "SKIP: $need is missing (apt-get install cage xwayland dbus libglib2.0-bin python3)"
    exit 77
  fi
done

work=$(mktemp -d)
chmod 755 "$work"
trap '[ -n "${YUN_KEEP_TMP:-}" ] || rm -rf "$work"' EXIT
as_user=""
if [ "$(id -u)" = 0 ]; then
  if ! command -v setpriv > /dev/null 2>&1; then
    echo "SKIP: running as root and setpriv is missing: cage will not run as root"
    exit 77
  fi
  chown 65534:65534 "$work"
  as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi

cat > "$work/inside.sh" <<INSIDE
#!/bin/sh
# Runs on the private session bus, as the user cage runs as.
set -u
fail () { echo "not ok: \$*"; cat "$work/kiosk.log" >&2; exit 1; }
call () {
  method=\$1
  shift
  gdbus call --session --dest org.yun.Shell --object-path /org/yun/Shell \
    --method "org.yun.Shell1.\$method" "\$@" 2>/dev/null
}
# wait_home: until the shell answers on D-Bus and shows home (~60 s).
wait_home () {
  for _ in \$(seq 300); do
    case "\$(call GetScreen)" in
      *"'home'"*) return 0 ;;
    esac
    sleep 0.2
  done
  return 1
}
shell_pid () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID org.yun.Shell 2>/dev/null |
    sed -n 's/.*uint32 \\([0-9]*\\).*/\\1/p'
}

export HOME="$work/home" XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config"
mkdir -p "\$HOME" "\$XDG_RUNTIME_DIR" "\$XDG_CONFIG_HOME/yun"
chmod 700 "\$XDG_RUNTIME_DIR"

"$cloud" --port 0 --data "$work/cloud" --webapps "\$YUN_WEBAPPS_DIR" > "$work/cloud.out" 2> "$work/cloud.log" &
cloud_pid=\$!
url=""
for _ in \$(seq 100); do
  url=\$(head -n 1 "$work/cloud.out" 2>/dev/null)
  [ -n "\$url" ] && break
  sleep 0.1
done
[ -n "\$url" ] || fail "yun-cloud did not start"

# The cloud comes from kiosk.conf, as on a phone.
echo "YUN_CLOUD_URL=\$url" > "\$XDG_CONFIG_HOME/yun/kiosk.conf"
echo "YUN_KIOSK_SHELL=$shell" >> "\$XDG_CONFIG_HOME/yun/kiosk.conf"

WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
  sh "$kiosk" --profile "$work/profile" --automation > "$work/kiosk.log" 2>&1 &
kiosk_pid=\$!
trap 'kill \$kiosk_pid \$cloud_pid 2>/dev/null' EXIT

wait_home || fail "the shell did not come up under cage"
echo "ok - yun-shell shows home under cage"

gdbus call --session --dest org.yun.Shell --object-path /org/yun/Shell \
  --method org.yun.Shell1.Screenshot "$work/home.png" > /dev/null 2> "$work/screenshot.err" ||
  fail "no screenshot: \$(cat "$work/screenshot.err")"
size=\$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print("%dx%d" % struct.unpack(">II", d[16:24]))' "$work/home.png") ||
  fail "the screenshot is not a PNG"
[ "\$size" != 360x760 ] || fail "the shell has its desktop size, not the screen's"
echo "ok - full screen: \$size"

first=\$(shell_pid)
[ -n "\$first" ] || fail "no process owns org.yun.Shell"
kill -SEGV "\$first"
for _ in \$(seq 300); do
  now=\$(shell_pid)
  [ -n "\$now" ] && [ "\$now" != "\$first" ] && break
  sleep 0.2
done
[ -n "\$now" ] && [ "\$now" != "\$first" ] || fail "the shell did not come back after a crash"
wait_home || fail "the restarted shell does not show home"
echo "ok - back after a crash"
INSIDE
chmod 755 "$work/inside.sh"

# GTestDBus-style isolation: a bus of our own, and no X display to fall
# back to, so the shell can only be on cage's Wayland display.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
$as_user dbus-run-session -- "$work/inside.sh"
