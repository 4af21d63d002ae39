#!/usr/bin/env bash
# Extracts every text of the console into one catalogue template for translators:
# services/console/src/shvya_console/locale/messages.pot (or the file given as $1).
set -euo pipefail
cd "$(dirname "$0")/../services/console"
out="${1:-src/shvya_console/locale/messages.pot}"
../../.venv/bin/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header \
  -k _ -k ngettext:1,2 -o "$out" src/shvya_console
