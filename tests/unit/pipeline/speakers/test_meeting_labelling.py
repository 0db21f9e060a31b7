"""The meeting engine's labelling: pieces cut on the chunks' shared grid, labels passed between chunks,
and counts the segmentation model vouches for. Real models on real audio where the behaviour is
the models'; small arrays where it is the bookkeeping's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.pipeline.speakers.local_speakers import cell_borders
from desktop_app.pipeline.speakers.reconstruction import inherit_labels
from desktop_app.pipeline.speakers.segmentation import CHUNK_SAMPLES, FRAME_STEP, FRAMES_PER_CHUNK, LOCAL_SPEAKERS
from desktop_app.pipeline.speakers.voice_diarization import VoicePipelineOptions, diarize_by_voices
from desktop_app.pipeline.speakers.voices.embedding import Piece, VoiceEmbedder
from desktop_app.pipeline.speakers.voices.voice_clustering import VoiceClusteringOptions, cluster_voices


def test_cell_borders_are_the_middles_of_the_neighbouring_chunks() -> None:
    borders = cell_borders(2.0)
    assert np.allclose(cell_borders(2.5) * FRAME_STEP, [1.25, 3.75, 6.25, 8.75], atol=FRAME_STEP)
    assert np.allclose(borders * FRAME_STEP, [2.0, 4.0, 6.0, 8.0], atol=FRAME_STEP)
    assert np.allclose(cell_borders(5.0) * FRAME_STEP, [2.5, 7.5], atol=FRAME_STEP)
    assert not len(cell_borders(10.0))  # chunks side by side: one cell each


def test_pieces_never_cross_a_cell_and_a_short_one_reads_more_of_its_talk(shared_data: Path) -> None:
    """One local speaker talking 6 s, ending 0.4 s into a chunk's middle cell: the pieces end at the
    cell borders; the chunk embeds only its middle cell's piece, which reads 1 s of the same talk."""
    audio = decode_audio(str(shared_data / "ami_dev" / "trn03.wav"))[:CHUNK_SAMPLES]
    borders = cell_borders(VoicePipelineOptions().step_seconds)
    active = np.zeros((FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=bool)
    end = int(borders[0]) + round(0.4 / FRAME_STEP)
    active[20:end, 0] = True
    pieces, work = VoiceEmbedder().prepare_chunk(audio, active, (int(borders[0]), int(borders[1])), borders)
    assert [(p.start, p.end) for p in pieces] == [(20, int(borders[0])), (int(borders[0]), end)]
    assert len(work) == 1
    piece, features = work[0]
    assert (piece.start, piece.end) == (borders[0], end)
    read = piece.reads[1] - piece.reads[0]
    assert round(read * FRAME_STEP, 1) == 1.0 and piece.reads[0] < piece.start and piece.reads[1] == end
    assert abs(len(features) - read * FRAME_STEP / 0.01) <= 3  # 10 ms fbank frames over that second


@pytest.mark.parametrize("cut", [False, True])
def test_a_short_remark_across_a_cell_border_is_still_a_speaker(shared_data: Path, cut: bool) -> None:
    """AMI trn02: one 0.69 s remark. Shifted so that a cell border cuts it in half, each half is under
    the 0.5 s an embedding needs; read from the whole remark, it still makes one speaker."""
    options = VoicePipelineOptions()
    remark = (20.704, 21.392)
    shift = 0.0
    if cut:  # the grid's borders fall at 10 s / 2 + step / 2 + k * step from the recording's start
        first = (10.0 - options.step_seconds) / 2
        border = first + options.step_seconds * np.ceil((remark[0] - first) / options.step_seconds)
        shift = border - sum(remark) / 2 + (options.step_seconds if border < sum(remark) / 2 else 0.0)
        assert shift >= 0
    audio = decode_audio(str(shared_data / "ami_dev" / "trn02.wav"))
    shifted = np.concatenate([np.zeros(round(shift * 16000), dtype=np.float32), audio])
    result = diarize_by_voices(shifted, [], options=options)
    assert len(result.speakers) == 1
    start, end = remark[0] + shift, remark[1] + shift
    heard = sum(max(0.0, min(t.end, end) - max(t.start, start)) for t in result.turns)
    assert heard >= 0.3  # of the 0.69 s the reference gives it (measured 0.50-0.64 s; none without the fix)


def _voices(around: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    points = around[None, :] + 0.05 * rng.standard_normal((count, len(around)))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_a_forced_count_leaves_a_stray_piece_out_but_keeps_a_brief_voice_heard_beside_another() -> None:
    rng = np.random.default_rng(0)
    e = np.eye(8)
    a, b = _voices(e[0], 6, rng), _voices(0.6 * e[0] + 0.8 * e[1], 6, rng)  # two voices 0.4 apart
    stray = _voices(e[2], 1, rng)  # far from both: two voices blended, a cough
    points = np.concatenate([a, b, stray])
    seconds = np.array([2.0] * 12 + [1.0])
    apart = np.array([(i, 6 + i) for i in range(6)])  # the model heard a and b in the same chunks
    options = VoiceClusteringOptions(num_speakers=2)
    labels, centroids = cluster_voices(points, seconds, options, apart=apart)
    assert len(set(labels[:6])) == 1 and len(set(labels[6:12])) == 1 and labels[0] != labels[6]
    plain, _ = cluster_voices(points, seconds, options)  # without the model's word, the stray takes a speaker
    assert plain[0] == plain[6] and plain[12] != plain[0]

    brief = _voices(e[3], 1, rng)  # heard beside a, in one chunk: a real second person
    points = np.concatenate([a, brief])
    labels, _ = cluster_voices(
        points, np.array([2.0] * 6 + [1.2]), VoiceClusteringOptions(), at_least=2, apart=np.array([[0, 6]])
    )
    assert labels[6] != labels[0] and len(set(labels[:6])) == 1


def test_a_piece_takes_its_speaker_from_the_neighbour_that_embedded_its_time() -> None:
    starts = np.array([0.0, 2.0])
    active = np.zeros((2, FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=bool)
    active[0, 200:400, 1] = True  # chunk 0 hears the talk as its local speaker 1
    shift = round(2.0 / FRAME_STEP)
    active[1, 200 - shift : 400 - shift, 2] = True  # chunk 1, two seconds later, as its local speaker 2
    pieces = [(0, Piece(1, 200, 400, 200 * FRAME_STEP)), (1, Piece(2, 200 - shift, 400 - shift, 200 * FRAME_STEP))]
    labels, source = inherit_labels(starts, active, pieces, np.array([3, -1]))
    assert labels.tolist() == [3, 3] and source.tolist() == [0, 0]
    alone = [(1, Piece(0, 0, 50, 50 * FRAME_STEP))]  # nothing overlaps it anywhere: stays unlabelled
    labels, source = inherit_labels(starts, active, pieces[:1] + alone, np.array([3, -1]))
    assert labels.tolist() == [3, -1] and source.tolist() == [0, -1]
