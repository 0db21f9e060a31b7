"""Hand-built transcript bundles for the export tests, including hostile content."""

from __future__ import annotations

from desktop_app.core.document import DocumentInfo, DocumentStatus, SpeakerInfo
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.formats.transcript_bundle import TranscriptBundle

MODEL = {"name": "tiny.en", "sha256": "a" * 64}

HOSTILE_TEXTS = [
    'Fish & chips <b>not bold</b> "quoted" it\'s 5 > 3 < 4 --> arrow',
    "Emoji 😀👩🏽‍🔬 and a flag 🇸🇪 stay whole",
    "שלום, מה שלומך היום?",  # Hebrew, right to left
    "مرحبا كيف حالك اليوم؟",  # Arabic, right to left
    "नमस्ते आप कैसे हैं।",  # Devanagari
]


def timed_words(text: str, start: float, speaker: str | None, step: float = 0.4) -> list[Word]:
    """One word per whitespace token, ``step`` seconds each with a small gap."""
    words = []
    t = start
    for token in text.split():
        words.append(Word(t, t + step - 0.05, token, 0.9, speaker))
        t += step
    return words


def segment(text: str, start: float, speaker: str | None, with_words: bool = True) -> Segment:
    if not with_words:
        return Segment(start, start + 2.0, text, speaker)
    return Segment.from_words(timed_words(text, start, speaker), speaker)


def document(title: str = "Interview 7: Peer support") -> DocumentInfo:
    return DocumentInfo(
        id=7,
        title=title,
        media_path="/data/recordings/interview 7.wav",
        duration=125.0,
        status=DocumentStatus.TRANSCRIBED,
        language="en",
        recorded_date="2026-03-14",
        interviewer="Dr Alice Example",
    )


def interview_bundle() -> TranscriptBundle:
    """Two speakers; S1 renamed "Interviewer"; S2 speaks two segments in a row."""
    segments = [
        segment("Thank you for coming. How did you start?", 0.0, "S1"),
        segment("I started as a volunteer in 2019.", 3.5, "S2"),
        segment("Then I trained as a peer support worker.", 6.8, "S2"),
        segment("What changed for you?", 65.2, "S1"),
    ]
    return TranscriptBundle(
        document=document(),
        transcript=Transcript(segments, language="en"),
        speakers={"S1": SpeakerInfo("S1", "Interviewer"), "S2": SpeakerInfo("S2", "Participant 5")},
        model=dict(MODEL),
        participants="P05 (peer support worker)",
    )


def hostile_bundle() -> TranscriptBundle:
    """Hostile texts and names, a very long turn, and a segment whose words were edited away."""
    segments = [segment(text, i * 10.0, "S1" if i % 2 == 0 else "S2") for i, text in enumerate(HOSTILE_TEXTS)]
    long_text = " ".join(f"word{i}." if i % 17 == 16 else f"word{i}" for i in range(400))
    segments.append(segment(long_text, 60.0, "S3"))
    segments.append(segment("Typed by hand after the words were lost & <found>", 230.0, "S1", with_words=False))
    return TranscriptBundle(
        document=document('Ünïcode & <"quotes"> 📼'),
        transcript=Transcript(segments, language="he"),
        speakers={
            "S1": SpeakerInfo("S1", 'Dr <Who> & "Co"'),
            "S2": SpeakerInfo("S2", "דנה 🙂"),
            "S3": SpeakerInfo("S3", "राम"),
        },
        model=dict(MODEL),
        participants="P1 & P2",
    )


def empty_bundle() -> TranscriptBundle:
    return TranscriptBundle(document=document("Nothing said"), transcript=Transcript([], language="en"))
