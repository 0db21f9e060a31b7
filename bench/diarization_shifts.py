"""The meeting engine's DER on the AMI excerpts, each also shifted in time, to compare settings fairly.

    .venv/bin/python bench/diarization_shifts.py [--steps 5 2.5 2] [--read 1.0] [--piece 3.0] [--shifts 0 0.7 1.4 2.1]

On a 30 s clip, where the 10 s chunks fall decides much: one clip's DER moves by up to 20 points
when silence is put before it. So each setting is scored on every clip of ../shared/data/ami_dev
and on the two shared two-person recordings, each with ``--shifts`` seconds of silence put before
it (the reference moved alike), and the mean over all of them is the figure to compare. Audio
only (no words), no collar, overlap scored (bench/speaker_scoring.py). Prints per clip the mean
DER and its spread over the shifts, the share of runs whose speaker count is within one, and the
mean over the nine AMI clips.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np
    from faster_whisper import decode_audio

    from bench.diarization_der import AMI_CLIPS, RECORDINGS
    from bench.speaker_scoring import der, read_rttm
    from desktop_app.pipeline.speakers.voice_diarization import VoicePipelineOptions, diarize_by_voices

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", nargs="+", type=float, default=[VoicePipelineOptions().step_seconds])
    parser.add_argument("--read", type=float, default=VoicePipelineOptions().read_seconds)
    parser.add_argument("--piece", type=float, default=VoicePipelineOptions().piece_seconds)
    parser.add_argument("--shifts", nargs="+", type=float, default=[0.0, 0.7, 1.4, 2.1])
    args = parser.parse_args()
    clips = [(f"ami_dev/{c}.wav", f"ami_dev/{c}.rttm") for c in AMI_CLIPS] + [(w, r) for w, r, _ in RECORDINGS]
    for step in args.steps:
        options = VoicePipelineOptions(step_seconds=step, read_seconds=args.read, piece_seconds=args.piece)
        ami_means = []
        for wav, rttm in clips:
            audio, reference = decode_audio(str(SHARED / wav)), read_rttm(SHARED / rttm)
            true = len({s for _, _, s in reference})
            rates, counted = [], []
            for shift in args.shifts:
                silence = np.zeros(round(shift * 16000), dtype=np.float32)
                result = diarize_by_voices(np.concatenate([silence, audio]), [], options=options)
                hypothesis = [(t.start - shift, t.end - shift, t.speaker) for t in result.turns]
                rates.append(der(reference, hypothesis).rate)
                counted.append(abs(len(result.speakers) - true) <= 1)
            if wav.startswith("ami_dev/"):
                ami_means.append(statistics.mean(rates))
            print(
                f"step {step:g} s  {Path(wav).stem:18s} DER {statistics.mean(rates):6.1%} ± {statistics.pstdev(rates):5.1%}"
                f" | count within one in {sum(counted)}/{len(counted)}",
                flush=True,
            )
        print(
            f"step {step:g} s  mean DER over {len(ami_means)} AMI clips x {len(args.shifts)} shifts: "
            f"{statistics.mean(ami_means):.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main()
