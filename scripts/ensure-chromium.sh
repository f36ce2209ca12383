#!/usr/bin/env bash
# Makes sure Debian's chromium package is installed for the studio's browser tests
# (playwright-core drives /usr/bin/chromium; no browser is downloaded). Installs it with apt-get
# when missing; does nothing when it is there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
echo "Installing chromium from Debian..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
