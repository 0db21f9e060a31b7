from __future__ import annotations

from desktop_app.pipeline.asr_options import TranscriptionOptions, available_cores


def test_options_round_trip_through_a_dict() -> None:
    options = TranscriptionOptions(model="tiny.en", language="sv", glossary=["Lund", "peer support worker"])
    data = options.to_dict()
    assert data["model"] == "tiny.en" and data["condition_on_previous_text"] is False
    assert TranscriptionOptions.from_dict(data | {"from_a_future_version": 1}) == options


def test_defaults_guard_against_hallucination_loops() -> None:
    o = TranscriptionOptions()
    assert o.model == "base" and o.language == "auto" and o.device == "auto"
    assert not o.condition_on_previous_text
    assert o.hallucination_silence_threshold and o.compression_ratio_threshold and o.log_prob_threshold
    assert available_cores() >= 1


def test_glossary_feeds_hotwords_and_prompt_and_fillers_use_a_disfluent_prompt() -> None:
    assert TranscriptionOptions().initial_prompt("en") is None and TranscriptionOptions().hotwords() is None
    o = TranscriptionOptions(glossary=["Aroha", "Ngāti Porou"], keep_fillers=True)
    assert o.hotwords() == "Aroha, Ngāti Porou"
    english, swedish = o.initial_prompt("en") or "", o.initial_prompt("sv") or ""
    assert "Um" in english and "Aroha, Ngāti Porou." in english
    assert "Öh" in swedish
    assert "Um" in (o.initial_prompt("xx") or ""), "unknown languages fall back to the English prompt"
