"""Your own data: a CSV file read, checked and fingerprinted; one test per kind of mistake, each
with its exact message (file and line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinynets.engine.store import describe_change, run_key
from tinynets.errors import SpecError
from tinynets.posts import schema
from tinynets.posts.csvdata import CsvSpec
from tinynets.posts.load import load_post
from tinynets.posts.model import FramesSpec

POST = """---
title: T
date: 2026-01-01
seeds: 2
data: {DATA}
nets:
  n: {{layers: [4], epochs: 20, batch_size: 2}}
frames: {{count: 5}}
---
body
"""


@pytest.fixture
def content(tmp_path: Path, monkeypatch) -> Path:
    """content/ with posts/ and data/, the current folder its parent (paths as authors see them)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "data").mkdir()
    return tmp_path / "content"


def write(content: Path, csv: str, data: str, name: str = "points.csv") -> Path:
    (content / "data" / name).write_text(csv, encoding="utf-8")
    post = content / "posts" / "p.md"
    post.write_text(POST.format(DATA=data), encoding="utf-8")
    return post


def problems(post: Path) -> list[str]:
    with pytest.raises(SpecError) as error:
        load_post(post, schema.Defaults())
    return error.value.problems


ONE = "{file: data/points.csv, x: x, y: y}"
TWO = "{file: data/points.csv, x: [a, b], y: label, task: classification}"


def test_one_column_regression_reads_every_row(content):
    post = load_post(write(content, "x,y\n0,1\n1,3.5\n\n2,-1e-1\n", ONE), schema.Defaults())
    data = post.data
    assert isinstance(data, CsvSpec)
    assert data.x_values == (0.0, 1.0, 2.0) and data.y_values == (1.0, 3.5, -0.1)
    assert data.dimensions == 1 and data.inputs == 1 and data.test_count == 0
    assert data.noise_floor is None and not data.classification
    assert post.nets[0].inputs == 1 and post.nets[0].loss == "mse"


def test_two_columns_classification_with_features(content):
    rows = "a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(10))
    post = load_post(write(content, rows, "{file: data/points.csv, x: [a, b], y: label, "
                           "task: classification, test_fraction: 0.2, "
                           "features: [x1, x2, x1*x2]}"), schema.Defaults())
    data = post.data
    assert data.dimensions == 2 and data.classification and data.features == ("x1", "x2", "x1·x2")
    assert data.test_count == 2 and data.training_count == 8
    assert post.nets[0].inputs == 3 and post.nets[0].loss == "bce"


def test_missing_file(content):
    (content / "data" / "other.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    post = content / "posts" / "p.md"
    post.write_text(POST.format(DATA="{file: data/nope.csv, x: x, y: y}"), encoding="utf-8")
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/nope.csv does not exist (CSV files in "
        "content/data/: other.csv). Check the path, written from content/ (e.g. "
        "data/points.csv)."]


def test_path_outside_content(content):
    (content.parent / "secret.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    post = content / "posts" / "p.md"
    post.write_text(POST.format(DATA="{file: ../secret.csv, x: x, y: y}"), encoding="utf-8")
    assert problems(post) == [
        "content/posts/p.md:5: data.file: '../secret.csv' is outside content/: put the file "
        "under content/data/ and write its path from content/, e.g. data/points.csv."]


def test_missing_column_lists_the_columns(content):
    post = write(content, "x,value\n1,2\n2,3\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.y: there is no column 'y' in content/data/points.csv; its "
        "columns are: x, value."]


def test_non_numeric_cell(content):
    post = write(content, "x,y\n1,2\n2,3 m\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:3: column 'y' holds '3 m', "
        "which is not a number: write numbers with a dot for decimals (1.5), no units or "
        "thousands separators."]


def test_empty_cell(content):
    post = write(content, "x,y\n1,2\n,3\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:3: column 'x' is empty: "
        "every row needs a number in every column used (remove the row or fill it in)."]


def test_nan_cell(content):
    post = write(content, "x,y\n1,2\n2,NaN\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:3: column 'y' holds 'NaN': "
        "every value must be a finite number (remove the row or fill it in)."]


def test_fewer_than_two_rows(content):
    post = write(content, "x,y\n1,2\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:2: 1 data row below the "
        "header; at least 2 are needed to train on."]
    post = write(content, "x,y\n\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:1: 0 data rows below the "
        "header; at least 2 are needed to train on."]


def test_a_semicolon_separated_file_is_read(content):
    """Spreadsheets write ';'-separated CSV where the comma is the decimal mark."""
    post = load_post(write(content, "x;y\n0;1\n1;3.5\n", ONE), schema.Defaults())
    assert post.data.x_values == (0.0, 1.0) and post.data.y_values == (1.0, 3.5)
    tabs = load_post(write(content, "x\ty\n0\t1\n1\t2\n", ONE), schema.Defaults())
    assert tabs.data.y_values == (1.0, 2.0)
    decimal_commas = write(content, "x;y\n0;1\n1;3,5\n", ONE)
    assert problems(decimal_commas) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:3: column 'y' holds '3,5', "
        "which is not a number: write numbers with a dot for decimals (1.5), no units or "
        "thousands separators."]


def test_not_utf8_names_the_line(content):
    post = write(content, "", ONE)
    (content / "data" / "points.csv").write_bytes(b"x,y\n1,2\n2,caf\xe9\n")
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:3: not UTF-8 text: save the "
        "file as UTF-8 CSV."]


