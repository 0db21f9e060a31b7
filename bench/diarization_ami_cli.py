"""DER and speaker count on the AMI meeting excerpts, through the CLI as a researcher runs it.

    .venv/bin/python bench/diarization_ami_cli.py [--model base] [--clips dev00 trn01 ...]

For each clip of ../shared/data/ami_dev (30 s, 2-4 speakers, reference RTTM beside it) and the two
shared recordings with references: a new study, ``transcribe --model base --language en --speakers
auto`` (``--meeting``: the meeting engine), ``export --format rttm``, scored against the reference with bench/speaker_scoring.py (no
collar, overlap scored, one recording per file scored under the reference's id). Prints DER with
its parts, speakers found / true, and the mean DER over the AMI clips.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def _run_clip(wav: Path, model: str, folder: Path, meeting: bool) -> Path:
    from desktop_app.cli import run

    study = folder / f"{wav.stem}.verbatim"
    out = folder / f"{wav.stem}.rttm"
    with contextlib.redirect_stdout(io.StringIO()):
        assert run(["new", str(study)]) == 0
        assert run(["import", str(study), str(wav)]) == 0
        engine = ["--meeting"] if meeting else []
        command = ["transcribe", str(study), "--all", "--model", model, "--language", "en", "--speakers", "auto"]
        code = run(command + engine)
        if code != 0:
            raise SystemExit(f"{wav.name}: transcribe exited {code}")
        assert run(["export", str(study), "1", "--format", "rttm", "-o", str(out)]) == 0
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.diarization_der import AMI_CLIPS
    from bench.speaker_scoring import der, read_rttm

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    parser.add_argument("--clips", nargs="*", default=AMI_CLIPS)
    parser.add_argument("--meeting", action="store_true", help="transcribe --meeting (segmentation + CAM++)")
    args = parser.parse_args()
    cases = [(DATA / "ami_dev" / f"{c}.wav", DATA / "ami_dev" / f"{c}.rttm") for c in args.clips]
    cases += [(DATA / "pyannote_sample.wav", DATA / "pyannote_sample.rttm")]
    cases += [(DATA / "ami_ES2003b_0-30s.wav", DATA / "ami_ES2003b_0-30s.rttm")]
    rates = []
    with tempfile.TemporaryDirectory() as folder:
        for wav, rttm in cases:
            hypothesis = read_rttm(_run_clip(wav, args.model, Path(folder), args.meeting))
            reference = read_rttm(rttm)
            score = der(reference, hypothesis)
            found, true = len({s for _, _, s in hypothesis}), len({s for _, _, s in reference})
            if wav.parent.name == "ami_dev":
                rates.append(score.rate)
            print(f"{wav.stem:20s} {score} | speakers {found}/{true}", flush=True)
    if rates:
        print(f"mean DER over {len(rates)} AMI clips: {sum(rates) / len(rates):.1%}")


if __name__ == "__main__":
    main()
