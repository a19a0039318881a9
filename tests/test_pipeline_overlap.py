"""Training and rendering in one pool: a medium starts once its runs are trained, renders the
same bytes as the separate media stage, and the shared pool starts and stops as it should.

No TensorFlow: recordings are synthetic (tests/media_support.py), and the training stage's
hook is checked with its training job replaced, in this process.
"""

from __future__ import annotations

import io
import os

import numpy as np

from support import FIXTURE
from media_support import shown, synthetic_runs
from process_support import alive, wait_gone
from tinynets import workers
from tinynets.engine import stage as training
from tinynets.media import stage as media
from tinynets.media.catalog import Kind
from tinynets.progress import ProgressBoard
from tinynets.posts.load import load_posts


def one_d_posts():
    return [post for post in load_posts(FIXTURE / "content")
            if post.nets and post.data.dimensions == 1]


def test_media_start_as_soon_as_their_runs_are_trained_and_match_the_media_stage(tmp_path):
    posts = one_d_posts()
    post = posts[0]
    assert len(post.nets) >= 2  # a comparison waits for every net of its post
    alone = synthetic_runs(posts, tmp_path / "alone")
    expected = media.render_missing(posts, alone, shown(posts), tmp_path / "alone",
                                    force=False, log=lambda line: None)

    cache = tmp_path / "cache"
    runs = synthetic_runs(posts, cache)
    metas = {key: run.meta for key, run in runs.items()}
    for run in runs.values():
        run.meta = None  # not trained yet
    log: list[str] = []
    with media.Renderer(posts, shown(posts), cache, False, log.append, jobs=2) as renderer:
        renderer.update(runs)  # planned; nothing trains in the pool yet, so nothing starts
        assert renderer.missing and not renderer.submitted and not renderer.pool.started
        renderer.pool.submit(os.getpid).result()  # what the training stage's first job does
        renderer.update(runs)
        assert not renderer.submitted  # no run trained: nothing can render

        first = (post.slug, post.nets[0].name)
        runs[first].meta = metas[first]
        renderer.update(runs)
        started = {medium.key for medium in renderer.submitted.values()}
        own = {medium.key for medium in expected.page(post.slug).media
               if medium.shows == first[1]}
        comparisons = {medium.key for medium in expected.page(post.slug).media
                       if medium.kind in (Kind.COMPARISON, Kind.COMPARISON_LOSSES)}
        assert started == own and len(own) == 1  # its own
        assert comparisons and not comparisons & started

        for key, run in runs.items():
            run.meta = metas[key]
        result = renderer.finish(runs)
        pids = renderer.pool.processes()
    assert wait_gone(pids) == set()  # stopped with the block
    assert [medium.key for medium in result.media] == [medium.key for medium in expected.media]
    for medium, alone in zip(result.media, expected.media):  # byte-identical, the WebM too
        files, before = medium.cached(cache), alone.cached(tmp_path / "alone")
        assert list(files) == list(before)
        for name, path in files.items():
            assert path.read_bytes() == before[name].read_bytes(), (medium.subject, name)
    assert all(line.startswith("render  ") for line in log)  # one line per medium, as before
    assert len(log) == len({path.parent for medium in result.media
                            for path in medium.cached(cache).values()})
    assert not [path for path in (cache / "media").iterdir() if path.name.startswith(".")]


def test_renderer_without_a_pool_renders_in_this_process_like_the_media_stage(tmp_path):
    posts = one_d_posts()[:1]
    runs = synthetic_runs(posts, tmp_path / "cache")
    log: list[str] = []
    with media.Renderer(posts, shown(posts), tmp_path / "cache", False, log.append,
                        jobs=1) as renderer:
        assert renderer.pool is None
        result = renderer.finish(runs)
    again: list[str] = []
    assert media.render_missing(posts, runs, shown(posts), tmp_path / "cache", False,
                                again.append) == result
    assert all(line.startswith("reused  ") for line in again) and len(again) == len(log)


