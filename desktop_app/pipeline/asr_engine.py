"""faster-whisper on local models, over bounded blocks of audio, yielding words as they are final.

Long recordings are transcribed block by block (``block_seconds`` of audio at a time), each block
cut at a silence found by Silero VAD so no word is split, so memory does not grow with length.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.core.transcript import Segment, Word
from desktop_app.pipeline.asr_options import TranscriptionOptions, available_cores
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, AudioBlock
from desktop_app.pipeline.missed_speech import clips_for, gaps_among, kept, missed_between
from desktop_app.pipeline.segment_builder import SegmentBuilder
from desktop_app.pipeline.vad_once import install as share_vad_passes

CUT_SEARCH_SECONDS = 30.0  # look for a silence in this much audio at the end of a block
MIN_CUT_GAP_SECONDS = 0.3
NON_SPEECH_TEXT = set("♪♫♬*-–—.…,!?[]() ")


@dataclass(frozen=True)
class LanguageResult:
    language: str
    probability: float | None


@dataclass(frozen=True)
class AsrProgress:
    done_seconds: float
    segments: list[Segment]


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # cpu | cuda
    compute_type: str
    note: str = ""  # why it is not what was asked for (a GPU was asked for and none is usable)

    @property
    def label(self) -> str:
        """What the progress line shows: ``cuda float16``, or ``cpu int8 (no GPU found …)``."""
        return f"{self.device} {self.compute_type}" + (f" ({self.note})" if self.note else "")


def cuda_devices() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:  # a CUDA driver that cannot be loaded counts as no GPU
        return 0


def choose_device(options: TranscriptionOptions) -> DeviceChoice:
    """CUDA with float16 when CTranslate2 sees a GPU (asked for, or auto), else the CPU with int8."""
    device, note = options.device, ""
    if device in ("auto", "cuda", "gpu"):
        found = cuda_devices() > 0
        if device != "auto" and not found:
            note = "no GPU found by CTranslate2; running on the CPU"
        device = "cuda" if found else "cpu"
    compute = options.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return DeviceChoice(device, compute, note)


def resolve_device(options: TranscriptionOptions) -> tuple[str, str]:
    choice = choose_device(options)
    return choice.device, choice.compute_type


class AsrEngine:
    def __init__(self, model_path: Path, options: TranscriptionOptions, cpu_threads: int = 0) -> None:
        """``cpu_threads`` 0: every core this process may use (a cluster worker sharing a machine gives its share)."""
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        self.options = options
        self.choice = choose_device(options)
        threads = cpu_threads or available_cores()
        try:
            self.model = WhisperModel(
                str(model_path),
                self.choice.device,
                compute_type=self.choice.compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            if self.choice.device != "cuda":
                raise
            # A GPU CTranslate2 counts but cannot use (no cuBLAS/cuDNN, too old, out of memory): the CPU still works.
            self.choice = DeviceChoice("cpu", "int8", f"the GPU could not be used ({exc}); running on the CPU")
            self.model = WhisperModel(
                str(model_path), "cpu", compute_type="int8", cpu_threads=threads, local_files_only=True
            )
        self.pipeline = BatchedInferencePipeline(self.model)
        share_vad_passes()
        self.recovered_words = 0  # found in speech the first pass skipped (missed_speech), and the time it took
        self.recovery_seconds = 0.0

    @property
    def device(self) -> str:
        """Where the model runs (``cpu`` or ``cuda``), after any fall-back to the CPU."""
        return self.choice.device

    @property
    def compute_type(self) -> str:
        return self.choice.compute_type

    def detect_language(self, audio: np.ndarray) -> LanguageResult:
        if self.options.language != "auto":
            return LanguageResult(self.options.language, None)
        if not self.model.model.is_multilingual:
            return LanguageResult("en", 1.0)
        from faster_whisper.vad import VadOptions

        language, probability, _ = self.model.detect_language(
            audio,
            vad_filter=True,
            vad_parameters=VadOptions(**self.options.vad_parameters()),
            language_detection_segments=3,
        )
        return LanguageResult(language, float(probability))

    def transcribe_array(self, audio: np.ndarray, offset: float, language: str) -> list[Word]:
        """Words of one block of audio, times shifted by ``offset`` seconds."""
        return [w for _, words in self.block_words(audio, offset, language) for w in words]

    def block_words(self, audio: np.ndarray, offset: float, language: str) -> Iterator[tuple[float, list[Word]]]:
        """``(end seconds, words)`` of one block as they are final, with the speech the first pass skipped.

        Skipped speech is transcribed again as soon as a later word shows it was skipped
        (``missed_speech``), and its words go out with that word's, before it.
        """
        speech = self.speech(audio)  # the pipeline's own VAD pass reuses these probabilities (vad_once)
        covered = 0.0  # seconds into the block: the end of the last word (or of a rejected segment)
        for end, words in self.transcribe_lazily(audio, offset, language):
            if words:
                words = self.recover(audio, offset, language, speech, covered, words[0].start - offset) + words
                covered = words[-1].end - offset
            else:
                covered = max(covered, end - offset)
            yield end, words
        yield (
            offset + audio.size / SAMPLE_RATE,
            self.recover(audio, offset, language, speech, covered, audio.size / SAMPLE_RATE),
        )

    def transcribe_lazily(
        self, audio: np.ndarray, offset: float, language: str, clips: list[tuple[float, float]] | None = None
    ) -> Iterator[tuple[float, list[Word]]]:
        """``(end seconds, words)`` per Whisper segment as faster-whisper produces them (batch by batch).

        ``clips`` (seconds in ``audio``): transcribe only these stretches, each as it is, instead of
        the speech the VAD finds. A segment rejected as a hallucination still reports its end.
        """
        o = self.options
        kwargs = transcribe_kwargs(o, language)
        if clips:
            kwargs["vad_filter"] = False
            kwargs["clip_timestamps"] = [{"start": a, "end": b} for a, b in clips]
        segments, _ = self.pipeline.transcribe(audio, **kwargs, batch_size=o.batch_size)
        for segment in segments:
            if is_hallucination(segment, o):
                yield segment.end + offset, []
                continue
            yield segment.end + offset, [_word(w, offset) for w in segment.words or [] if w.word.strip()]

    def speech(self, audio: np.ndarray) -> list[tuple[float, float]]:
        """The speech (seconds in ``audio``) the batched pipeline transcribes, from the same Silero pass."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        found = get_speech_timestamps(audio, VadOptions(**self.options.vad_parameters(), max_speech_duration_s=30))
        return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in found]

    def recover(
        self,
        audio: np.ndarray,
        offset: float,
        language: str,
        speech: list[tuple[float, float]],
        after: float,
        before: float,
    ) -> list[Word]:
        """Words for the speech between ``after`` and ``before`` (seconds in ``audio``) that the first pass skipped."""
        pieces = missed_between(speech, after, before)
        if not pieces:
            return []
        began = time.perf_counter()
        found = self._words_in(audio, language, clips_for(pieces, after, before, packed=True), after, before)
        for a, b in gaps_among([(w.start, w.end) for w in found], after, before):
            if rest := missed_between(speech, a, b):  # skipped again inside a packed clip: piece by piece
                found += self._words_in(audio, language, clips_for(rest, a, b, packed=False), a, b)
        found.sort(key=lambda w: w.start)
        self.recovered_words += len(found)
        self.recovery_seconds += time.perf_counter() - began
        return [replace(w, start=round(w.start + offset, 3), end=round(w.end + offset, 3)) for w in found]

    def _words_in(
        self, audio: np.ndarray, language: str, clips: list[tuple[float, float]], after: float, before: float
    ) -> list[Word]:
        """Words found in ``clips`` that lie between ``after`` and ``before``, their times kept inside."""
        words = sorted(
            (w for _, ws in self.transcribe_lazily(audio, 0.0, language, clips) for w in ws), key=lambda w: w.start
        )
        inside = (words[i] for i in kept([(w.start, w.end) for w in words], after, before))
        return [replace(w, start=max(w.start, after), end=max(min(w.end, before), after)) for w in inside]

    def run(
        self, blocks: Iterable[AudioBlock], language: str, on_block: Callable[[float, np.ndarray], None] | None = None
    ) -> Iterator[AsrProgress]:
        """Transcribe a stream of blocks; yield progress with the segments finished so far.

        ``on_block(offset, audio)`` sees each block (as cut at a silence) before it is transcribed.
        """
        builder = SegmentBuilder()
        for offset, audio, done in cut_at_silences(blocks, self.options):
            if on_block is not None:
                on_block(offset, audio)
            for end, words in self.block_words(audio, offset, language):
                yield AsrProgress(min(end, done), builder.add(words))
        yield AsrProgress(-1.0, builder.flush())


