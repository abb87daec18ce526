#!/usr/bin/env bash
# Debian's chromium and chromium-driver for the console's browser test (tests/e2e/test_console_browser.py).
# Idempotent: does nothing when both are installed; otherwise apt-get as root (CI and developers' machines are root).
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "chromium and chromium-driver are missing: install them as root (apt-get install chromium chromium-driver)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
