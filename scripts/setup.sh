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
command -v xclip >/dev/null 2>&1 || need_apt+=(xclip)
command -v xdg-open >/dev/null 2>&1 || need_apt+=(xdg-utils)
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)  # PyInstaller (tkelectron package)
command -v import >/dev/null 2>&1 && import -version >/dev/null 2>&1 || need_apt+=(imagemagick)
python3 -c "import tkinter" >/dev/null 2>&1 || need_apt+=(python3-tk)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need_apt[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.tkelectron-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing tkelectron and its test tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test,package]'
  touch "$stamp"
fi