def _word(w: Any, offset: float) -> Word:
    return Word(round(w.start + offset, 3), round(w.end + offset, 3), w.word.strip(), round(w.probability, 4))


def transcribe_kwargs(o: TranscriptionOptions, language: str | None) -> dict[str, Any]:
    """The faster-whisper options both our path and the raw benchmark use (language None: detect)."""
    return {
        "language": language,
        "beam_size": o.beam_size,
        "word_timestamps": True,
        "vad_filter": True,
        "vad_parameters": o.vad_parameters(),
        "condition_on_previous_text": o.condition_on_previous_text,
        "compression_ratio_threshold": o.compression_ratio_threshold,
        "log_prob_threshold": o.log_prob_threshold,
        "no_speech_threshold": o.no_speech_threshold,
        "hallucination_silence_threshold": o.hallucination_silence_threshold,
        "initial_prompt": o.initial_prompt(language),
        "hotwords": o.hotwords(),
    }


def is_hallucination(segment: Any, o: TranscriptionOptions) -> bool:
    """Segments Whisper invents over silence, noise or music."""
    text = segment.text.strip()
    if not text or set(text) <= NON_SPEECH_TEXT:
        return True
    if segment.no_speech_prob > o.no_speech_threshold and segment.avg_logprob < o.log_prob_threshold:
        return True
    return bool(segment.compression_ratio > o.compression_ratio_threshold)


