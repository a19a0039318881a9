"""The build record (results.json): its schema, its writer and reader, the environment it
states. Every record here is built by hand (tests/record_samples.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from record_samples import sample_record
from tinynets import environment, record

REPO = Path(__file__).resolve().parent.parent


def written(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def read_error(path) -> str:
    with pytest.raises(record.RecordError) as raised:
        record.read(path)
    return str(raised.value)


def test_the_schema_is_a_valid_2020_12_schema_and_names_its_version():
    schema = json.loads((REPO / "tinynets" / "results.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": record.SCHEMA}


def test_a_record_round_trips_through_its_file(tmp_path):
    path = tmp_path / "site" / "results.json"
    record.write(path, sample_record())
    assert record.read(path) == sample_record()
    data = json.loads(path.read_text("utf-8"))
    assert list(data)[:1] == ["schema"] and data["schema"] == "tinynets-results/1"
    assert "1×60 ReLU, SGD" in path.read_text("utf-8")  # text as written, not \u escapes
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]  # no temporary left


def test_check_jsonschema_accepts_a_written_record(tmp_path):
    """The schema works with the standard tool too, as README shows."""
    path = tmp_path / "results.json"
    record.write(path, sample_record())
    result = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"),
                             "--schemafile", str(REPO / "tinynets" / "results.schema.json"),
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_every_key_is_written_even_when_absent():
    data = record.to_json(sample_record())
    wide = data["posts"]["optimizer-or-depth"]["nets"]["wide-sgd"]["shown"]
    assert wide["test_accuracy"] is None and wide["accuracy"] is None
    assert wide["counts"] == {"near_floor": 1, "stuck": 3, "diverged": 0}
    classifier = data["posts"]["width-and-learning-rate"]["nets"]["tanh"]["shown"]
    assert classifier["counts"] == {"near_floor": None, "stuck": None, "diverged": 0}
    assert classifier["test_accuracy"]["best"] == 0.93
    cells = data["posts"]["width-and-learning-rate"]["sweeps"]["width-rate"]["cells"]
    assert list(cells) == ["layers=[16],learning_rate=0.01", "layers=[64],learning_rate=0.01"]
    assert cells["layers=[64],learning_rate=0.01"]["values"] == {"layers": [64],
                                                                 "learning_rate": 0.01}


def test_a_missing_file(tmp_path):
    assert read_error(tmp_path / "old.json") == f"{tmp_path / 'old.json'}: no such file."


def test_a_folder(tmp_path):
    assert read_error(tmp_path) == f"{tmp_path}: a folder, not a results.json."


def test_malformed_json_names_the_line_and_column(tmp_path):
    path = tmp_path / "results.json"
    path.write_text('{"schema": "tinynets-results/1",\n  "built": }', "utf-8")
    assert read_error(path) == (f"{path}: not valid JSON (line 2, column 12: Expecting value).")


def test_nan_is_not_json(tmp_path):
    data = record.to_json(sample_record())
    wide = data["posts"]["optimizer-or-depth"]["nets"]["wide-sgd"]
    wide["shown"]["final_error"]["median"] = 1234.5
    path = written(tmp_path, data)
    path.write_text(path.read_text("utf-8").replace("1234.5", "NaN"))
    assert read_error(path) == (f"{path}: not valid JSON (NaN is not a JSON value; a record "
                                "writes 'diverged' for it).")


def test_another_version_is_named(tmp_path):
    data = record.to_json(sample_record())
    data["schema"] = "tinynets-results/2"
    assert read_error(written(tmp_path, data)) == (
        f"{tmp_path / 'results.json'}: a tinynets-results/2 record; this tinynets reads "
        "tinynets-results/1. Rebuild it with this tinynets (make site), or compare it with the "
        "tinynets that wrote it.")


def test_a_file_that_is_no_record(tmp_path):
    path = written(tmp_path, {"site_name": "something else"})
    assert read_error(path) == (f"{path}: not a tinynets-results/1 record: at $: 'schema' is a "
                                "required property (and 3 more problems).")


BROKEN = [
    ("a net without its fingerprint",
     lambda data: data["posts"]["optimizer-or-depth"]["nets"]["wide-sgd"].pop("fingerprint"),
     "at $.posts['optimizer-or-depth'].nets['wide-sgd']: 'fingerprint' is a required property."),
    ("a claim that holds 'yes'",
     lambda data: data["posts"]["optimizer-or-depth"]["claims"][1]["replication"].update(
         holds="yes"),
     "at $.posts['optimizer-or-depth'].claims[1].replication.holds: 'yes' is not of type "
     "'boolean'."),
    ("a per-seed error written as a string",
     lambda data: data["posts"]["optimizer-or-depth"]["nets"]["deep-adam"]["replication"][
         "final_error"]["per_seed"].__setitem__(2, "inf"),
     "at $.posts['optimizer-or-depth'].nets['deep-adam'].replication.final_error.per_seed[2]: "
     "'inf' is not valid under any of the given schemas: expected a finite number, 'never' or "
     "'diverged'."),
    ("a cell without its values",
     lambda data: data["posts"]["width-and-learning-rate"]["sweeps"]["width-rate"]["cells"][
         "layers=[16],learning_rate=0.01"].pop("values"),
     "at $.posts['width-and-learning-rate'].sweeps['width-rate'].cells['layers=[16],"
     "learning_rate=0.01']: 'values' is a required property."),
    ("a build time that is not UTC",
     lambda data: data.update(built="2026-11-30 14:05"),
     "at $.built: '2026-11-30 14:05' does not match "
     "'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'."),
    ("no room for the replication seeds",
     lambda data: data["posts"]["optimizer-or-depth"]["seeds"].pop("replication"),
     "at $.posts['optimizer-or-depth'].seeds: 'replication' is a required property."),
    ("a dirty flag that is a word",
     lambda data: data["environment"]["tinynets"].update(dirty="no"),
     "at $.environment.tinynets.dirty: 'no' is not of type 'boolean', 'null'."),
]


@pytest.mark.parametrize("breaking, problem", [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_a_broken_record_names_the_json_path(tmp_path, breaking, problem):
    data = record.to_json(sample_record())
    breaking(data)
    path = written(tmp_path, data)
    assert read_error(path) == f"{path}: not a tinynets-results/1 record: {problem}"


def test_keys_added_within_a_version_are_ignored(tmp_path):
    """The versioning rule: a new key is not a new version; readers skip what they don't know."""
    data = record.to_json(sample_record())
    data["posts"]["optimizer-or-depth"]["nets"]["wide-sgd"]["energy_joules"] = 12.0
    data["environment"]["gpu"] = None
    assert record.read(written(tmp_path, data)) == sample_record()


