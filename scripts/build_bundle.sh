#!/usr/bin/env bash
# Build the one-folder bundle dist/Verbatim/, archive it, and run its self-test.
# Usage: bash scripts/build_bundle.sh   (needs ./.venv from scripts/install.sh; installs PyInstaller)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
[ -x "$PY" ] || { echo "build_bundle: run 'bash scripts/install.sh' first (no .venv)" >&2; exit 2; }
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q "pyinstaller>=6.10"

case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=macos ;;
    MINGW* | MSYS* | CYGWIN*) platform=windows ;;
    *) platform=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
esac
archive="dist/Verbatim-${platform}-$(uname -m).tar.gz"

started=$(date +%s)
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
built=$(date +%s)

tar -C dist -czf "$archive" Verbatim
archived=$(date +%s)

# The self-test runs the bundle as a user would: offline, no window, fresh settings and models folders.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
program=dist/Verbatim/Verbatim
[ -x dist/Verbatim/verbatim-cli ] && program=dist/Verbatim/verbatim-cli
QT_QPA_PLATFORM=offscreen VERBATIM_MODELS_DIR="$scratch/models" VERBATIM_CONFIG_DIR="$scratch/settings" \
    "$program" --self-test
tested=$(date +%s)

echo
echo "Bundle:   dist/Verbatim  $(du -sh dist/Verbatim | cut -f1)"
echo "Archive:  $archive  $(du -sh "$archive" | cut -f1)"
echo "Times:    build $((built - started)) s, archive $((archived - built)) s, self-test $((tested - archived)) s"
