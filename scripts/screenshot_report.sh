#!/usr/bin/env bash
# Open an lsh HTML report in headless Chromium and save a screenshot of it, to see the charts and
# tables as a reader does. Run by hand (it is not part of the test command):
#
#     bash scripts/screenshot_report.sh [OUT.png]      # default: docs/report-screenshot.png
#
# It installs Chromium from the system packages if it is missing (Debian: apt-get, as root), makes
# the report on the bundled data with this checkout's lsh (.venv, as the README's set-up makes it)
# in a throw-away store, and takes the screenshot with no network.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/report-screenshot.png}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    browser=$(command -v chromium)
fi
lsh=.venv/bin/lsh
[ -x "$lsh" ] || lsh=lsh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
LSH_STORE="$work/store.sqlite3" "$lsh" report topsector pwc2017 pwc2019 --year 2016 -o "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
    --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
mkdir -p "$(dirname "$out")"
cp "$work/shot.png" "$out"
echo "wrote $out" >&2
