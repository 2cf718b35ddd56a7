#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing. Idempotent.
set -euo pipefail
need=()
for pkg in $(cat "$(dirname "$0")/system-packages.txt" | grep -v '^#'); do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# npm fetches axe-core for the page audit; Node from another source may bring npm without Debian's package
command -v npm >/dev/null || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "missing system packages: ${need[*]} (install them as root)" >&2; exit 1
fi
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
echo "installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
