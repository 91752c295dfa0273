#!/usr/bin/env bash
# Set up a machine to run the suite: Debian browsers, Python dependencies, Node tools.
#
# Safe to run again: each step checks first and does nothing when its part is in place, so a
# run on a ready machine takes a couple of seconds. Meant for Debian/Ubuntu as root (or with
# sudo) and Python 3.11+; Playwright's own browser downloads are not needed, because the suite
# falls back to the distribution's chromium and firefox-esr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The interpreter whose `pytest` runs the suite: `python` when there is one (pyenv, venv).
PYTHON="${PYTHON:-$(command -v python || command -v python3)}"
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages: the browsers, their fonts, and Node for the report and benchmark tools
# The visual baselines (e2e/__screenshots__/) were drawn with DejaVu, which fontconfig gives
# the platform's system-ui, sans-serif and monospace stacks.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
# Headed runs and scripts/record.py on a machine without a display (xvfb-run).
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
# The load run on PostgreSQL (pytest e2e -m load --load-database postgresql) starts a server
# of its own from these binaries; the package's own cluster is not used.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "chromium, firefox-esr, npm, fonts-dejavu-core, xvfb and postgresql present"
fi
# Another font that fontconfig prefers for sans-serif would redraw every screen.
if command -v fc-match >/dev/null 2>&1 && [ "$(fc-match -f '%{family[0]}' sans-serif)" != "DejaVu Sans" ]; then
  say "warning: sans-serif is $(fc-match -f '%{family[0]}' sans-serif), not DejaVu Sans; the visual checks' baselines will not match"
fi

# --- Python: every dependency is pinned in pyproject.toml --------------------------------
# Checked against what is installed first, because pip resolving and building the editable
# install takes far longer than the comparison.
if "$PYTHON" - <<'EOF'
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
EOF
then
  say "Python dependencies already at their pinned versions"
else
  say "installing Python dependencies (pip install -e '.[postgres]')"
  "$PYTHON" -m pip install --quiet -e '.[postgres]'
fi

# --- Node tools: exact versions from package-lock.json -----------------------------------
# npm keeps a copy of the lock it installed in node_modules/.package-lock.json; when its
# packages match the committed lock, `npm ci` (which always reinstalls) is skipped.
if [ -f node_modules/.package-lock.json ] && "$PYTHON" - <<'EOF'
import json, sys

def packages(path):
    with open(path) as file:
        entries = json.load(file)["packages"]
    return {name: entry.get("version") for name, entry in entries.items() if name}

sys.exit(0 if packages("package-lock.json") == packages("node_modules/.package-lock.json") else 1)
EOF
then
  say "Node tools already installed"
else
  say "installing Node tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "ready"
