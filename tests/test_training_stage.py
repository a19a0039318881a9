"""The build's training stage: cache reuse, retraining with a reason, divergence, parallel jobs."""

from __future__ import annotations

import io
import time
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from tinynets.posts.load import load_posts
from tinynets.engine import stage as training
from tinynets.progress import ProgressBoard
from tinynets.engine.store import RunStore
from support import REPO

POST = """---
title: Stage test
date: 2026-11-01
data: {{function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 40, noise: 0.1, seed: 0}}
nets:
{nets}
seeds: 2
frames: {{count: 3}}
---

Body.
"""


def content(folder: Path, nets: str) -> Path:
    (folder / "posts").mkdir(parents=True)
    (folder / "posts" / "stage.md").write_text(POST.format(nets=nets), encoding="utf-8")
    return folder


def train(folder: Path, cache: Path, jobs: int = 1, force: bool = False):
    lines: list[str] = []
    posts = load_posts(folder)
    runs = training.train_missing(posts, cache, force, jobs, lines.append,
                                  ProgressBoard(io.StringIO()))
    return runs, lines


def test_train_reuse_then_retrain_a_corrupt_entry_with_its_reason(tmp_path):
    folder = content(tmp_path / "content", "  wide: {layers: [4], epochs: 4}")
    cache = tmp_path / "cache"
    runs, lines = train(folder, cache)
    assert lines[0] == "train   stage/wide: never trained"
    # The two replication seeds (as many as shown, by default) train in the same run.
    assert re.fullmatch(r"trained stage/wide: 2 \+ 2 replication seeds in [0-9.]+s",
                        lines[1]), lines
    run = runs[("stage", "wide")]
    assert run.meta["net"] == "wide" and run.meta["seeds"] == [0, 1, 2, 3]

    _, lines = train(folder, cache)
    assert len(lines) == 1 and lines[0].startswith("reused  stage/wide (trained in ")

    entry = RunStore(cache / "runs").path(run.key)
    (entry / "arrays.npz").write_bytes((entry / "arrays.npz").read_bytes()[:100])
    runs, lines = train(folder, cache)
    assert lines[0].startswith("train   stage/wide: corrupt cache entry (")
    assert "arrays.npz does not match the hash recorded in meta.json" in lines[0]
    assert lines[1].startswith("trained stage/wide")
    assert RunStore(cache / "runs").load_meta(run.key)["arrays_sha256"] == \
        runs[("stage", "wide")].meta["arrays_sha256"]

    # An edit says what changed.
    (folder / "posts" / "stage.md").write_text(
        POST.format(nets="  wide: {layers: [4], epochs: 5}"), encoding="utf-8")
    _, lines = train(folder, cache)
    assert lines[0] == "train   stage/wide: epochs 4 → 5"


def test_a_diverging_net_is_reported_and_does_not_crash_the_build(tmp_path):
    folder = content(tmp_path / "content",
                     "  boom: {layers: [4], optimizer: sgd, learning_rate: 1000000.0, epochs: 6}")
    runs, lines = train(folder, tmp_path / "cache")
    meta = runs[("stage", "boom")].meta
    assert all(at is not None and 1 <= at <= 6 for at in meta["diverged_at"])
    assert meta["final_losses"] == [None, None, None, None]  # shown and replication seeds
    assert re.search(r"; diverged: seeds 0 \(epoch \d\), 1 \(epoch \d\), 2 \(epoch \d\), "
                     r"3 \(epoch \d\)$", lines[-1]), lines


def test_two_jobs_give_the_same_recordings_as_one(tmp_path):
    nets = "  wide: {layers: [6], epochs: 5}\n  deep: {layers: [3, 3], optimizer: adam, epochs: 5}"
    folder = content(tmp_path / "content", nets)
    serial, _ = train(folder, tmp_path / "one", jobs=1)
    parallel, lines = train(folder, tmp_path / "two", jobs=2)
    assert sum(line.startswith("trained ") for line in lines) == 2
    for name in ("wide", "deep"):
        one, two = serial[("stage", name)], parallel[("stage", name)]
        assert one.key == two.key
        first = RunStore(tmp_path / "one" / "runs").load_arrays(one.key)
        second = RunStore(tmp_path / "two" / "runs").load_arrays(two.key)
        assert sorted(first) == sorted(second)
        for array in first:
            assert first[array].tobytes() == second[array].tobytes(), (name, array)
        assert one.meta["arrays_sha256"] == two.meta["arrays_sha256"]


def test_progress_is_plain_periodic_lines_when_not_a_terminal():
    stream = io.StringIO()
    board = ProgressBoard(stream)
    board.start("wide-sgd", 5000, 10)
    for done in range(0, 5001, 125):
        board.update("wide-sgd", done)
    board.finish("wide-sgd")
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and "\033" not in stream.getvalue()
    assert [line.split(" × ")[0] for line in lines[:-1]] == [
        f"  wide-sgd: epoch {epochs:,}/5,000" for epochs in (1250, 2500, 3750)]
    assert lines[0].endswith(" × 10 seeds") or ", ETA " in lines[0]
    assert re.fullmatch(r"  wide-sgd: done, 5,000 epochs × 10 seeds in \d+\.\ds", lines[-1])


