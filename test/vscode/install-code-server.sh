#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest on Node 20) into an ignored cache folder, offline:
# only the npm registry and Debian packages are reachable. See the testing guide for why each step is needed.
# Usage: test/vscode/install-code-server.sh [dir]   (default .cache/code-server; prints the folder when done)
set -euo pipefail
cd "$(dirname "$0")/../.."
CS="${1:-${TCEOPS_CODE_SERVER_DIR:-$PWD/.cache/code-server}}"
VERSION=4.100.3
if [ -x "$CS/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$VERSION\"" "$CS/node_modules/code-server/package.json"; then
  echo "$CS"; exit 0
fi
for tool in chromium rg; do
  command -v "$tool" >/dev/null || { echo "install-code-server: $tool is missing; run: apt-get install -y chromium libkrb5-dev ripgrep" >&2; exit 1; }
done
[ -f /usr/include/gssapi.h ] || [ -f /usr/include/gssapi/gssapi.h ] || { echo "install-code-server: libkrb5-dev is missing (kerberos builds from source)" >&2; exit 1; }
mkdir -p "$CS/tmp/vscode-ripgrep-cache-1.15.11"
# @vscode/ripgrep downloads rg from GitHub unless this cache file exists: seed it with Debian's rg.
tar czf "$CS/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
echo '{"private":true}' > "$CS/package.json"
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which gives up without a TTY otherwise.
# --unsafe-perm: the postinstall scripts refuse to run as root without it.
(cd "$CS" && TMPDIR="$CS/tmp" npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund "code-server@$VERSION" >&2)
echo "$CS"
