"""Who spoke when, word by word, overlapping talk included: the speaker step of the pipeline.

``diarize(audio, words)`` does it all for audio in memory. For long recordings, feed blocks as
they are decoded: ``embed_speech(blocks)`` keeps window embeddings (about 1 KB per 0.75 s of
speech) and the mel frames of places that may hold a change of speaker, and
``label_speakers(embedded, words)`` clusters the windows, embeds finer windows where the speaker
changes, follows each region with a small cost per change (``resegment``) and gives each word its
speaker. Alongside, the segmentation model (``local_speakers``, ONNX) says where two voices are
heard at once; there the second speaker is added (``overlap``), as a turn of its own in the RTTM,
and the words spoken then are marked overlapping.
Speakers are labelled "S1", "S2"... in order of first appearance. Both steps run NumPy on
one BLAS thread (speaker_blas): their matrices are small, and spinning BLAS threads on a busy CPU
made one eigen decomposition 200 times slower.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.assignment import (
    FRAME,
    NO_SPEECH,
    AssignmentOptions,
    Timeline,
    keep_heard,
    paint_windows,
    paint_words,
    resegment,
    smooth,
    snap_changes,
    word_speakers,
)
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech
from desktop_app.pipeline.speakers.local_speakers import LocalSpeakerPass
from desktop_app.pipeline.speakers.overlap import overlap_turns, overlapping_words, second_speakers, voices_at_once
from desktop_app.pipeline.speakers.segmentation import SpeakerSegmenter
from desktop_app.pipeline.speakers.voices.blas import single_blas_thread
from desktop_app.pipeline.speakers.voices.clustering import (
    Clustering,
    ClusteringOptions,
    centroids_similarity,
    cluster_speakers,
    monologue_merges,
)
from desktop_app.pipeline.speakers.voices.encoder import DEFAULT_BATCH_SIZE, SAMPLE_RATE, SpeakerEncoder
from desktop_app.pipeline.speakers.voices.spectral import centroids_of
from desktop_app.pipeline.speakers.window_options import WindowOptions
from desktop_app.pipeline.speakers.windows import (
    SpeechEmbedder,
    SpeechEmbeddings,
    refine_changes,
)

AudioBlock = tuple[float, np.ndarray]  # (start in seconds, 16 kHz mono float32 samples)


MEETING_FROM_PEOPLE = 4  # a count or range from this many people up suits the meeting engine
PEOPLE_APART_SECONDS = 1.0  # two local speakers of one chunk each talking this long are two people


@dataclass(frozen=True)
class DiarizationOptions:
    num_speakers: int | None = None  # exact count; None: automatic within min..max
    min_speakers: int = 1
    max_speakers: int | None = None
    distance_threshold: float = 0.275
    fold_share: float = 0.15
    window_seconds: float = 1.5
    hop_seconds: float = 0.75
    fine_hop_seconds: float = 0.375
    batch_size: int = DEFAULT_BATCH_SIZE
    majority_seconds: float = 0.75
    min_turn_seconds: float = 0.5
    overlap: bool = True  # run the segmentation model to find overlapping talk
    meeting: bool = False  # the segmentation + CAM++ pipeline (voice_diarization): more voices told apart in meetings
    segmentation_step: float = 5.0  # its 10 s chunks start this often (0.8 s of CPU per audio minute on 2 cores)

    @classmethod
    def from_speakers(cls, spec: str, **overrides: object) -> DiarizationOptions:
        """Options from a ``--speakers`` value: ``auto``, an exact count ``3``, or a range ``2-5``."""
        text = spec.strip().lower()
        try:
            if text in ("", "auto"):
                return cls(**overrides)  # type: ignore[arg-type]
            if "-" in text:
                low, high = (int(part) for part in text.split("-", 1))
                if not 1 <= low <= high:
                    raise ValueError
                return cls(min_speakers=low, max_speakers=high, **overrides)  # type: ignore[arg-type]
            count = int(text)
            if count < 1:
                raise ValueError
            return cls(num_speakers=count, **overrides)  # type: ignore[arg-type]
        except ValueError:
            raise VerbatimError(None, f"speakers must be auto, a number or a range like 2-4, not {spec!r}") from None

    @property
    def suits_meetings(self) -> bool:
        """Four people or more are known to talk: the meeting engine tells them apart better.

        Measured with the count given (audio only, no collar): AMI trn07 / trn08 (4 people) 81.9 / 49.3 %
        DER with the interview engine, 60.1 / 45.1 % with the meeting engine; 4, 6 and 8 real voices
        spliced in turn (bench/spliced_meetings.py) 19.9 / 26.0 / 32.6 % against 13.3 / 22.2 / 25.2 %.
        """
        return (self.num_speakers or self.min_speakers) >= MEETING_FROM_PEOPLE

    def windows(self) -> WindowOptions:
        return WindowOptions(
            window_seconds=self.window_seconds,
            hop_seconds=self.hop_seconds,
            fine_hop_seconds=self.fine_hop_seconds,
            batch_size=self.batch_size,
        )

    def clustering(self) -> ClusteringOptions:
        return ClusteringOptions(
            num_speakers=self.num_speakers,
            min_speakers=self.min_speakers,
            max_speakers=self.max_speakers,
            distance_threshold=self.distance_threshold,
            fold_share=self.fold_share,
        )

    def assignment(self) -> AssignmentOptions:
        return AssignmentOptions(majority_seconds=self.majority_seconds, min_turn_seconds=self.min_turn_seconds)


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class SpeakerStats:
    label: str
    speaking_seconds: float
    turns: int  # times the floor passed to this speaker
    words: int
    word_share: float


@dataclass
class DiarizationResult:
    words: list[Word]  # copies of the input words with ``speaker`` set
    turns: list[SpeakerTurn]  # who spoke when (RTTM), in time order
    speakers: list[SpeakerStats]
    uncertain_words: list[int] = field(default_factory=list)  # indices of words in overlap or ambiguous speech
    # ``turns``: in time order; a second speaker's turn during overlapping talk overlaps the first's
    # the most people the segmentation model heard talk at length (PEOPLE_APART_SECONDS each) in one 10 s
    # chunk: at least that many people are in the recording (0: not known, the model did not run)
    people_apart: int = 0

    def rttm(self, file_id: str) -> str:
        """The turns as RTTM lines (NIST "who spoke when" format)."""
        return "".join(
            f"SPEAKER {file_id} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>\n"
            for t in self.turns
        )


@single_blas_thread()
def embed_speech(
    blocks: Iterable[AudioBlock],
    options: DiarizationOptions | None = None,
    encoder_path: Path | None = None,
    heard: HeardSpeech | None = None,
) -> SpeechEmbeddings:
    """Speech regions and window embeddings of audio fed block by block (no block need be kept).

    ``heard``: speech the engine already found while transcribing; Silero runs only where it does not reach.
    """
    options = options or DiarizationOptions()
    embedder = SpeechEmbedder(SpeakerEncoder(encoder_path), options.windows(), heard)
    segments = LocalSpeakerPass(SpeakerSegmenter(), None, options.segmentation_step, heard) if options.overlap else None
    for start, samples in blocks:
        embedder.feed(start, samples)
        if segments is not None:
            segments.feed(start, samples)
    embedded = embedder.finish()
    if segments is not None:
        found = segments.finish()
        embedded.voices_at_once = voices_at_once(found.starts, found.active, found.duration)
        embedded.people_apart = found.most_at_once(PEOPLE_APART_SECONDS)
    return embedded


def diarize(
    audio: np.ndarray,
    words: list[Word],
    options: DiarizationOptions | None = None,
    encoder_path: Path | None = None,
) -> DiarizationResult:
    """Speakers for ``words`` of 16 kHz mono float32 ``audio`` held in memory."""
    options = options or DiarizationOptions()
    block = SAMPLE_RATE * 60
    blocks = ((i / SAMPLE_RATE, audio[i : i + block]) for i in range(0, len(audio), block))
    return label_speakers(embed_speech(blocks, options, encoder_path), words, options, encoder_path)


@single_blas_thread()
def label_speakers(
    embedded: SpeechEmbeddings,
    words: list[Word],
    options: DiarizationOptions | None = None,
    encoder_path: Path | None = None,
) -> DiarizationResult:
    """Cluster the windows, refine the changes, smooth the speaker timeline, and give each word a speaker."""
    options = options or DiarizationOptions()
    if len(embedded) == 0:
        return DiarizationResult([replace(w, speaker=None) for w in words], [], [])
    assignment = options.assignment()
    at_once = embedded.voices_at_once if embedded.voices_at_once is not None else np.zeros(0, dtype=np.int64)
    seconds = embedded.owned[:, 1] - embedded.owned[:, 0]
    clustering = cluster_speakers(embedded.embeddings, options.clustering(), embedded.region_of, seconds)
    clustering = _assigned(embedded, clustering.centroids, assignment)
    if embedded.zones:
        encoder = SpeakerEncoder(encoder_path)
        embedded, _ = refine_changes(embedded, clustering.labels, encoder, options.windows())
        clustering = _assigned(embedded, clustering.centroids, assignment)
    end = max([embedded.duration, *(w.end for w in words)])
    n_frames = math.ceil(end / FRAME) + 1
    timeline = _timeline(embedded, clustering, n_frames, assignment)
    if options.num_speakers is None and len(clustering.centroids) > max(1, options.min_speakers):
        merges = monologue_merges(timeline.turns(), options.clustering())
        if merges and len(clustering.centroids) - len(merges) >= options.min_speakers:
            joined = np.array([merges.get(k, k) for k in range(len(clustering.centroids))])[clustering.labels]
            kept = [int(k) for k in np.unique(joined)]
            clustering = _assigned(embedded, centroids_of(embedded.embeddings, joined, kept), assignment)
            timeline = _timeline(embedded, clustering, n_frames, assignment)
    speakers, uncertain = word_speakers(words, timeline)
    speakers = snap_changes(words, speakers, assignment)
    timeline = paint_words(timeline, words, speakers)
    if embedded.heard is not None:
        timeline = keep_heard(timeline, embedded.heard, assignment.bridge_seconds)
    result = _result(timeline, words, speakers, uncertain, second_speakers(timeline.labels, at_once))
    return replace(result, people_apart=embedded.people_apart)


def _assigned(embedded: SpeechEmbeddings, centroids: np.ndarray, options: AssignmentOptions) -> Clustering:
    """Each window's speaker along the regions (changes cost a little) and its margin over the next best."""
    similarity = centroids_similarity(embedded.embeddings, centroids)
    labels = resegment(similarity, embedded.region_of, options.switch_cost)
    own = similarity[np.arange(len(labels)), labels]
    others = np.where(np.arange(similarity.shape[1]) == labels[:, None], -np.inf, similarity)
    margins = own - others.max(axis=1) if similarity.shape[1] > 1 else np.ones(len(labels))
    return Clustering(labels, centroids, margins)


