"""The transcription bar's advice: which model for which language, from what is installed."""

from __future__ import annotations

from desktop_app.services.transcription.model_service import model_advice


def test_base_is_weak_outside_english_and_an_installed_larger_model_is_named() -> None:
    installed = ["tiny.en", "base", "small", "large-v3-turbo"]
    assert model_advice("sv", "base", "Swedish", installed) == "Swedish: base is weak; large-v3-turbo is installed"


def test_without_a_larger_model_the_advice_points_to_the_models_page() -> None:
    text = model_advice("de", "base", "German", ["tiny.en", "base"])
    assert text == "German: base is weak; a larger model does much better (Preferences ▸ Models)"


def test_an_english_only_model_for_another_language_is_flagged() -> None:
    assert model_advice("sw", "tiny.en", "Swahili", ["tiny.en", "base"]).startswith(
        "Swahili: tiny.en understands English only; use base"
    )


def test_no_advice_for_english_detection_or_a_large_model() -> None:
    assert model_advice("en", "base", "English", ["base"]) == ""
    assert model_advice("auto", "base", "Detect language", ["base"]) == ""
    assert model_advice("he", "large-v3", "Hebrew", ["large-v3"]) == ""


def test_installed_models_are_read_when_not_given() -> None:
    assert "base is weak" in model_advice("mr", "base", "Marathi")
