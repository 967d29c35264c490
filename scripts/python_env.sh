# Sourced by run_app.sh and test.sh: choose a Python and install a requirements file into it.
# Installs into the current interpreter (a pyenv, conda or virtualenv Python), or into ./.venv when the
# interpreter is Debian's system Python, which refuses pip installs (PEP 668 "externally managed").
# Usage: source scripts/python_env.sh REQUIREMENTS_FILE   -> sets $PYTHON
set -euo pipefail
PYTHON=${PYTHON:-python3}

_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) and sys.prefix == sys.base_prefix else 1)'; then
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv 2>/dev/null || {
      _as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv .venv
    }
  fi
  PYTHON=.venv/bin/python
fi

"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$1"
