#!/usr/bin/env bash
# Set up everything tkelectron needs on a Debian/Ubuntu machine, idempotently:
# system packages (Tk, Xvfb, xdotool, ImageMagick) and a virtualenv in .venv
# with tkelectron installed in editable mode plus its test tools.
# Sourced by scripts/demo and scripts/test; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v Xvfb >/dev/null 2>&1 || need_apt+=(xvfb)
command -v xdotool >/dev/null 2>&1 || need_apt+=(xdotool)
# The system tests start a private session bus (tests/system/conftest.py).
command -v dbus-daemon >/dev/null 2>&1 || need_apt+=(dbus)
# ...and a real notification daemon on it (tests/system/test_notification_dunst.py).
command -v dunst >/dev/null 2>&1 || need_apt+=(dunst)
command -v xclip >/dev/null 2>&1 || need_apt+=(xclip)
command -v xdg-open >/dev/null 2>&1 || need_apt+=(xdg-utils)
command -v xrandr >/dev/null 2>&1 || need_apt+=(x11-xserver-utils)
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)  # PyInstaller (tkelectron package)
command -v import >/dev/null 2>&1 && import -version >/dev/null 2>&1 || need_apt+=(imagemagick)
# A window manager for whole-window screenshots (the tour's title bars).
command -v openbox >/dev/null 2>&1 || need_apt+=(openbox)
ldconfig -p 2>/dev/null | grep -q 'libXcursor\.so\.1 ' || need_apt+=(libxcursor1)  # tkdnd (drag and drop)
python3 -c "import tkinter" >/dev/null 2>&1 || need_apt+=(python3-tk)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need_apt[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "setup:   apt-get update"
  $sudo apt-get update -qq
  echo "setup:   apt-get install (a minute or two on a fresh machine)"
  $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Keep only the lines of pip's output that say what it fetches and installs.
_pip_steps() {
  sed -un \
    -e 's/^Collecting \([^ ]*\).*/setup:   fetching \1/p' \
    -e 's/^Obtaining .*/setup:   reading tkelectron'"'"'s own metadata/p' \
    -e 's/^Building wheels for collected packages: \(.*\)/setup:   building \1/p' \
    -e 's/^Installing collected packages: \(.*\)/setup:   installing \1/p' \
    -e 's/^Successfully installed \(.*\)/setup:   installed \1/p'
}

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.tkelectron-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/constraints.txt -nt "$stamp" ]; then
  echo "setup: installing tkelectron and its test tools into .venv (about a minute)"
  echo "setup:   upgrading pip"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  # pip's own lines, one per step, so a slow minute shows what it is doing:
  # each package fetched (or found cached), then what gets installed.
  log=$(mktemp)
  if ! .venv/bin/python -m pip install --progress-bar off -c scripts/constraints.txt -e '.[test,package]' 2>&1 | tee "$log" | _pip_steps; then
    echo "setup: pip failed; what it said:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
  echo "setup: done"
fi
