#!/usr/bin/env bash
# Makes sure the real browsers the tests drive, and the servers whose config the fix snippets must
# pass (nginx, Caddy, Apache httpd), are installed.
# As root with apt-get it installs Debian's packages; otherwise it says in one line what to install.
set -euo pipefail
packages=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || packages+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || [ -x /usr/bin/firefox-esr ] || packages+=(firefox-esr)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
command -v caddy >/dev/null 2>&1 || [ -x /usr/bin/caddy ] || packages+=(caddy)
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || packages+=(apache2)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${packages[*]} with apt-get (needed by the real-browser tests)..."
  export DEBIAN_FRONTEND=noninteractive
  # The tests start their own servers on free ports: keep the packages' services from starting on :80.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  exit 0
fi
echo "The tests need real browsers: install them with 'sudo apt-get install ${packages[*]}' and run npm test again." >&2
exit 1
