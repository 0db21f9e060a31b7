"""Suite-wide guards and fixtures: offscreen Qt, no network, generated speech, shared recordings."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["SOX_OPTS"] = "-R"  # every sox a test runs is repeatable: no random dither or noise

from desktop_app.pipeline.cluster.connection import is_loopback  # noqa: E402
from tests.fixtures.coding_study import CodingStudy, make_coding_study  # noqa: E402
from tests.fixtures.speech import INTERVIEW, SpeechFixture, make_speech  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


class NetworkAccessError(AssertionError):
    pass


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkAccessError(f"a test tried to open a network connection: {args!r}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "loopback: the test may connect to 127.0.0.1 (a fixture server it starts itself), nowhere else"
    )


def _loopback(address: object) -> bool:
    """Whether an address (a ``(host, port…)`` tuple or a bare host) is on this machine, by the same rule
    the app uses to let a plain-TCP cluster address through (127.0.0.0/8, ::1, localhost names)."""
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode()
    return isinstance(host, str) and is_loopback(host)


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that opens an internet socket (Unix sockets and socketpairs stay allowed).

    A test marked ``loopback`` may connect to 127.0.0.1 only: the local fixture server it started.
    """
    real_socket = socket.socket
    real_create, real_getaddrinfo = socket.create_connection, socket.getaddrinfo
    allow_loopback = request.node.get_closest_marker("loopback") is not None

    def allowed(address: object) -> bool:
        return allow_loopback and _loopback(address)

    class GuardedSocket(real_socket):  # type: ignore[misc,valid-type]
        def connect(self, address: object) -> None:
            if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
                _refuse(address)
            super().connect(address)

        def connect_ex(self, address: object) -> int:
            if self.family in (socket.AF_INET, socket.AF_INET6) and not allowed(address):
                _refuse(address)
            return int(super().connect_ex(address))

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if not allowed(address):
            _refuse(address)
        return real_create(address, *args, **kwargs)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if not allowed(host):
            _refuse(host, *args)
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep settings and the user models folder out of the real home directory.

    Settings are per test; the joined ``base`` model is large, so the models folder is shared by the session.
    """
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(base / "user-models"))
    monkeypatch.setenv("VERBATIM_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"{SHARED_DATA} is missing: tests need ../shared/data beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def interview_speech() -> SpeechFixture:
    """About 25 s of a two-voice interview (generated, cached)."""
    return make_speech(INTERVIEW)


@pytest.fixture(scope="session")
def focus_group_speech() -> SpeechFixture:
    """About a minute of three generated voices taking turns (cached)."""
    from tests.fixtures.speech import FOCUS_GROUP

    return make_speech(FOCUS_GROUP)


@pytest.fixture
def study(tmp_path: Path) -> Iterator[CodingStudy]:
    """The coding study (``tests.fixtures.coding_study``), open, closed after the test. A module that
    means another study by ``study`` defines its own fixture of that name, which wins there."""
    built = make_coding_study(tmp_path)
    yield built
    built.store.close()
