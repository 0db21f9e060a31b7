"""Which cluster addresses are refused (without any network), and chunk results joined in order."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.transcript import Word
from desktop_app.pipeline.cluster.chunks import Chunk, ChunkJoiner, ChunkResult
from desktop_app.pipeline.cluster.connection import ClusterError, ClusterSpec, check_address, connect, is_loopback
from desktop_app.pipeline.segment_builder import build_segments
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech


@pytest.mark.parametrize(
    "address",
    ["tcp://10.1.2.3:8786", "tcp://gpu.example.org:8786", "gpu.example.org:8786", "tcp://[2001:db8::1]:8786"],
)
def test_plain_tcp_to_another_computer_is_refused_without_insecure_and_says_why(address: str) -> None:
    with pytest.raises(ClusterError, match="unencrypted.*--insecure"):
        check_address(ClusterSpec(address))
    check_address(ClusterSpec(address, insecure=True))


def test_refused_before_any_connection_is_tried() -> None:
    # the suite's guard fails a test that opens a socket: this raises our error first
    with pytest.raises(ClusterError, match="tls://"), connect(ClusterSpec("tcp://192.0.2.7:8786")):
        pass


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:8786", "tcp://localhost:8786", "tcp://[::1]:8786", "tls://gpu.example.org:8786"]
)
def test_loopback_and_tls_addresses_pass(address: str) -> None:
    check_address(ClusterSpec(address))


def test_loopback_is_decided_without_name_lookups() -> None:
    assert is_loopback("127.0.0.2") and is_loopback("[::1]") and is_loopback("LOCALHOST")
    assert not is_loopback("10.0.0.1") and not is_loopback("localhost.example.org")


def test_local_workers_need_a_count() -> None:
    assert ClusterSpec("local:4").local_workers() == 4
    with pytest.raises(ClusterError, match="local:4"):
        ClusterSpec("local:many").local_workers()


def _result(words: list[Word]) -> ChunkResult:
    return ChunkResult(words, HeardSpeech((), 0.0, 0.0, (0.5, 100, 15)), "cpu", "w", 0.0)


def _chunk(index: int, offset: float, done: float) -> Chunk:
    return Chunk(index, offset, np.zeros(1, dtype=np.float32), done)


WORDS = [
    [Word(0.5, 0.9, "Hello"), Word(1.0, 1.4, "there.")],
    [Word(5.2, 5.6, "Then"), Word(5.7, 6.0, "more")],  # no pause at the edge: one segment across the chunks
    [Word(6.1, 6.5, "words."), Word(9.0, 9.5, "Last.")],
]


def test_results_in_any_order_come_out_in_recording_order_with_segments_across_chunk_edges() -> None:
    joiner = ChunkJoiner()
    for index, (offset, done) in enumerate([(0.0, 5.0), (5.0, 6.05), (6.05, 10.0)]):
        joiner.sent(_chunk(index, offset, done))
    joiner.close()
    joiner.add(2, _result(WORDS[2]))
    assert list(joiner.ready()) == []  # chunk 0 is not back yet
    joiner.add(0, _result(WORDS[0]))
    first = list(joiner.ready())
    assert [p.done for p in first] == [5.0]
    joiner.add(1, _result(WORDS[1]))
    rest = list(joiner.ready())
    assert [p.done for p in rest] == [6.05, 10.0] and joiner.complete
    segments = [s for p in first + rest for s in p.segments] + joiner.finish()
    assert segments == build_segments([w for ws in WORDS for w in ws])


def test_a_resumed_run_drops_the_words_already_stored() -> None:
    joiner = ChunkJoiner(resume_from=5.6)
    joiner.sent(_chunk(1, 5.0, 6.05))
    joiner.close()
    joiner.add(1, _result(WORDS[1]))
    parts = list(joiner.ready())
    assert [w.text for p in parts for s in p.segments for w in s.words] == ["more"]