def test_write_refuses_a_record_that_breaks_the_schema_and_keeps_the_previous_file(tmp_path):
    path = tmp_path / "results.json"
    record.write(path, sample_record())
    before = path.read_bytes()
    post = sample_record().posts["optimizer-or-depth"]
    bad_net = dataclasses.replace(post.nets["wide-sgd"], fingerprint="not hex")
    bad = dataclasses.replace(sample_record(), posts={
        "optimizer-or-depth": dataclasses.replace(post, nets={"wide-sgd": bad_net})})
    with pytest.raises(record.RecordError) as raised:
        record.write(path, bad)
    assert str(raised.value) == (
        f"{path}: the record to write at $.posts['optimizer-or-depth'].nets['wide-sgd']"
        ".fingerprint: 'not hex' does not match '^[0-9a-f]{8,64}$'; nothing written.")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_write_refuses_an_infinite_number(tmp_path):
    post = sample_record().posts["optimizer-or-depth"]
    net = post.nets["wide-sgd"]
    infinite = dataclasses.replace(net, shown=dataclasses.replace(
        net.shown, final_error=dataclasses.replace(net.shown.final_error, worst=float("inf"))))
    bad = dataclasses.replace(sample_record(), posts={
        "optimizer-or-depth": dataclasses.replace(post, nets={"wide-sgd": infinite})})
    with pytest.raises(record.RecordError) as raised:
        record.write(tmp_path / "results.json", bad)
    assert str(raised.value) == (
        f"{tmp_path / 'results.json'}: the record to write holds Out of range float values are "
        "not JSON compliant: inf; store infinite values as record.value(x) does. Nothing "
        "written.")
    assert list(tmp_path.iterdir()) == []


def test_values_and_cell_ids():
    assert [record.value(x) for x in (0.5, float("nan"), float("-inf"), 3)] == [
        0.5, "diverged", "diverged", 3]
    with pytest.raises(TypeError):
        record.value(True)
    assert record.cell_id({"layers": (10, 10), "learning_rate": 1e-05}) == (
        "layers=[10,10],learning_rate=1e-05")
    assert record.cell_id({"optimizer": "sgd-momentum", "momentum": 0.9}) == (
        "optimizer=sgd-momentum,momentum=0.9")


def test_runs_lists_nets_then_cells():
    post = sample_record().posts["width-and-learning-rate"]
    assert [name for name, _ in post.runs()] == [
        "tanh", "width-rate[layers=[16],learning_rate=0.01]",
        "width-rate[layers=[64],learning_rate=0.01]"]


# The environment a record states.

def test_vector_isa_keeps_the_flags_that_change_xla_code():
    flags = ("fpu sse sse2 ssse3 sse4_1 sse4_2 avx aes avx2 fma f16c smep smap avx512f "
             "avx512bw avx512_vnni avx_vnni amx_tile rdrand").split()
    assert environment.vector_isa(flags) == (
        "amx_tile", "avx", "avx2", "avx512_vnni", "avx512bw", "avx512f", "avx_vnni", "f16c",
        "fma", "sse4_1", "sse4_2", "ssse3")
    assert environment.vector_isa("fp asimd evtstrm aes sve sve2 i8mm bf16 sme".split()) == (
        "asimd", "bf16", "i8mm", "sme", "sve", "sve2")


