"""Percentage agreement and Cohen's kappa: NVivo's worked example, a textbook kappa, and a real study."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.services.analysis import intercoder_service as ic
from tests.fixtures.analysis_study import code_text, make_analysis_study


def test_nvivo_worked_example_85_percent() -> None:
    # NVivo help, "Run a coding comparison query": a 1,000-character source; 50 characters coded by
    # both users, 150 by only one of them, 800 by neither -> agreement (50 + 800) / 1000 = 85 %.
    stats = ic.compare_intervals(1000, [(0, 150)], [(100, 200)])
    assert (stats.both, stats.only_a + stats.only_b, stats.neither) == (50, 150, 800)
    assert stats.agreement == pytest.approx(0.85)
    # A codes 150, B codes 100: pe = 0.15 * 0.10 + 0.85 * 0.90 = 0.78; kappa = (0.85 - 0.78) / 0.22
    assert stats.kappa == pytest.approx(0.07 / 0.22)


def test_textbook_kappa_example() -> None:
    # Cohen's kappa, as in the standard textbook/Wikipedia example: 50 units; both yes 20, both no 15,
    # A yes / B no 5, A no / B yes 10: po = 0.70, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50, kappa = 0.40.
    stats = ic.AgreementStats(total=50, both=20, only_a=5, only_b=10)
    assert stats.neither == 15
    assert stats.agreement == pytest.approx(0.70)
    assert stats.kappa == pytest.approx(0.40)


def test_edge_cases_of_kappa() -> None:
    assert ic.AgreementStats(100, 0, 0, 0).kappa == 1.0, "neither coder used the code"
    assert ic.AgreementStats(100, 100, 0, 0).kappa == 1.0, "both coded everything"
    assert ic.AgreementStats(100, 0, 50, 50).kappa == pytest.approx(-1.0)
    assert ic.union_length([(0, 10), (5, 15), (20, 25), (30, 30)]) == 20


def test_compare_two_coders_on_a_study(tmp_path: Path) -> None:
    study = make_analysis_study(tmp_path)
    base, codes = study.base, study.codes
    psw = base.documents[0]
    code_text(base, psw, 1, "felt alone on the night shift", codes["Isolation"], coder="AB")
    code_text(base, psw, 1, "alone on the night shift, nobody to call.", codes["Isolation"], coder="CD")
    code_text(base, psw, 3, "Peer support made the difference", codes["Peer support"], coder="CD")
    report = ic.compare_coders(study.store, "AB", "CD")
    assert report.documents == ["PSW 5 interview"]
    turns = study.store.db.execute("SELECT text FROM segments WHERE document_id = ?", [psw]).fetchall()
    total = sum(len(text) for (text,) in turns)
    rows = {r.code.name: r.stats for r in report.by_code}
    isolation = rows["Isolation"]
    assert isolation.total == total
    assert isolation.both == len("alone on the night shift")
    assert (isolation.only_a, isolation.only_b) == (len("felt "), len(", nobody to call."))
    assert 0 < isolation.kappa < isolation.agreement < 1
    peer = rows["Peer support"]
    assert (peer.both, peer.only_a, peer.only_b) == (0, 0, len("Peer support made the difference"))
    assert peer.kappa == pytest.approx(0.0)
    assert report.by_code[0].code.name == "Isolation" and report.to_json()["coders"] == ["AB", "CD"]
    with pytest.raises(VerbatimError, match="no document coded by both 'AB' and 'XY'"):
        ic.compare_coders(study.store, "AB", "XY")
