"""The DER scorer shared by the benches and the tests, on hand-made RTTMs with known answers."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from bench import der as der_cli
from bench.speaker_scoring import (
    best_mapping,
    der,
    der_files,
    read_rttm,
    read_rttm_files,
    word_accuracy,
)
from desktop_app.core.errors import VerbatimError

REFERENCE = [(0.0, 4.0, "A"), (4.0, 8.0, "B")]


def _rttm(path: Path, turns: list[tuple[str, float, float, str]]) -> Path:
    lines = [";; comment lines and other record types are skipped", "SPKR-INFO rec 1 <NA> <NA> <NA> unknown A <NA>"]
    lines += [f"SPEAKER {f} 1 {a:.3f} {b - a:.3f} <NA> <NA> {s} <NA> <NA>" for f, a, b, s in turns]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_perfect_hypothesis_scores_zero_whatever_the_names() -> None:
    assert der(REFERENCE, [(0.0, 4.0, "x"), (4.0, 8.0, "y")]).rate == 0.0


def test_one_speaker_for_all_is_half_confusion() -> None:
    score = der(REFERENCE, [(0.0, 8.0, "x")])
    assert score.rate == pytest.approx(0.5)
    assert score.confusion == pytest.approx(4.0) and score.missed == 0.0 and score.false_alarm == 0.0


def test_missed_speech_and_false_alarm() -> None:
    missed = der(REFERENCE, [(0.0, 4.0, "x")])
    assert missed.rate == pytest.approx(0.5) and missed.missed == pytest.approx(4.0)
    extra = der(REFERENCE, [(0.0, 4.0, "x"), (4.0, 8.0, "y"), (9.0, 10.0, "y")])
    assert extra.false_alarm == pytest.approx(1.0) and extra.rate == pytest.approx(1 / 8)


def test_a_turn_starting_before_zero_is_scored_from_zero() -> None:
    # a bench that puts silence before a clip shifts the turns back: the first may start before 0
    early = der(REFERENCE, [(-0.2, 4.0, "x"), (4.0, 8.0, "y")])
    assert early.rate == 0.0 and early.total == pytest.approx(8.0)
    assert der(REFERENCE, [(-1.0, -0.5, "z"), (0.0, 4.0, "x"), (4.0, 8.0, "y")]).rate == 0.0


def test_late_change_is_confusion_and_the_collar_forgives_it() -> None:
    late = [(0.0, 4.2, "x"), (4.2, 8.0, "y")]
    score = der(REFERENCE, late)
    assert score.confusion == pytest.approx(0.2) and score.rate == pytest.approx(0.025)
    assert der(REFERENCE, late, collar=0.25).rate == 0.0
    assert der(REFERENCE, [(0.0, 4.5, "x"), (4.5, 8.0, "y")], collar=0.25).confusion == pytest.approx(0.25)


def test_overlap_counts_once_per_speaker() -> None:
    overlap = [(0.0, 4.0, "A"), (3.0, 5.0, "B")]
    score = der(overlap, [(0.0, 4.0, "x"), (4.0, 5.0, "y")])
    assert score.total == pytest.approx(6.0)
    assert score.missed == pytest.approx(1.0) and score.confusion == 0.0


def test_mapping_is_the_best_one_to_one_not_the_greedy_one() -> None:
    # greedy: x->A (4 s) leaves y nothing to map to, 7 s right; best: x->B, y->A, z->C, 4 + 1 + 3 = 8 s right
    reference = [(0.0, 5.0, "A"), (5.0, 9.0, "B"), (9.0, 12.0, "C")]
    hypothesis = [(0.0, 1.0, "y"), (1.0, 5.0, "x"), (5.0, 9.0, "x"), (9.0, 12.0, "z")]
    score = der(reference, hypothesis)
    assert score.confusion == pytest.approx(12.0 - 8.0)


def test_hungarian_mapping_matches_exhaustive_search() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        rows, cols = (int(n) for n in rng.integers(0, 6, 2))
        overlap = rng.integers(0, 50, (rows, cols)).astype(float)
        pairs = best_mapping(overlap)
        assert len(pairs) == min(rows, cols) == len({r for r, _ in pairs}) == len({c for _, c in pairs})
        if rows <= cols:
            maps = (list(enumerate(p)) for p in itertools.permutations(range(cols), rows))
        else:
            maps = ([(r, c) for c, r in enumerate(p)] for p in itertools.permutations(range(rows), cols))
        best = max((sum(overlap[r, c] for r, c in m) for m in maps), default=0.0)
        assert sum(overlap[r, c] for r, c in pairs) == pytest.approx(best)


def test_rttm_files_are_read_per_recording_and_summed(tmp_path: Path) -> None:
    ref = _rttm(tmp_path / "ref.rttm", [("one", 0.0, 4.0, "A"), ("one", 4.0, 8.0, "B"), ("two", 0.0, 2.0, "C")])
    hyp = _rttm(tmp_path / "hyp.rttm", [("one", 0.0, 8.0, "S1"), ("two", 0.0, 2.0, "S1")])
    files = read_rttm_files(ref)
    assert sorted(files) == ["one", "two"] and files["two"] == [(0.0, 2.0, "C")]
    assert len(read_rttm(ref)) == 3
    # "S1" in recording two is another recording's speaker: scored on its own, it is right there
    score = der_files(files, read_rttm_files(hyp))
    assert score.total == pytest.approx(10.0) and score.confusion == pytest.approx(4.0)
    assert der_files(files, {}).missed == pytest.approx(10.0)


def test_bad_rttm_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rttm"
    bad.write_text("SPEAKER rec 1 0.0 1.0 <NA> <NA> A <NA> <NA>\nSPEAKER rec 1 zero 1.0 <NA> <NA> B <NA> <NA>\n")
    with pytest.raises(VerbatimError, match=r"bad\.rttm: line 2 is not an RTTM SPEAKER line"):
        read_rttm(bad)
    bad.write_text("SPEAKER rec 1 2.0 -1.0 <NA> <NA> A <NA> <NA>\n")
    with pytest.raises(VerbatimError, match="negative"):
        read_rttm(bad)
    with pytest.raises(VerbatimError, match="missing.rttm"):
        read_rttm(tmp_path / "missing.rttm")


def test_words_on_the_right_speaker_after_the_best_mapping() -> None:
    words = [(0.5, 0.9, "S2"), (1.0, 1.4, "S2"), (4.5, 4.9, "S1"), (5.0, 5.4, "S2"), (9.0, 9.5, "S1")]
    assert word_accuracy(words, REFERENCE) == pytest.approx(3 / 4)  # the word at 9 s is under no reference
    assert word_accuracy([], REFERENCE) == 0.0


def test_der_command_prints_both_collars_and_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = _rttm(tmp_path / "ref.rttm", [("rec", 0.0, 4.0, "A"), ("rec", 4.0, 8.0, "B")])
    hyp = _rttm(tmp_path / "hyp.rttm", [("rec", 0.0, 4.2, "x"), ("rec", 4.2, 8.0, "y")])
    assert der_cli.main([str(hyp), str(ref)]) == 0
    no_collar, collar = capsys.readouterr().out.splitlines()
    assert no_collar.startswith("no collar") and "DER  2.5%" in no_collar and "confusion 0.20 s" in no_collar
    assert collar.startswith("collar 0.25 s") and "DER  0.0%" in collar
    assert der_cli.main([str(hyp), str(ref), "--collar", "0.1"]) == 0
    tight = capsys.readouterr().out.splitlines()[1]
    assert tight.startswith("collar 0.1 s") and "DER  1.3%" in tight  # 0.1 s confused of 7.6 s scored
    (tmp_path / "empty.rttm").write_text("")
    assert der_cli.main([str(hyp), str(tmp_path / "empty.rttm")]) == 2
    assert "no SPEAKER lines" in capsys.readouterr().err
    assert der_cli.main([str(tmp_path / "nope.rttm"), str(ref)]) == 2
    assert "nope.rttm" in capsys.readouterr().err


def test_der_command_scores_one_recording_against_one_under_another_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = _rttm(tmp_path / "ref.rttm", [("sample", 0.0, 4.0, "A"), ("sample", 4.0, 8.0, "B")])
    hyp = _rttm(tmp_path / "hyp.rttm", [("pyannote_sample", 0.0, 4.2, "S1"), ("pyannote_sample", 4.2, 8.0, "S2")])
    assert der_cli.main([str(hyp), str(ref)]) == 0
    named, no_collar, _ = capsys.readouterr().out.splitlines()
    assert named == "one recording in each file: 'pyannote_sample' scored as 'sample'"
    assert "DER  2.5%" in no_collar
