#!/usr/bin/env bash
# Configures and builds into ./build (or $BUILD_DIR), passing extra
# arguments to configure. Reuses an existing configured tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
  "$top/configure" -q --enable-werror "$@"
fi
make -j"$(nproc)"
