#!/usr/bin/env bash
# Installs everything the build, the tests and the local stack need, from
# Debian's archive and the npm registry only. Idempotent: packages already
# present are skipped by apt; npm packages are pinned in tools/package.json.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential autoconf automake libtool pkg-config
  libfcgi-dev libfcgi-bin spawn-fcgi nginx
  libsecp256k1-dev libssl-dev libcurl4-openssl-dev libcjson-dev
  libsqlite3-dev sqlite3 libcmocka-dev
  clang lld libclang-rt-14-dev valgrind
  gcc-riscv64-unknown-elf qemu-user
  curl jq openssl ca-certificates python3
  wrk hyperfine clang-format
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm: CI images usually ship them; Debian's nodejs/npm only
# when none is present (they conflict with a preinstalled node).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm tools (anvil, cast, forge, solc) for the contracts and chain tests.
if [ -f tools/package.json ]; then
  if [ ! -d tools/node_modules ] || [ tools/package.json -nt tools/node_modules ]; then
    (cd tools && npm install --no-audit --no-fund --loglevel=error)
    touch tools/node_modules
  fi
fi