def cut_at_silences(blocks: Iterable[AudioBlock], o: TranscriptionOptions) -> Iterator[tuple[float, np.ndarray, float]]:
    """Re-cut decoded blocks so each ends in a silence; yield (offset, audio, seconds done after it)."""
    carry = np.zeros(0, dtype=np.float32)
    carry_start: float | None = None
    pending: AudioBlock | None = None
    for block in blocks:
        if pending is not None:
            start = carry_start if carry_start is not None else pending[0]
            audio = np.concatenate([carry, pending[1]]) if carry.size else pending[1]
            cut = find_cut(audio)
            yield start, audio[:cut], start + cut / SAMPLE_RATE
            carry, carry_start = audio[cut:].copy(), start + cut / SAMPLE_RATE
        pending = block
    if pending is not None:
        start = carry_start if carry_start is not None else pending[0]
        audio = np.concatenate([carry, pending[1]]) if carry.size else pending[1]
        yield start, audio, start + audio.size / SAMPLE_RATE


def find_cut(audio: np.ndarray) -> int:
    """A sample index in the middle of the last silence near the end of ``audio`` (or its end)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    tail_start = max(0, audio.size - int(CUT_SEARCH_SECONDS * SAMPLE_RATE))
    tail = audio[tail_start:]
    speech = get_speech_timestamps(tail, VadOptions(min_silence_duration_ms=300, speech_pad_ms=50))
    if not speech:
        return int(audio.size)
    gaps = [(speech[i]["end"], speech[i + 1]["start"]) for i in range(len(speech) - 1)]
    gaps.append((speech[-1]["end"], tail.size))
    gaps = [g for g in gaps if (g[1] - g[0]) >= MIN_CUT_GAP_SECONDS * SAMPLE_RATE]
    if not gaps:
        return int(audio.size)
    end, next_start = gaps[-1]
    return int(tail_start + (end + next_start) // 2)
