#!/usr/bin/env bash
# Sets a fresh machine up for this project: Debian packages (apt) the real editor needs, then
# exactly what the lockfile says (npm). Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# build-essential, python3, pkg-config, libkrb5-dev: code-server's native modules compile on
# first use (kerberos needs gssapi headers); chromium: the UI tests drive Debian's build.
apt_packages=(build-essential python3 pkg-config libkrb5-dev chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "apt: ${apt_packages[*]} already installed"
fi

npm ci --no-audit --no-fund