def test_every_finished_net_prints_a_done_line_whatever_messages_reached_the_board():
    # A short job can end before its worker's start and update messages are read: its done line
    # is printed all the same (the end-to-end test once missed a net's progress this way).
    stream = io.StringIO()
    board = ProgressBoard(stream)
    board.finish("tiny/wide", 600, 3)
    board.show(("start", "tiny/wide", 600, 3))  # late: ignored
    board.show(("update", "tiny/wide", 600))
    assert stream.getvalue() == "  tiny/wide: done, 600 epochs × 3 seeds\n"

    terminal = Terminal()
    board = ProgressBoard(terminal)
    board.start("a/wide", 100, 2)
    board.start("a/deep", 100, 2)
    board.update("a/deep", 50)
    board.finish("a/wide", 100, 2)
    last = terminal.getvalue().rsplit("\r", 1)[1]
    above, *rest = last.split("\033[J", 1)[1].split("\n")
    assert re.fullmatch(r"a/wide: done, 100 epochs × 2 seeds in \d+\.\ds", above)
    assert [line.split(" [")[0] for line in rest] == ["a/deep"]


def test_the_eta_counts_from_when_the_worker_sent_its_updates():
    # Updates arrive in bursts; the ETA must come from the worker's clock (it once read "ETA 0s"
    # at epoch 930 of 3,000 because two updates sent seconds apart arrived together).
    stream = io.StringIO()
    board = ProgressBoard(stream, step=0.3)
    board.start("slow", 3000, 10)
    board.update("slow", 30, 1000.0)     # the first update pays the compile: the ETA starts here
    board.update("slow", 930, 1009.0)    # 900 epochs in 9 s: 2,070 left take about 21 s
    assert "epoch 930/3,000 × 10 seeds, ETA 21s" in stream.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_one_live_line_per_net_with_an_eta_on_a_terminal():
    stream = Terminal()
    board = ProgressBoard(stream)
    board.start("a/wide", 1000, 10)
    board.start("a/deep", 1000, 10)
    board.update("a/wide", 100)
    board.update("a/deep", 100)
    time.sleep(0.12)  # redraws are at most ten a second
    board.update("a/wide", 500)
    # the last drawing: back one line (to the board's first), clear, then a line per net
    last = stream.getvalue().rsplit("\r", 1)[1]
    assert last.startswith("\033[F\033[J")
    lines = last.removeprefix("\033[F\033[J").split("\n")
    assert [line.split(" [")[0] for line in lines] == ["a/wide", "a/deep"]
    assert "epoch 500/1,000 × 10 seeds, ETA " in lines[0]
    board.finish("a/wide")  # its line goes (its done line stays above), the other stays
    after = stream.getvalue().rsplit("\r", 1)[1].split("\033[J")[1].split("\n")
    assert after[0].startswith("a/wide: done, 1,000 epochs × 10 seeds in ")
    assert [line.split(" [")[0] for line in after[1:]] == ["a/deep"]


def test_progress_redraws_one_line_on_a_terminal_and_is_silent_when_quiet():
    stream = Terminal()
    board = ProgressBoard(stream)
    board.start("wide", 100, 2)
    board.update("wide", 100)
    board.finish("wide")
    text = stream.getvalue()
    board_text, done_text = text.rsplit("\r", 1)
    assert board_text.startswith("\r\033[J") and "\n" not in board_text
    assert "wide [████████████] epoch 100/100 × 2 seeds" in board_text
    # the live line is replaced by the done line, which stays
    assert re.fullmatch(r"\033\[Jwide: done, 100 epochs × 2 seeds in \d+\.\ds\n", done_text)

    quiet = io.StringIO()
    board = ProgressBoard(quiet, quiet=True)
    board.start("wide", 100, 2)
    board.update("wide", 100)
    board.finish("wide")
    assert quiet.getvalue() == ""


class Broken(io.StringIO):
    def write(self, text):
        raise OSError("the terminal went away")


def test_progress_display_can_never_abort_a_build():
    stream = io.StringIO()
    board = ProgressBoard(stream)
    # A late message of a net that finished (the KeyError 'steps/relu-adam' once seen), a
    # message about a net never started, nonsense, and a net of zero epochs: all ignored.
    board.start("steps/relu-adam", 100, 2)
    board.finish("steps/relu-adam")
    board.update("steps/relu-adam", 100)
    board.show(("update", "steps/relu-adam", 100))
    board.show(("start", "steps/relu-adam", 100, 2))  # late start: must not come back
    board.update("never/started", 5)
    board.show(("bogus",))
    board.show(None)
    board.start("zero/epochs", 0, 1)
    board.update("zero/epochs", 0)
    assert "steps/relu-adam" not in board.state
    # its done line, and nothing of the late messages
    assert stream.getvalue().count("relu-adam") == 1
    assert stream.getvalue().startswith("  steps/relu-adam: done, 100 epochs × 2 seeds in ")

    broken = ProgressBoard(Broken())
    broken.start("wide", 4, 1)
    for done in range(5):
        broken.update("wide", done)
    broken.finish("wide")


def test_parallel_training_leaves_tensorflow_out_of_the_build_process(tmp_path):
    """Workers send back plain arrays: the build process saves them without TensorFlow."""
    nets = "  wide: {layers: [6], epochs: 5}\n  deep: {layers: [3, 3], epochs: 5}"
    folder = content(tmp_path / "content", nets)
    probe = f"""
import io, sys
from pathlib import Path
from tinynets.posts.load import load_posts
from tinynets.engine import stage as training
from tinynets.progress import ProgressBoard
lines = []
training.train_missing(load_posts(Path({str(folder)!r})), Path({str(tmp_path / 'cache')!r}),
                       False, 2, lines.append, ProgressBoard(io.StringIO()))
print(sorted(line.split()[1].rstrip(":") for line in lines if line.startswith("trained")))
print("tensorflow" in sys.modules, "tinynets.engine.loop" in sys.modules)
"""
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert output.returncode == 0, output.stderr
    assert output.stdout.splitlines()[-2:] == ["['stage/deep', 'stage/wide']", "False False"]
    runs = tmp_path / "cache" / "runs"
    assert len([path for path in runs.iterdir() if not path.name.startswith(".")]) == 2
    assert not [path for path in runs.iterdir() if path.name.startswith(".")]