def _timeline(
    embedded: SpeechEmbeddings, clustering: Clustering, n_frames: int, options: AssignmentOptions
) -> Timeline:
    timeline = paint_windows(embedded.owned, clustering.labels, clustering.margins, n_frames, options.uncertain_margin)
    return smooth(timeline, embedded.regions, len(clustering.centroids), options)


def _result(
    timeline: Timeline, words: list[Word], speakers: np.ndarray, uncertain: np.ndarray, second: np.ndarray
) -> DiarizationResult:
    raw_turns = timeline.turns()
    order: dict[int, str] = {}
    for _, _, index in raw_turns:
        order.setdefault(index, f"S{len(order) + 1}")
    turns = sorted(
        [SpeakerTurn(a, b, order[index]) for a, b, index in raw_turns + overlap_turns(second)], key=_turn_key
    )
    labelled = [replace(w, speaker=order[int(s)]) for w, s in zip(words, speakers, strict=True)]
    unsure = sorted({*(int(i) for i in np.flatnonzero(uncertain)), *overlapping_words(words, second)})
    return DiarizationResult(labelled, turns, speaker_stats(turns, labelled), unsure)


def _turn_key(turn: SpeakerTurn) -> tuple[float, float, str]:
    return (turn.start, turn.end, turn.speaker)


def speaker_stats(turns: list[SpeakerTurn], words: list[Word]) -> list[SpeakerStats]:
    """Per speaker: seconds heard (overlap counted for both), times the floor passed to them, words."""
    labels = list(dict.fromkeys(t.speaker for t in turns))
    floor_changes = [t.speaker for i, t in enumerate(turns) if i == 0 or turns[i - 1].speaker != t.speaker]
    stats = []
    for label in labels:
        spoken = sum(t.end - t.start for t in turns if t.speaker == label)
        count = sum(1 for w in words if w.speaker == label)
        stats.append(
            SpeakerStats(
                label=label,
                speaking_seconds=round(float(spoken), 2),
                turns=floor_changes.count(label),
                words=count,
                word_share=round(count / len(words), 4) if words else 0.0,
            )
        )
    return stats


__all__ = [
    "NO_SPEECH",
    "AudioBlock",
    "DiarizationOptions",
    "DiarizationResult",
    "SpeakerStats",
    "SpeakerTurn",
    "diarize",
    "embed_speech",
    "label_speakers",
    "speaker_stats",
]
