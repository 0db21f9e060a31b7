#!/usr/bin/env bash
# Install Verbatim into ./.venv: system libraries Qt needs (Debian/Ubuntu), then the package with its
# bundled offline models. Pass --test to add the test tools and the speech-fixture programs.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
apt_packages=(python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-image0
    libxcb-render-util0 libglib2.0-0 libpulse0)
if [ "${1:-}" = "--test" ]; then
    extras="[test,cluster]"
    apt_packages+=(espeak-ng sox)
fi

if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