def test_rows_past_the_limit_are_not_read(content):
    """A file over the row limit is refused at the first row past it: what follows is not read
    (a bad cell there is not reached) and memory stays that of the rows kept."""
    import tracemalloc

    from tinynets.posts.csvdata import MAX_ROWS

    rows = "".join(f"{i},{i % 7}\n" for i in range(MAX_ROWS + 1))
    post = write(content, "x,y\n" + rows + "1,oops\n", ONE)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:100002: more than 100,000 "
        "data rows, the most a post may train on: keep a sample of at most 100,000 rows (e.g. "
        "every tenth row)."]
    (content / "data" / "points.csv").write_text("x,y\n" + rows * 5, encoding="utf-8")
    tracemalloc.start()
    try:
        problems(post)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MiB while refusing a 500,000-row file"


def test_labels_not_zero_or_one(content):
    post = write(content, "a,b,label\n1,2,0\n2,3,1\n3,4,2\n", TWO)
    assert problems(post) == [
        "content/posts/p.md:5: data.file: content/data/points.csv:4: column 'label' holds '2', "
        "but classification labels must be 0 or 1 (or set task: regression)."]


def test_file_and_function_together(content):
    post = write(content, "x,y\n1,2\n2,3\n", "{file: data/points.csv, x: x, y: y, "
                 "function: sine}")
    assert problems(post) == [
        "content/posts/p.md:5: data.function: data from a file has no function: remove "
        "'function', or remove 'file' to generate the data."]


def test_noise_floor_only_when_the_author_gives_it(content):
    post = load_post(write(content, "x,y\n1,2\n2,3\n", "{file: data/points.csv, x: x, y: y, "
                           "noise_floor: 0.04}"), schema.Defaults())
    assert post.data.noise_floor == 0.04


def test_fingerprint_follows_the_file_content(content):
    post_path = write(content, "x,y\n1,2\n2,3\n", ONE)
    first = load_post(post_path, schema.Defaults())
    key = run_key(first.data, first.nets[0], first.seeds, FramesSpec(5))
    same = load_post(post_path, schema.Defaults())
    assert run_key(same.data, same.nets[0], same.seeds, FramesSpec(5)) == key
    (content / "data" / "points.csv").write_text("x,y\n1,2\n2,3.5\n", encoding="utf-8")
    edited = load_post(post_path, schema.Defaults())
    changed = run_key(edited.data, edited.nets[0], edited.seeds, FramesSpec(5))
    assert changed.fingerprint != key.fingerprint
    why = describe_change(key.spec, changed.spec)
    assert why.startswith("data/points.csv changed (content hash ")
    assert first.data.sha256 in why and edited.data.sha256 in why


def test_loss_plot_errors_on_file_data_is_refused_before_training(content):
    from tinynets.errors import TemplateProblem
    from tinynets.pages import analysis
    from tinynets.posts.load import load_posts

    post = write(content, "x,y\n0,1\n1,3.5\n2,-1e-1\n3,2\n", ONE)
    post.write_text(post.read_text(encoding="utf-8")
                    + "{{ loss_plot(nets['n']) }}\n{{ loss_plot(nets['n'], errors=true) }}\n",
                    encoding="utf-8")
    templates = Path(__file__).resolve().parent.parent / "templates"
    with pytest.raises(TemplateProblem) as refused:
        analysis.check_templates(load_posts(content), templates)
    assert str(refused.value) == (
        "content/posts/p.md:12: loss_plot(…, errors=…) draws the noise-free and held-out "
        "errors, which need the true function, and data from a file has none: leave errors out "
        "(the training error is always drawn).")
