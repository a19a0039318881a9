"""What a build keeps so that the next one is lean: template checks and compiled bodies
(build/cache/templates), values derived from recorded arrays (build/cache/derived) and the
arrays' verified hashes (build/cache/verified.json). Each must never serve a stale answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from support import REPO, copy_built
from tinynets.engine import store as store_module
from tinynets.engine.store import RunStore
from tinynets.errors import CorruptEntry
from tinynets.errors import TemplateProblem
from tinynets.measure.kept_values import KeptValues
from tinynets.pages import analysis, template_cache, templating
from tinynets.posts.load import load_posts
from tinynets.posts.model import FramesSpec

from store_support import SMALL, key, recording


@pytest.fixture
def cache_folder(tmp_path):
    template_cache.use(tmp_path / "templates")
    yield tmp_path / "templates"
    template_cache.use(None)


# ----------------------------------------------------------------------------- derived values
def test_kept_values_are_read_back_without_computing(tmp_path):
    path = tmp_path / "derived" / "abc.json"
    calls = []

    def compute():
        calls.append(1)
        return [0.1, 0.25, 3.0]

    assert KeptValues(path).value(("dead", 4), compute) == [0.1, 0.25, 3.0]
    # Another build (a new object) reads the file: the same value, nothing computed.
    assert KeptValues(path).value(("dead", 4), compute) == [0.1, 0.25, 3.0]
    assert len(calls) == 1
    assert KeptValues(path).value(("dead", 5), lambda: [1.0]) == [1.0]  # another key


def test_kept_values_of_other_code_or_damaged_files_are_computed_again(tmp_path):
    path = tmp_path / "abc.json"
    KeptValues(path).value("held_out", lambda: [[1.0]])
    stored = json.loads(path.read_text())
    path.write_text(json.dumps({**stored, "version": "code-before-an-edit"}))
    assert KeptValues(path).value("held_out", lambda: [[2.0]]) == [[2.0]]
    path.write_text("{not json")
    assert KeptValues(path).value("held_out", lambda: [[3.0]]) == [[3.0]]
    assert KeptValues(path).value("held_out", lambda: [[4.0]]) == [[3.0]]  # rewritten whole


def test_values_that_json_would_change_are_not_kept(tmp_path):
    path = tmp_path / "abc.json"
    assert KeptValues(path).value("x", lambda: (1.0, 2.0)) == (1.0, 2.0)  # a tuple: not kept
    nan_list = KeptValues(path).value("y", lambda: [float("nan"), 1.0])
    assert np.isnan(nan_list[0])
    assert not path.exists()


# ----------------------------------------------------------------------------- template checks
def _project_posts(tmp_path, body: str):
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "demo.md").write_text(
        "---\ntitle: Demo\ndate: 2026-11-01\n"
        "data: {function: sine, x_range: [-3.0, 3.0], points: 20}\n"
        "frames: {count: 5}\nnets:\n  wide: {layers: [4], epochs: 10, batch_size: 8}\n---\n" + body, encoding="utf-8")
    return lambda: load_posts(tmp_path / "content")


def test_a_kept_clean_check_never_hides_a_new_mistake(tmp_path, cache_folder):
    posts = _project_posts(tmp_path, "Fine: {{ nets['wide'].median | sig }}\n")
    analysis.check_templates(posts(), REPO / "templates")
    assert list(cache_folder.glob("problems-*"))
    (tmp_path / "content" / "posts" / "demo.md").write_text(
        (tmp_path / "content" / "posts" / "demo.md").read_text().replace("nets['wide']",
                                                                          "nets['wdie']"))
    with pytest.raises(TemplateProblem, match="there is no net 'wdie'"):
        analysis.check_templates(posts(), REPO / "templates")


def test_a_kept_problem_is_reported_again_and_damaged_entries_are_ignored(tmp_path,
                                                                         cache_folder):
    posts = _project_posts(tmp_path, "Typo: {{ nets['wide'].medain }} {{ sigg(1) }}\n")
    with pytest.raises(TemplateProblem) as first:
        analysis.check_templates(posts(), REPO / "templates")
    templating._COMPILED.clear()
    analysis._MACROS.clear()
    with pytest.raises(TemplateProblem) as second:
        analysis.check_templates(posts(), REPO / "templates")
    assert str(second.value) == str(first.value) and "sigg" in str(first.value)
    for entry in cache_folder.iterdir():
        entry.write_bytes(b"\x00garbage")
    analysis._MACROS.clear()
    with pytest.raises(TemplateProblem) as third:
        analysis.check_templates(posts(), REPO / "templates")
    assert str(third.value) == str(first.value)


def test_a_new_macro_in_macros_j2_is_seen_at_once(tmp_path, cache_folder):
    templates = tmp_path / "templates"
    templates.mkdir()
    source = (REPO / "templates" / "macros.j2").read_text(encoding="utf-8")
    (templates / "macros.j2").write_text(source, encoding="utf-8")
    posts = _project_posts(tmp_path, "{{ shout('hi') }}\n")
    with pytest.raises(TemplateProblem, match="'shout' is undefined"):
        analysis.check_templates(posts(), templates)
    (templates / "macros.j2").write_text(
        source + "\n{% macro shout(text) %}{{ text | upper }}{% endmacro %}\n", encoding="utf-8")
    analysis.check_templates(posts(), templates)  # no problem now
    assert "shout" in analysis.page_uses(posts()[0], templates).macros


def test_the_template_cache_stays_bounded_and_keeps_nothing_without_a_folder(
        tmp_path, cache_folder, monkeypatch):
    monkeypatch.setattr(template_cache, "MAX_ENTRIES", 5)
    for number in range(12):
        assert template_cache.remembered("kind", [number], lambda: number) == number
    assert len(list(cache_folder.iterdir())) == 5
    assert template_cache.remembered("kind", [11], lambda: "computed") == 11  # the newest stay
    template_cache.use(None)
    assert template_cache.remembered("kind", [11], lambda: "computed") == "computed"


@pytest.mark.slow
def test_a_warm_build_in_a_new_process_parses_no_post_and_loads_no_arrays(built_project,
                                                                          tmp_path):
    root = copy_built(built_project, tmp_path / "warm")
    probe = (
        "import sys, runpy, jinja2, hashlib\n"
        "parsed = []\n"
        "original = jinja2.Environment._parse\n"
        "def counting(self, source, name, filename):\n"
        "    if type(self).__name__ == 'PostEnvironment' or name: parsed.append(name)\n"
        "    return original(self, source, name, filename)\n"
        "jinja2.Environment._parse = counting\n"
        "sys.argv = ['tinynets', 'build', '--quiet']\n"
        "try:\n    runpy.run_module('tinynets', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "print('PARSED', len(parsed))\n"
        "print('NUMPY', 'numpy' in sys.modules)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                           text=True, env=environment, timeout=300) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    # The first build in the copy parses (its file names differ from the original's); the
    # second finds every check, body, macros.j2 and MkDocs' theme templates compiled on disk.
    assert "PARSED 0" not in runs[0].stdout
    assert "PARSED 0" in runs[1].stdout and "NUMPY False" in runs[1].stdout


# ----------------------------------------------------------------------------- verified hashes
@pytest.fixture
def saved(tmp_path):
    store = RunStore(tmp_path / "cache" / "runs")
    small_key = key(SMALL, (0, 1), frames=FramesSpec(count=3))
    store.save(small_key, SMALL, recording(seeds=(0, 1)))
    return store, small_key


def verify(store, small_key) -> None:
    """Load the entry in a fresh store (hashing it) and keep what was verified."""
    loader = RunStore(store.root)
    loader.load_meta(small_key)
    loader.keep_verified()


def test_verified_arrays_are_not_hashed_again(saved, monkeypatch):
    store, small_key = saved
    verify(store, small_key)  # hashes, and remembers
    assert (store.root.parent / "verified.json").is_file()
    hashed = []
    real = store_module.hashlib.sha256
    monkeypatch.setattr(store_module, "hashlib", SimpleNamespace(
        sha256=lambda data=b"": hashed.append(1) or real(data)))
    assert RunStore(store.root).load_meta(small_key)["net"] == SMALL.name
    assert hashed == []


def test_saved_entries_are_remembered_and_written_once(tmp_path, monkeypatch):
    # An entry this store saved itself is known good: no hash on the next load. And however
    # many entries it verified or saved, verified.json is written once, by keep_verified.
    writes = []
    real_write = store_module.atomic.write_text
    monkeypatch.setattr(store_module.atomic, "write_text",
                        lambda path, text: writes.append(path) or real_write(path, text))
    store = RunStore(tmp_path / "cache" / "runs")
    keys = [key(SMALL, seeds, frames=FramesSpec(count=3)) for seeds in ((0, 1), (2, 3), (4, 5))]
    for each, seeds in zip(keys, ((0, 1), (2, 3), (4, 5))):
        store.save(each, SMALL, recording(seeds=seeds))
    assert writes == []
    store.keep_verified()
    store.keep_verified()  # nothing new: nothing written
    assert writes == [store.root.parent / "verified.json"]
    hashed = []
    real = store_module.hashlib.sha256
    monkeypatch.setattr(store_module, "hashlib", SimpleNamespace(
        sha256=lambda data=b"": hashed.append(1) or real(data)))
    loader = RunStore(store.root)
    assert [loader.load_meta(each)["seeds"] for each in keys] == [[0, 1], [2, 3], [4, 5]]
    assert hashed == []


def test_a_rewritten_array_file_is_hashed_again_even_with_its_old_time(saved):
    store, small_key = saved
    verify(store, small_key)
    arrays = store.path(small_key) / "arrays.npz"
    before = arrays.stat()
    data = bytearray(arrays.read_bytes())
    data[-100] ^= 0xFF
    arrays.write_bytes(bytes(data))
    os.utime(arrays, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    with pytest.raises(CorruptEntry, match="does not match the hash"):
        RunStore(store.root).load_meta(small_key)
