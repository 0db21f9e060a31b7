#!/usr/bin/env bash
# Build the one-folder bundle dist/Verbatim/, archive it, and run its self-test.
# Usage: bash scripts/build_bundle.sh [--with-model NAME] [--no-downloads]
#   (needs ./.venv from scripts/install.sh; installs PyInstaller)
#   --with-model NAME  also bundle model NAME from this machine's models folder (first
#                      'verbatim models download NAME' or 'verbatim models import FOLDER'); every
#                      file is re-hashed against its pins, and the self-test transcribes with it
#   --no-downloads     an installer for sites that must never go online: model downloading is
#                      removed (only "Add model from folder…" remains)
set -euo pipefail
cd "$(dirname "$0")/.."

with_model=""
while [ $# -gt 0 ]; do
    case "$1" in
        --with-model) [ $# -ge 2 ] || { echo "build_bundle: --with-model needs a NAME" >&2; exit 2; }
                      with_model="$2"; shift 2 ;;
        --no-downloads) export VERBATIM_BUNDLE_NO_DOWNLOADS=1; shift ;;
        *) echo "build_bundle: unknown option $1 (use --with-model NAME, --no-downloads)" >&2; exit 2 ;;
    esac
done
export VERBATIM_BUNDLE_MODEL="$with_model"

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
if [ -n "$with_model" ]; then
    QT_QPA_PLATFORM=offscreen VERBATIM_MODELS_DIR="$scratch/models" VERBATIM_CONFIG_DIR="$scratch/settings" \
        "$program" --self-test --model "$with_model"
fi
tested=$(date +%s)

echo
echo "Bundle:   dist/Verbatim  $(du -sh dist/Verbatim | cut -f1)"
echo "Archive:  $archive  $(du -sh "$archive" | cut -f1)"
echo "Times:    build $((built - started)) s, archive $((archived - built)) s, self-test $((tested - archived)) s"