def test_a_failed_build_leaves_no_temporary_media_folders(tmp_path):
    posts = one_d_posts()[:1]
    cache = tmp_path / "cache"
    runs = synthetic_runs(posts, cache)
    try:
        with media.Renderer(posts, shown(posts), cache, False, lambda line: None,
                            jobs=2) as renderer:
            renderer.pool.submit(os.getpid).result()
            renderer.update(runs)  # every medium starts: all runs are there
            assert renderer.submitted
            pids = renderer.pool.processes()
            raise KeyboardInterrupt  # the build stops before the media stage finishes
    except KeyboardInterrupt:
        pass
    assert wait_gone(pids) == set()
    media_folder = cache / "media"
    assert not [path for path in media_folder.iterdir() if path.name.startswith(".")]


def test_on_demand_pool_starts_with_its_first_job_and_stops_its_workers_on_exit():
    with workers.OnDemandPool(2) as pool:
        assert not pool.started and pool.processes() == [] and list(pool.completed([])) == []
    assert not pool.started  # nothing submitted: no process, nothing imported for one

    with workers.OnDemandPool(2) as pool:
        futures = [pool.submit(os.getpid) for _ in range(2)]
        assert pool.started
        assert {future.result() for future in pool.completed(futures)} <= set(pool.processes())
        pids = pool.processes()
        assert pids and all(alive(pid) for pid in pids)
    assert wait_gone(pids, 2.0) == set()  # stopped at once, not left to wind down


def fake_recording(label, data, net, seeds, epochs_at):
    """A training job's result without TensorFlow: what ``plain_recording`` would return."""
    epochs_at = np.asarray(epochs_at)
    return {"seeds": np.asarray(seeds), "frame_epochs": epochs_at, "grid": np.zeros(3),
            "predictions": np.zeros((len(epochs_at), len(seeds), 3), dtype=np.float32),
            "losses": np.ones((net.epochs, len(seeds)), dtype=np.float32),
            "fit_losses": np.ones((net.epochs, len(seeds)), dtype=np.float32),
            "weights": [], "wall_time": 0.1}


def test_training_stage_tells_the_media_stage_as_each_run_is_saved(tmp_path, monkeypatch):
    folder = tmp_path / "content"
    (folder / "posts").mkdir(parents=True)
    (folder / "posts" / "hook.md").write_text(
        "---\ntitle: Hook\ndate: 2026-11-01\n"
        "data: {function: sine, x_range: [-3.0, 3.0], points: 40, noise: 0.1, seed: 0}\n"
        "nets:\n  short: {layers: [4], epochs: 4}\n  long: {layers: [4], epochs: 40}\n"
        "seeds: 2\nframes: {count: 3}\n---\n\nBody.\n", encoding="utf-8")
    monkeypatch.setattr(training, "_train_job", fake_recording)
    seen: list[list[str]] = []

    def on_runs(runs):
        seen.append(sorted(name for (_, name), run in runs.items() if run.meta is not None))

    posts = load_posts(folder)
    runs = training.train_missing(posts, tmp_path / "cache", False, 1, lambda line: None,
                                  ProgressBoard(io.StringIO()), on_runs=on_runs)
    # submitted (nothing trained), then each job as it is saved (the longest first), then done
    assert seen == [[], ["long"], ["long", "short"], ["long", "short"]]
    assert all(run.meta is not None for run in runs.values())

    seen.clear()  # a warm stage: told once, every run loaded from the cache
    training.train_missing(posts, tmp_path / "cache", False, 1, lambda line: None,
                           ProgressBoard(io.StringIO()), on_runs=on_runs)
    assert seen == [["long", "short"]]


def test_one_pool_serves_both_stages(tmp_path):
    """The training stage runs its jobs in the pool it is given and leaves it running."""
    from tinynets.engine import executors

    with workers.OnDemandPool(2) as pool:
        with executors.open_executor("local", 2, None, None, pool) as running:
            jobs = [running.submit(f"job{index}", os.getpid) for index in range(2)]
            pids = {result for _, result in running.completed(jobs)}
        assert pool.started and pids <= set(pool.processes())
        assert all(alive(pid) for pid in pids)  # still there for the media stage
        assert pool.submit(os.getpid).result() in pool.processes()
    assert wait_gone(pids) == set()

