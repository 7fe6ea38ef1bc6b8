#!/bin/sh
# deps-browser.sh — the browser tests' driver: puppeteer-core (pinned in
# tests/browser/package-lock.json) into tests/browser/node_modules, when the
# system's chromium and node with npm are there and it is not installed yet.
# It drives Debian's chromium; it downloads no browser.
dir=$(dirname "$0")/../browser
command -v chromium > /dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || exit 0
[ -d "$dir/node_modules/puppeteer-core" ] && exit 0
if ! command -v npm > /dev/null 2>&1; then
	echo "deps: no npm: the browser tests (tests/cli/99-serve-browser.bats) will be skipped" >&2
	exit 0
fi
echo "deps: installing puppeteer-core in tests/browser/" >&2
cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
