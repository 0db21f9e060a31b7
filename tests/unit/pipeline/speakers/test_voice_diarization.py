"""The segmentation + CAM++ pipeline (pyannote.audio's design, ONNX) on real recordings.

Measured with this engine on the AMI excerpts (no collar, overlap scored, bench/diarization_der.py
--voices): dev00 17.4 % (2 of 2 speakers), trn06 12.4 % (2 of 3), trn09 16.0 % (2 of 3; 32.0 %
before two local speakers heard at once were kept apart); the GE2E step gets 50.3 %, 50.8 % and
18.9 % on these. The limits leave about ten points above that (the input is fixed, so the result
is too; shifted by a second, one clip moves by up to 20 points: bench/diarization_shifts.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from bench.speaker_scoring import der, read_rttm
from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.diarization import DiarizationOptions
from desktop_app.pipeline.speakers.voice_diarization import diarize_by_voices
from desktop_app.pipeline.speakers.voices.embedding import VoiceEmbedder
from desktop_app.pipeline.speakers.voices.spectral import unit_rows


def test_cam_plus_plus_tells_two_real_voices_apart(shared_data: Path) -> None:
    embedder = VoiceEmbedder()
    halves = []
    for name in ("librispeech_1272-128104-0000.wav", "cv_de.wav"):
        audio = decode_audio(str(shared_data / name))
        halves += [embedder.embed_audio(audio[: len(audio) // 2]), embedder.embed_audio(audio[len(audio) // 2 :])]
    similarity = unit_rows(np.stack(halves)) @ unit_rows(np.stack(halves)).T
    assert similarity[0, 1] > 0.6 and similarity[2, 3] > 0.6  # measured 0.75, 0.85
    assert similarity[0, 2] < 0.5 and similarity[1, 3] < 0.5  # measured 0.39, 0.36


@pytest.mark.slow
@pytest.mark.parametrize(("clip", "limit"), [("dev00", 0.32), ("trn06", 0.25), ("trn09", 0.25)])
def test_ami_meeting_excerpts(shared_data: Path, clip: str, limit: float) -> None:
    audio = decode_audio(str(shared_data / "ami_dev" / f"{clip}.wav"))
    reference = read_rttm(shared_data / "ami_dev" / f"{clip}.rttm")
    result = diarize_by_voices(audio, [Word(12.0, 12.4, "so")])
    hypothesis = [(t.start, t.end, t.speaker) for t in result.turns]
    assert der(reference, hypothesis).rate <= limit
    assert abs(len(result.speakers) - len({s for _, _, s in reference})) <= 1
    assert result.words[0].speaker is not None


def test_silence_has_no_speakers_and_a_given_count_is_honoured(shared_data: Path) -> None:
    silent = diarize_by_voices(np.zeros(16000 * 12, dtype=np.float32), [Word(1.0, 1.2, "hm")])
    assert silent.speakers == [] and silent.turns == [] and silent.words[0].speaker is None
    audio = decode_audio(str(shared_data / "pyannote_sample.wav"))
    assert len(diarize_by_voices(audio, [], DiarizationOptions(num_speakers=3)).speakers) == 3


def test_overlap_two_local_speakers_under_one_voice_become_two_people() -> None:
    """Two local speakers of one chunk talking at once both went to speaker 0: the second-most alike
    speaker takes the less alike one, unless its voice is unlike every other speaker (one voice heard twice)."""
    from desktop_app.pipeline.speakers.reconstruction import ReconstructionOptions, reconstruct
    from desktop_app.pipeline.speakers.segmentation import FRAME_STEP, FRAMES_PER_CHUNK
    from desktop_app.pipeline.speakers.voices.embedding import Piece

    active = np.zeros((1, FRAMES_PER_CHUNK, 3), dtype=bool)
    active[0, 0:300, 0] = True
    active[0, 200:400, 1] = True  # both heard from frame 200 to 300
    pieces = [(0, Piece(0, 0, 300, 300 * FRAME_STEP)), (0, Piece(1, 200, 400, 200 * FRAME_STEP))]
    labels = np.array([0, 0])
    duration = FRAMES_PER_CHUNK * FRAME_STEP
    alike = np.array([[0.9, 0.2], [0.7, 0.5]])
    split = reconstruct(np.array([0.0]), active, pieces, labels, 2, duration, ReconstructionOptions(), alike)
    both = split.active[220:280]
    assert both[:, 0].all() and both[:, 1].all()  # overlapping talk: two people
    assert split.active[50:150, 0].all() and not split.active[50:150, 1].any()
    folded = reconstruct(
        np.array([0.0]), active, pieces, labels, 2, duration, ReconstructionOptions(separate_above=0.6), alike
    )
    assert not folded.active[220:280, 1].any()  # 0.5 is under the floor: one voice heard twice, not a second


def test_pieces_read_the_same_features_from_the_stretch_they_span(shared_data: Path) -> None:
    """prepare_chunk computes fbank only over the pieces it embeds: each piece must read exactly the
    frames the whole chunk's fbank gives it (an off-by-one shift would blur every voice print)."""
    from desktop_app.pipeline.speakers.local_speakers import cell_borders
    from desktop_app.pipeline.speakers.segmentation import CHUNK_SAMPLES, SpeakerSegmenter
    from desktop_app.pipeline.speakers.voice_diarization import VoicePipelineOptions
    from desktop_app.pipeline.speakers.voices.embedding import fbank, fbank_to_segmentation_frames

    audio = decode_audio(str(shared_data / "pyannote_sample.wav"))[8 * 16000 : 8 * 16000 + CHUNK_SAMPLES]
    active = SpeakerSegmenter().activity(audio[None])[0]
    embedder = VoiceEmbedder()
    _, work = embedder.prepare_chunk(audio, active, (200, 500), cell_borders(VoicePipelineOptions().step_seconds))
    assert len(work) >= 2
    whole = fbank(audio)
    seg_of = fbank_to_segmentation_frames(len(whole), len(active))
    for piece, features in work:
        on = active[seg_of]
        alone = on & (on.sum(axis=1, keepdims=True) == 1)
        inside = (seg_of >= piece.reads[0]) & (seg_of < piece.reads[1])
        expected = whole[np.flatnonzero(inside & alone[:, piece.local])]
        np.testing.assert_allclose(features, expected, atol=1e-4)
