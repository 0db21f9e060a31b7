#!/usr/bin/env bash
# Regenerate the bundled sample recording: a short two-voice interview spoken by espeak-ng, joined
# with sox into 16 kHz mono Ogg Vorbis. Run from anywhere; needs espeak-ng and sox.
# The turns (speaker, text) also live in sample-interview.json, which the self-test checks against.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

turns=(
    "en-us+m3|Thank you for joining us today. Can you tell me about your work at the community garden?"
    "en-gb+f4|Of course. I started as a volunteer three years ago, and now I coordinate the weekend teams."
    "en-us+m3|What has changed for the neighbours since the garden opened?"
    "en-gb+f4|People talk to each other more. Older residents teach the children how to grow vegetables."
)
parts=()
i=0
sox -n -r 16000 -c 1 -b 16 "$work/lead.wav" trim 0 0.5
parts+=("$work/lead.wav")
for turn in "${turns[@]}"; do
    voice=${turn%%|*}
    text=${turn#*|}
    espeak-ng -v "$voice" -s 150 -w "$work/raw$i.wav" "$text"
    sox "$work/raw$i.wav" -r 16000 -c 1 -b 16 "$work/turn$i.wav" pad 0 0.8
    parts+=("$work/turn$i.wav")
    i=$((i + 1))
done
sox "${parts[@]}" -C 3 sample-interview.ogg
soxi -D sample-interview.ogg