def test_cpu_reads_the_first_processor(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU 9000\nflags\t\t: fpu sse2 "
                       "avx2 fma\n\nprocessor\t: 1\nmodel name\t: Other\nflags\t\t: avx512f\n")
    assert environment.cpu(cpuinfo) == record.Cpu("Example CPU 9000", ("avx2", "fma"))


def git(folder: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True,
                          text=True, env={**os.environ, "GIT_AUTHOR_NAME": "t",
                                          "GIT_AUTHOR_EMAIL": "t@example.org",
                                          "GIT_COMMITTER_NAME": "t",
                                          "GIT_COMMITTER_EMAIL": "t@example.org"}).stdout


def test_git_state_names_the_commit_and_whether_the_checkout_is_dirty(tmp_path):
    assert environment.git_state(tmp_path) == (None, None)
    git(tmp_path, "init", "-q")
    (tmp_path / "post.md").write_text("one")
    git(tmp_path, "add", "post.md")
    git(tmp_path, "commit", "-q", "-m", "one")
    commit = git(tmp_path, "rev-parse", "HEAD").strip()
    assert environment.git_state(tmp_path) == (commit, False)
    (tmp_path / "post.md").write_text("two")
    assert environment.git_state(tmp_path) == (commit, True)


def test_the_environment_is_the_running_one_and_fits_the_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_max_isa=AVX2")
    (tmp_path / "requirements.lock").write_text("numpy==2.4.6\n")
    found = environment.current(tmp_path)
    assert found.keras == metadata.version("keras")
    assert found.numpy == metadata.version("numpy")
    assert found.tensorflow == (metadata.version("tensorflow-cpu") if _installed("tensorflow-cpu")
                                else metadata.version("tensorflow"))
    assert found.python == ".".join(map(str, sys.version_info[:3]))
    assert found.lock_sha256 == hashlib.sha256(b"numpy==2.4.6\n").hexdigest()
    assert found.xla_flags == "--xla_cpu_max_isa=AVX2"
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    assert found.tinynets.version == re.search(r'^version = "(.+)"', pyproject, re.M).group(1)
    assert found.tinynets.commit is None  # tmp_path is no checkout
    with_it = dataclasses.replace(sample_record(), environment=found)
    record.write(tmp_path / "results.json", with_it)
    assert record.read(tmp_path / "results.json").environment == found


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


# A write remembers the last record it checked: a rebuild whose record moved only in its build
# time and its claims' line numbers (an author's edit above a claim) skips the schema check and
# the jsonschema import; anything else, or a moved part that breaks the schema, is checked.
WRITE_ONCE = """
import dataclasses, sys
from pathlib import Path
from record_samples import sample_record
from tinynets import record

change, checked = sys.argv[1], Path(sys.argv[2])
sample = sample_record()
post = sample.posts["optimizer-or-depth"]
moved = {"first": lambda line: line, "moved": lambda line: line + 3, "line0": lambda line: 0}
claims = tuple(dataclasses.replace(claim, line=moved.get(change, moved["first"])(claim.line),
                                   text=claim.text + (" Edited." if change == "text" else ""))
               for claim in post.claims)
built = sample.built if change == "first" else "2026-12-07T03:00:00Z"
changed = dataclasses.replace(sample, built=built, posts={
    **sample.posts, "optimizer-or-depth": dataclasses.replace(post, claims=claims)})
record.json_text(changed, checked=checked)
print("jsonschema imported:", "jsonschema" in sys.modules)
"""


def write_once(change: str, checked: Path) -> subprocess.CompletedProcess:
    from support import REPO

    return subprocess.run([sys.executable, "-c", WRITE_ONCE, change, str(checked)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests'}"})


def test_a_rebuild_that_only_moved_claim_lines_skips_the_schema_check(tmp_path):
    checked = tmp_path / "results.checked"
    first = write_once("first", checked)
    assert first.returncode == 0, first.stderr
    assert "jsonschema imported: True" in first.stdout and checked.is_file()
    moved = write_once("moved", checked)
    assert moved.returncode == 0, moved.stderr
    assert "jsonschema imported: False" in moved.stdout  # new build time, lines moved: no check
    edited = write_once("text", checked)
    assert edited.returncode == 0, edited.stderr
    assert "jsonschema imported: True" in edited.stdout  # a claim's text changed: checked again


def test_a_claim_line_that_breaks_the_schema_is_refused_even_when_the_rest_was_checked(tmp_path):
    checked = tmp_path / "results.checked"
    assert write_once("first", checked).returncode == 0
    broken = write_once("line0", checked)
    assert broken.returncode != 0
    assert re.search(r"results\.json: the record to write at \$\.posts\['optimizer-or-depth'\]"
                     r"\.claims\[\d\]\.line: 0 is less than the minimum of 1 \(and 1 more "
                     r"problem\); nothing written\.", broken.stderr), broken.stderr
