"""The meeting engine's DER on the AMI excerpts, each also shifted in time, to compare settings fairly.

    .venv/bin/python bench/diarization_shifts.py [--steps 5 2.5 2] [--onsets 0.2 0.3 none] [--read 1.0] [--piece 3.0]
        [--shifts 0 0.7 1.4 2.1]

On a 30 s clip, where the 10 s chunks fall decides much: one clip's DER moves by up to 20 points
when silence is put before it. So each setting is scored on every clip of ../shared/data/ami_dev
and on the two shared two-person recordings, each with ``--shifts`` seconds of silence put before
it (the reference moved alike), and the mean over all of them is the figure to compare. Audio
only (no words), no collar, overlap scored (bench/speaker_scoring.py). Prints per clip the mean
DER and its spread over the shifts, the share of runs whose speaker count is within one, and the
mean over the nine AMI clips, with its floor: the missed speech and false alarm alone, which is the
DER every speaker label right would leave (what the segmentation model heard, and how many at once,
is what limits it; only the step and the onset change it).
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
    parser.add_argument("--onsets", nargs="+", default=[str(VoicePipelineOptions().onset)], help="a number, or none")
    parser.add_argument("--read", type=float, default=VoicePipelineOptions().read_seconds)
    parser.add_argument("--piece", type=float, default=VoicePipelineOptions().piece_seconds)
    parser.add_argument("--shifts", nargs="+", type=float, default=[0.0, 0.7, 1.4, 2.1])
    args = parser.parse_args()
    clips = [(f"ami_dev/{c}.wav", f"ami_dev/{c}.rttm") for c in AMI_CLIPS] + [(w, r) for w, r, _ in RECORDINGS]
    settings = [(step, None if o.lower() == "none" else float(o)) for step in args.steps for o in args.onsets]
    for step, onset in settings:
        options = VoicePipelineOptions(step, onset, read_seconds=args.read, piece_seconds=args.piece)
        tag = f"step {step:g} s onset {onset}"
        ami_means, floors = [], []
        for wav, rttm in clips:
            audio, reference = decode_audio(str(SHARED / wav)), read_rttm(SHARED / rttm)
            true = len({s for _, _, s in reference})
            rates, counted, detection = [], [], []
            for shift in args.shifts:
                silence = np.zeros(round(shift * 16000), dtype=np.float32)
                result = diarize_by_voices(np.concatenate([silence, audio]), [], options=options)
                hypothesis = [(t.start - shift, t.end - shift, t.speaker) for t in result.turns]
                score = der(reference, hypothesis)
                rates.append(score.rate)
                detection.append((score.missed + score.false_alarm) / score.total)
                counted.append(abs(len(result.speakers) - true) <= 1)
            if wav.startswith("ami_dev/"):
                ami_means.append(statistics.mean(rates))
                floors.append(statistics.mean(detection))
            print(
                f"{tag}  {Path(wav).stem:18s} DER {statistics.mean(rates):6.1%} ± {statistics.pstdev(rates):5.1%}"
                f" (missed + false alarm {statistics.mean(detection):6.1%}) | count within one in"
                f" {sum(counted)}/{len(counted)}",
                flush=True,
            )
        print(
            f"{tag}  mean DER over {len(ami_means)} AMI clips x {len(args.shifts)} shifts: "
            f"{statistics.mean(ami_means):.1%}; with every label right: {statistics.mean(floors):.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main()
