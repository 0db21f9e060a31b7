"""kill -9 of ``verbatim transcribe`` at 20 random moments; every time the study is intact and the run resumes.

An uninterrupted run on a fresh study gives the reference (wall time, words, text). Then, in a
second study, ``verbatim transcribe --model tiny.en --json`` is started again and again and killed
with SIGKILL (the CLI process only, as a crash would) at seeded random moments: half drawn
uniformly over the uninterrupted run's wall time, half just after a random line of its output
(so some land while segments are being stored). After each kill: ``PRAGMA integrity_check`` is
ok, the engine child has exited too, every segment stored before is still there unchanged, and
the run started in that round resumed from where the stored transcript ended. If a round
finishes before its kill, its transcript is checked and a fresh study takes over. A last
uninterrupted run completes the study, whose transcript must match the reference (word count
within 3 %, WER against the reference run under 10 %).

    .venv/bin/python bench/fault_kill_transcribe.py [--kills 20] [--seed 1] [--audio FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.storage.project_store import ProjectStore  # noqa: E402
from desktop_app.storage.transcripts import run_repository, transcript_repository  # noqa: E402
from tests.fixtures.scoring import wer  # noqa: E402

CLI = [sys.executable, "-m", "desktop_app"]
TRANSCRIBE = ["transcribe", "--model", "tiny.en", "--json"]
PHASES = {"document": "loading", "started": "transcribing", "segment": "storing", "progress": "storing"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, check=True)


def new_study(folder: Path, audio: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    study = folder / "study.verbatim"
    cli("new", str(study))
    cli("import", str(study), str(audio))
    return study


@dataclass
class Launch:
    """One ``verbatim transcribe`` child whose output lines are collected by a thread."""

    study: Path
    lines: list[str] = field(default_factory=list)
    wanted: int = 0
    reached: threading.Event = field(default_factory=threading.Event)
    began: float = 0.0
    process: subprocess.Popen[str] = field(init=False)
    reader: threading.Thread = field(init=False)

    def start(self) -> Launch:
        self.began = time.perf_counter()
        self.process = subprocess.Popen(
            [*CLI, *TRANSCRIBE[:1], str(self.study), *TRANSCRIBE[1:]],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if self.wanted and len(self.lines) >= self.wanted:
                self.reached.set()
        self.reached.set()

    def phase(self) -> str:
        if not self.lines:
            return "starting"
        return PHASES.get(json.loads(self.lines[-1]).get("event", ""), "finishing")

    def kill(self) -> tuple[bool, float]:
        """SIGKILL the CLI; return (was it still running, seconds until its engine child was gone too)."""
        alive = self.process.poll() is None
        if alive:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        killed_at = time.perf_counter()
        while living(self.process.pid) and time.perf_counter() - killed_at < 5.0:
            time.sleep(0.02)
        gone = time.perf_counter() - killed_at
        if living(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)  # an orphaned engine; reported, then cleaned up
            gone = float("inf")
        self.reader.join(5.0)
        return alive, gone


def living(group: int) -> list[str]:
    out = subprocess.run(["ps", "-g", str(group), "-o", "stat="], capture_output=True, text=True).stdout
    return [s for s in out.split() if not s.startswith("Z")]


@dataclass(frozen=True)
class Stored:
    integrity: str
    segments: list[tuple[int, int | None, float, float, str]]  # id, run, start, end, text
    runs: list[run_repository.RunRecord]
    status: str

    @property
    def resume_point(self) -> float:
        return max((s[3] for s in self.segments), default=0.0)

    @property
    def text(self) -> str:
        return " ".join(s[4] for s in self.segments)


def inspect(study: Path) -> Stored:
    with ProjectStore.open(study) as store:
        integrity = store.db.execute("PRAGMA integrity_check").fetchone()[0]
        segments = store.db.execute(
            "SELECT id, run_id, start, end, text FROM segments WHERE document_id = 1 ORDER BY seq"
        ).fetchall()
        rows = [(int(r[0]), r[1], float(r[2]), float(r[3]), str(r[4])) for r in segments]
        runs = run_repository.list_runs(store, 1)
        status = store.db.execute("SELECT status FROM documents WHERE id = 1").fetchone()[0]
        assert transcript_repository.last_word_end(store, 1) == max((r[3] for r in rows), default=0.0)
    return Stored(integrity, rows, runs, status)


@dataclass(frozen=True)
class Reference:
    wall: float
    lines: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def compare(reference: Reference, stored: Stored) -> tuple[float, float]:
    """(word count difference as a fraction, WER against the reference run); raise if outside the margins."""
    words = len(stored.text.split())
    difference = abs(words - reference.words) / max(reference.words, 1)
    error = wer(reference.text, stored.text)
    assert stored.status == "transcribed", stored.status
    assert difference <= 0.03 and error < 0.10, f"{words} words vs {reference.words}, WER {error:.3f}"
    return difference, error


def reference_run(folder: Path, audio: Path) -> Reference:
    study = new_study(folder, audio)
    launch = Launch(study).start()
    launch.process.wait()
    launch.reader.join()
    wall = time.perf_counter() - launch.began
    assert launch.process.returncode == 0
    stored = inspect(study)
    return Reference(wall, len(launch.lines), stored.text)


@dataclass
class Round:
    number: int
    moment: str
    phase: str = ""
    killed: bool = True
    engine_gone: float = 0.0
    resumed_from: float | None = None
    segments: int = 0
    resume_point: float = 0.0
    integrity: str = ""
    note: str = ""


def kill_once(number: int, study: Path, rng: random.Random, reference: Reference, before: Stored) -> Round:
    launch = Launch(study)
    if rng.random() < 0.5:
        seconds = rng.uniform(0.1, reference.wall)
        result = Round(number, f"{seconds:5.2f} s")
        launch.start()
        time.sleep(max(0.0, seconds - (time.perf_counter() - launch.began)))
    else:
        line, delay = rng.randrange(1, reference.lines), rng.uniform(0.0, 0.03)
        result = Round(number, f"line {line} +{delay * 1000:.0f} ms")
        launch.wanted = line
        launch.start()
        launch.reached.wait(120)
        time.sleep(delay)
    result.phase = launch.phase()
    result.killed, result.engine_gone = launch.kill()
    after = inspect(study)
    result.integrity, result.segments, result.resume_point = after.integrity, len(after.segments), after.resume_point
    assert after.integrity == "ok", after.integrity
    assert after.segments[: len(before.segments)] == before.segments, "a stored segment was lost or changed"
    assert after.resume_point >= before.resume_point
    new_runs = after.runs[len(before.runs) :]
    if new_runs:  # a new run marks the one killed before it as interrupted
        assert {r.state for r in after.runs[: len(before.runs)]} <= {"interrupted"}, after.runs
        assert [r.state for r in new_runs] in (["running"], ["finished"]), new_runs
        assert (new_runs[0].state == "finished") == (after.status == "transcribed"), (new_runs, after.status)
    if new_runs and new_runs[0].language is not None:  # the run got as far as the engine's first event
        run = new_runs[0]
        own = [s for s in after.segments if s[1] == run.id]
        if own:  # it stored segments: they start where the stored transcript ended
            assert min(s[2] for s in own) >= before.resume_point - 0.05, (own[0], before.resume_point)
        else:  # resume_at still holds the point it started from
            assert abs(run.resume_at - before.resume_point) < 1e-6, (run.resume_at, before.resume_point)
        result.resumed_from = before.resume_point
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--audio", type=Path, help="a recording (default: ~86 s of generated focus group speech)")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    audio = args.audio
    if audio is None:
        from tests.fixtures.speech import FOCUS_GROUP, INTERVIEW, make_speech

        audio = make_speech(FOCUS_GROUP + INTERVIEW).wav
    rng = random.Random(args.seed)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verbatim-kill-transcribe-") as tmp:
        reference = reference_run(Path(tmp) / "reference", audio)
        print(f"{audio.name}: uninterrupted run {reference.wall:.1f} s wall, {reference.words} words\n")
        print(
            f"{'kill':>4}  {'moment':<16} {'phase':<13} {'engine gone':>11} {'resumed':>8} {'segments':>8}"
            f" {'stored to':>9}  integrity"
        )
        rounds: list[Round] = []
        studies, completed = 0, []
        folder = Path(tmp) / "study0"
        study, before = new_study(folder, audio), None
        while len([r for r in rounds if r.killed]) < args.kills:
            before = before or inspect(study)
            r = kill_once(len(rounds) + 1, study, rng, reference, before)
            before = inspect(study)
            if before.status == "transcribed":  # it finished first: check it, then carry on in a fresh study
                completed.append(compare(reference, before))
                studies += 1
                folder = Path(tmp) / f"study{studies}"
                r.note = "killed after it finished" if r.killed else "finished before the kill"
                study, before = new_study(folder, audio), None
            rounds.append(r)
            resumed = f"{r.resumed_from:7.2f}s" if r.resumed_from is not None else "       -"
            gone = f"{r.engine_gone:10.2f}s" if r.killed else f"{'-':>11}"
            print(
                f"{r.number:>4}  {r.moment:<16} {r.phase:<13} {gone} {resumed} {r.segments:>8}"
                f" {r.resume_point:8.2f}s  {r.integrity} {r.note}"
            )
        final = Launch(study).start()
        final.process.wait()
        final.reader.join()
        stored = inspect(study)
        assert stored.integrity == "ok" and final.process.returncode == 0
        states = [run.state for run in stored.runs]
        assert states[-1] == "finished" and set(states[:-1]) <= {"interrupted"}, states
        completed.append(compare(reference, stored))
        shutil.rmtree(folder, ignore_errors=True)
    killed = [r for r in rounds if r.killed]
    slowest = max(r.engine_gone for r in killed)
    partial = sum(1 for r in killed if r.segments and not r.note)
    resumed_rounds = [r for r in rounds if r.resumed_from]
    print(
        f"\n{len(killed)} kills in {len(rounds)} launches ({len(rounds) - len(killed)} finished first): integrity ok "
        f"after every one; engine child gone within {slowest:.2f} s of each kill; {partial} kills left a partial "
        f"transcript; {len(resumed_rounds)} launches resumed part-way ({sum(1 for r in resumed_rounds if r.note)} of them ran to "
        f"the end and were checked against the uninterrupted run)"
    )
    final_diff, final_wer = completed[-1]
    print(
        f"final transcript: {len(stored.text.split())} words vs {reference.words} uninterrupted "
        f"({final_diff:.1%} difference), WER against the uninterrupted run {final_wer:.3f}; "
        f"{len(completed)} studies completed and checked; {time.perf_counter() - began:.0f} s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
