#!/usr/bin/env bash
# Makes sure the one browser the demo needs is installed. Unlike ensure-tools.sh it does not insist
# on Firefox, nginx, Caddy or Apache httpd: a person trying the demo should not need the test servers.
# As root with apt-get it installs Debian's chromium; otherwise it says in one line what to install.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH is $CHROMIUM_PATH, which is not an executable file." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium with apt-get (the demo runs the extension in it)..."
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null && [ -x "$chromium" ]; then
    exit 0
  fi
  echo "Could not install chromium with apt-get: install it yourself ('apt-get install chromium') or set CHROMIUM_PATH, then run npm run demo again." >&2
  exit 1
fi
echo "The demo needs Chromium: install it with 'sudo apt-get install chromium' (or set CHROMIUM_PATH to a Chromium binary) and run npm run demo again." >&2
exit 1
