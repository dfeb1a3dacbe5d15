#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: a venv in .venv with daiban installed (idempotent).
# Usage: scripts/setup.sh [dev]   — "dev" also installs the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3.11 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ "${1:-}" = dev ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  command -v libreoffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
  command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
  command -v pg_dump >/dev/null 2>&1 || need_apt+=(postgresql-client)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extra=""; [ "${1:-}" = dev ] && extra="[dev]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> pip install -e .${extra}"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -e ".${extra}"
  touch "$stamp"
fi
