"""The meeting engine: who spoke when from the segmentation model and CAM++ voices (pyannote.audio's design).

The first pass (``local_speakers``: the segmentation model on 10 s chunks every ``step_seconds``,
a CAM++ voice for each stretch of each local speaker's talk, cut on a grid the chunks share) is
followed by clustering the voices into the recording's speakers (``voice_clustering``), rebuilding
one timeline in which two people can talk at once, two local speakers heard together kept as two
people (``reconstruction``), and giving each word the speaker heard most during it
(``word_speakers``). The user picks it for meetings and focus groups (``--meeting``, "Meetings and
focus groups" in the window).
Measured through the CLI (bench/diarization_ami_cli.py --meeting, no collar, overlap scored): the
nine AMI meeting excerpts 34.1 % mean DER (the interview engine, ``diarization``, 54.4 %), counts
within one on 8 of 9; two-person recordings pyannote_sample 42.5 % (20.5 % averaged over four time
shifts; interview engine 14.5 %), ES2003b 50.4 % (43.2 %; interview engine 23.7 %). So interviews
keep the GE2E engine with the segmentation model's overlap added. Steps were compared on the mean
over the nine clips each shifted by 0, 0.7, 1.4 and 2.1 s (bench/diarization_shifts.py: one clip
moves by up to 30 points with the shift alone): a 5 s step 38.0 %, 3.3 s 35.8 %, 2.5 s 36.2 %,
2 s 35.3 %, 1 s 38.8 %; 5, 3.3 and 2.5 s cost 0.77, 0.88 and 1.0 s of wall time per audio minute
on 2 cores. At 3.3 s a whole ``transcribe --meeting`` run costs about 1.32 times faster-whisper
base alone (bench/diarization_cost.py), near the 1.35 allowed, so the 2 s step's half point is not
taken. Over six shifts the DER is 35.1 %, of which missed speech and false alarm are 29.3 % (what
every speaker label right would leave; ``--onsets`` of that bench): the segmentation model's hearing,
not the clustering, is what limits the DER here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.diarization import (
    AudioBlock,
    DiarizationOptions,
    DiarizationResult,
    SpeakerTurn,
    speaker_stats,
)
from desktop_app.pipeline.speakers.local_speakers import LocalSpeakerPass, LocalSpeakers
from desktop_app.pipeline.speakers.reconstruction import ReconstructionOptions, inherit_labels, reconstruct
from desktop_app.pipeline.speakers.segmentation import SAMPLE_RATE, SpeakerSegmenter
from desktop_app.pipeline.speakers.voices.blas import single_blas_thread
from desktop_app.pipeline.speakers.voices.embedding import EmbeddingOptions, VoiceEmbedder
from desktop_app.pipeline.speakers.voices.spectral import unit_rows
from desktop_app.pipeline.speakers.voices.voice_clustering import VoiceClusteringOptions, cluster_voices
from desktop_app.pipeline.speakers.word_speakers import speaker_turns, words_with_speakers


@dataclass(frozen=True)
class VoicePipelineOptions:
    step_seconds: float = 10 / 3  # segmentation chunks (10 s) start this often: every frame heard by three
    onset: float | None = 0.3  # a local speaker the model gives this probability is heard (far voices)
    threshold: float = 0.55  # cosine distance at which voices are told apart
    piece_seconds: float = 3.0  # longest stretch of one local speaker's talk embedded at once
    read_seconds: float = 1.0  # a shorter piece's voice is read from this much of its talk around it
    distinct_local_seconds: float = 1.0  # two local speakers of a chunk each talking this long are two people

    def clustering(self, counts: DiarizationOptions) -> VoiceClusteringOptions:
        return VoiceClusteringOptions(
            num_speakers=counts.num_speakers,
            min_speakers=counts.min_speakers,
            max_speakers=counts.max_speakers,
            threshold=self.threshold,
        )


@single_blas_thread()
def embed_speech(
    blocks: Iterable[AudioBlock], options: VoicePipelineOptions | None = None, models: Path | None = None
) -> LocalSpeakers:
    """The first pass over audio fed block by block (no block need be kept): local speakers and voices.

    Unlike the interview engine, it does not skip what the transcriber's VAD heard no speech in:
    quiet, far voices that VAD drops are what a meeting's segmentation must still hear (an AMI
    excerpt with one short remark came out with nobody). Only digital silence is skipped.
    """
    options = options or VoicePipelineOptions()
    embedder = VoiceEmbedder(
        EmbeddingOptions(max_seconds=options.piece_seconds, read_seconds=options.read_seconds), models
    )
    found = LocalSpeakerPass(SpeakerSegmenter(models, options.onset), embedder, options.step_seconds)
    for start, samples in blocks:
        found.feed(start, samples)
    return found.finish()


def diarize_by_voices(
    audio: np.ndarray,
    words: list[Word],
    counts: DiarizationOptions | None = None,
    options: VoicePipelineOptions | None = None,
    models: Path | None = None,
) -> DiarizationResult:
    """Speakers for ``words`` of 16 kHz mono float32 ``audio``; ``counts``: the speaker count or range."""
    block = SAMPLE_RATE * 60
    blocks = ((i / SAMPLE_RATE, audio[i : i + block]) for i in range(0, len(audio), block))
    return label_speakers(embed_speech(blocks, options, models), words, counts, options)


@single_blas_thread()
def label_speakers(
    found: LocalSpeakers,
    words: list[Word],
    counts: DiarizationOptions | None = None,
    options: VoicePipelineOptions | None = None,
) -> DiarizationResult:
    """Group the voices into speakers, rebuild the timeline with overlap, and give each word a speaker."""
    options = options or VoicePipelineOptions()
    embeddings = found.embeddings()
    seconds = np.array([piece.seconds for _, piece in found.pieces])
    at_least = found.most_at_once(options.distinct_local_seconds)
    apart = found.heard_apart(options.distinct_local_seconds)
    labels, centroids = cluster_voices(
        embeddings, seconds, options.clustering(counts or DiarizationOptions()), at_least, apart
    )
    labels, source = inherit_labels(found.starts, found.active, found.pieces, labels)
    similarity = None
    if len(centroids):  # a piece labelled from another sounds as alike to each speaker as that one
        similarity = (unit_rows(embeddings) @ centroids.T)[np.where(source >= 0, source, np.arange(len(source)))]
    activity = reconstruct(
        found.starts,
        found.active,
        found.pieces,
        labels,
        len(centroids),
        found.duration,
        ReconstructionOptions(),
        similarity,
    )
    speakers, overlapping = words_with_speakers(words, activity)
    turns = speaker_turns(activity, words, speakers)
    order: dict[int, str] = {}
    for _, _, index in sorted(turns):
        order.setdefault(index, f"S{len(order) + 1}")
    for index in speakers:
        if index >= 0:
            order.setdefault(int(index), f"S{len(order) + 1}")
    labelled = [replace(w, speaker=order.get(int(s))) for w, s in zip(words, speakers, strict=True)]
    result_turns = [SpeakerTurn(a, b, order[k]) for a, b, k in sorted(turns)]
    return DiarizationResult(
        labelled,
        result_turns,
        speaker_stats(result_turns, labelled),
        [int(i) for i in np.flatnonzero(overlapping)],
        at_least,
    )


__all__ = ["VoicePipelineOptions", "diarize_by_voices", "embed_speech", "label_speakers"]
