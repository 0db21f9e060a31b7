"""Export Resemblyzer's GE2E speaker encoder to a NumPy ``.npz``, and write the parity fixture.

Run once, in a separate environment that has torch (never the app's own venv)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 'setuptools<81' resemblyzer
    /tmp/torchenv/bin/python scripts/export_ge2e.py

Writes ``models/ge2e_encoder.npz`` (float32 weights, LSTM biases summed, matrices transposed for
``x @ W``) and ``tests/fixtures/ge2e_reference.npz``: reference embeddings from Resemblyzer's torch
encoder for fixed windows of ``../shared/data/pyannote_sample.wav`` (sample ranges, one window's mel
frames, the embeddings), so ``speaker_encoder.py`` can be checked against torch without torch.
"""

from __future__ import annotations

import argparse
import hashlib
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WAV = ROOT.parent / "shared" / "data" / "pyannote_sample.wav"
# Window starts (seconds) and length (samples) of the parity windows: both speakers, a turn change.
PARITY_STARTS_S = (6.7, 9.0, 11.0, 15.0, 19.5, 22.5, 28.0)
PARITY_LENGTHS = (24000, 24000, 24000, 25600, 24000, 8000, 24000)
NUM_LAYERS = 3


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_weights(checkpoint: Path, out: Path) -> None:
    import torch

    state = torch.load(checkpoint, map_location="cpu")["model_state"]
    arrays: dict[str, np.ndarray] = {}
    for layer in range(NUM_LAYERS):
        w_ih = state[f"lstm.weight_ih_l{layer}"].numpy()
        w_hh = state[f"lstm.weight_hh_l{layer}"].numpy()
        bias = state[f"lstm.bias_ih_l{layer}"].numpy() + state[f"lstm.bias_hh_l{layer}"].numpy()
        arrays[f"lstm{layer}_w_ih"] = np.ascontiguousarray(w_ih.T, dtype=np.float32)
        arrays[f"lstm{layer}_w_hh"] = np.ascontiguousarray(w_hh.T, dtype=np.float32)
        arrays[f"lstm{layer}_bias"] = bias.astype(np.float32)
    arrays["linear_w"] = np.ascontiguousarray(state["linear.weight"].numpy().T, dtype=np.float32)
    arrays["linear_b"] = state["linear.bias"].numpy().astype(np.float32)
    arrays["source_sha256"] = np.array(sha256_of(checkpoint))
    arrays["format"] = np.array(1)
    np.savez(out, **arrays)  # type: ignore[arg-type]


def read_pcm16(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1 or w.getframerate() != 16000:
            raise SystemExit(f"{path}: expected 16 kHz mono 16-bit PCM")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0


def write_fixture(out: Path) -> None:
    import torch
    from resemblyzer import VoiceEncoder, audio

    encoder = VoiceEncoder(device="cpu", verbose=False)
    wav = read_pcm16(SAMPLE_WAV)
    starts = np.array([round(s * 16000) for s in PARITY_STARTS_S], dtype=np.int64)
    lengths = np.array(PARITY_LENGTHS, dtype=np.int64)
    embeddings, sums, first_mel = [], [], None
    for start, length in zip(starts, lengths, strict=True):
        window = wav[start : start + length]
        mel = audio.wav_to_mel_spectrogram(window)
        first_mel = mel if first_mel is None else first_mel
        with torch.no_grad():
            embeddings.append(encoder(torch.from_numpy(mel[None])).numpy()[0])
        sums.append(float(np.sum(np.abs(window), dtype=np.float64)))
    np.savez_compressed(
        out,
        window_starts=starts,
        window_lengths=lengths,
        window_abs_sums=np.array(sums),
        embeddings=np.array(embeddings, dtype=np.float32),
        first_window_mel=first_mel.astype(np.float32),
        wav_sha256=np.array(sha256_of(SAMPLE_WAV)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, help="pretrained.pt (default: the installed resemblyzer's)")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "ge2e_encoder.npz")
    parser.add_argument("--fixture", type=Path, default=ROOT / "tests" / "fixtures" / "ge2e_reference.npz")
    args = parser.parse_args()
    checkpoint = args.checkpoint
    if checkpoint is None:
        import resemblyzer

        checkpoint = Path(resemblyzer.__file__).parent / "pretrained.pt"
    export_weights(checkpoint, args.out)
    write_fixture(args.fixture)
    print(f"{args.out}: sha256 {sha256_of(args.out)} (from {checkpoint}, sha256 {sha256_of(checkpoint)})")
    print(f"{args.fixture}: {args.fixture.stat().st_size} bytes")


if __name__ == "__main__":
    main()
