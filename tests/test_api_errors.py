"""The Python API's errors are the build's: a wrong key, a bad value, a net or a post that does
not exist each give the message the build prints (exact text), one TinynetsError, never a
traceback from deep inside."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import tinynets as tn
from support import REPO, copy_built
from tinynets.errors import NoSuchName, SpecError, TemplateProblem, TinynetsError

# One experiment with four mistakes, as keyword arguments and as a post's front matter.
MISTAKES = {"sead": 3, "nets": {"wide": {"layer": [8], "epochs": 0, "optimizer": "adamw"}}}
FRONT_MATTER = """---
title: Mistakes
date: 2026-11-01
sead: 3
nets:
  wide: {layer: [8], epochs: 0, optimizer: adamw}
---
Body.
"""
PROBLEMS = [
    "sead: unknown key 'sead': did you mean 'seeds'? Allowed keys: data, nets, sweeps, seeds, "
    "replicate, frames, thresholds.",
    "nets.wide.layer: unknown key 'layer': did you mean 'layers'? Allowed keys: label, color, "
    "layers, activation, optimizer, learning_rate, momentum, batch_size, epochs, loss.",
    "nets.wide.epochs: got 0, expected a whole number from 1 to 1000000.",
    "nets.wide.optimizer: got 'adamw', expected one of sgd, sgd-momentum, adam, rmsprop, "
    "adagrad, nadam (did you mean 'adam'?).",
]
# A post may hold more keys than an experiment (its title, date, …): the build lists those.
POST_KEYS = ("sead: unknown key 'sead': did you mean 'seeds'? Allowed keys: title, date, "
             "authors, categories, tags, description, draft, pin, card, seeds, replicate, "
             "data, nets, sweeps, frames, thresholds.")


def test_every_mistake_of_an_experiment_at_once_naming_the_key(project):
    with pytest.raises(SpecError) as caught:
        tn.experiment(**MISTAKES, root=project)
    assert str(caught.value) == "4 problems in experiment():\n" + "\n".join(
        f"  - experiment(): {problem}" for problem in PROBLEMS)
    assert caught.value._render_traceback_() == [f"SpecError: {caught.value}"]


def test_the_build_says_the_same_of_the_same_mistakes_in_front_matter(project):
    (project / "content" / "posts" / "mistakes.md").write_text(FRONT_MATTER, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tinynets", "build"], cwd=project,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    said = [line.split(": ", 1)[1] for line in result.stderr.splitlines()
            if line.startswith("  - content/posts/mistakes.md:")]
    assert said == [POST_KEYS, *PROBLEMS[1:]], result.stderr


def test_python_values_meet_front_matter_checks_as_yaml_would_read_them(project):
    # tuples are lists, numpy's numbers Python's: the check sees what YAML would give it
    import numpy

    made = tn.experiment(nets={"deep": {"layers": (numpy.int64(4), 4), "epochs": 200,
                                        "learning_rate": numpy.float32(0.5)}},
                         seeds=[0, 2], frames={"count": 20}, root=project)
    net = made.spec.nets[0]
    assert (net.layers, net.learning_rate, made.spec.seeds) == ((4, 4), 0.5, (0, 2))
    # replication seeds as a post's: as many as shown after the largest, unless replicate says
    assert made.spec.replication_seeds == (3, 4)
    assert repr(made) == ("Experiment('notebook': deep (2×4, sgd, 200 epochs); 2 + 2 "
                          "replication seeds)")
    alone = tn.experiment(nets={"a": {}}, seeds=3, replicate=numpy.int64(0), root=project)
    assert (alone.spec.seeds, alone.spec.replication_seeds) == ((0, 1, 2), ())
    with pytest.raises(SpecError) as caught:
        tn.experiment(nets={"a": {}}, replicate=-1, root=project)
    assert str(caught.value) == ("1 problem in experiment():\n  - experiment(): replicate: got "
                                 "-1, expected a whole number from 0 to 100.")
    with pytest.raises(SpecError) as caught:
        tn.experiment(data={"function": "sine", "extent": 3}, nets={"a": {}}, root=project)
    assert str(caught.value) == ("1 problem in experiment():\n  - experiment(): data.extent: "
                                 "'extent' applies to the function circle, xor, gaussians, "
                                 "spiral, moons, waves only, not to sine: remove it.")
    with pytest.raises(SpecError) as caught:
        tn.experiment(data={"function": "sine"}, root=project)
    assert str(caught.value) == ("1 problem in experiment():\n  - experiment(): an experiment "
                                 "needs nets (or sweeps) to train, e.g. nets={'wide': "
                                 "{'layers': [60]}}.")


def test_a_name_that_is_not_a_slug_and_a_folder_that_is_no_project(project, tmp_path):
    with pytest.raises(TinynetsError) as caught:
        tn.experiment(nets={"a": {}}, name="My Notebook", root=project)
    assert str(caught.value) == ("name='My Notebook': an experiment's name is a slug "
                                 "(lowercase letters, digits and dashes), e.g. 'notebook'.")
    with pytest.raises(TinynetsError) as caught:
        tn.post("tiny", root=tmp_path)
    assert str(caught.value) == (f"root={str(tmp_path)!r}: no tinynets project there (no "
                                 "content/ folder): give the folder that holds content/, "
                                 "templates/ and mkdocs.yml.")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(TinynetsError) as caught:
            tn.post("tiny")
    finally:
        os.chdir(here)
    assert str(caught.value) == (f"no tinynets project in {tmp_path.resolve()} or above it (a "
                                 "folder with mkdocs.yml and content/): start the notebook "
                                 "inside a project, or pass root='path/to/project'.")


def test_a_post_that_does_not_exist_is_named_as_build_only_names_it(project):
    with pytest.raises(NoSuchName) as caught:
        tn.post("tiyn", root=project)
    expected = "no post content/posts/tiyn.md. Posts: notes, plane, sweep, tiny."
    assert str(caught.value) == expected
    build = subprocess.run([sys.executable, "-m", "tinynets", "build", "--only", "tiyn"],
                           cwd=project, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert build.stderr == f"error: --only tiyn: {expected}\n"
    with pytest.raises(TinynetsError) as caught:
        tn.post("notes", root=project)
    assert str(caught.value) == ("content/posts/notes.md declares no nets or sweeps: it has no "
                                 "results.")


@pytest.fixture(scope="module")
def results(built_project, tmp_path_factory):
    root = copy_built(built_project, tmp_path_factory.mktemp("errors") / "project")
    return tn.post("tiny", root=root, train=False)


def test_a_net_or_sweep_that_does_not_exist_is_named_as_the_build_names_it(results, project):
    with pytest.raises(NoSuchName) as caught:
        results.nets["wid"]
    expected = ("there is no net 'wid' in this post (did you mean 'wide'?); its nets are "
                "nets['wide'], nets['deep']")
    assert str(caught.value) == expected and isinstance(caught.value, KeyError)
    with pytest.raises(NoSuchName) as caught:
        results.sweeps["width"]
    assert str(caught.value) == "there is no sweep 'width' in this post; its sweeps are none"
    # the build, on a post that writes nets['wid']: the same words after its file and line
    post = project / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n{{ nets['wid'].median }}\n",
                    encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "tinynets", "build", "--only", "tiny"],
                           cwd=project, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert build.returncode == 1 and f": undefined: {expected}." in build.stderr, build.stderr


def test_what_a_template_may_not_do_a_notebook_may_not_either(results):
    wide = results.nets["wide"]
    with pytest.raises(TemplateProblem) as caught:
        tn.claim("always", True)
    assert str(caught.value) == ("claim('always', …) checks the constant True, which no "
                                 "measurement can contradict: compare measurements instead, "
                                 "e.g. nets['a'].median < nets['b'].median")
    with pytest.raises(TinynetsError) as caught:
        results.ratio_interval(wide, results.nets["deep"], level=2)
    assert str(caught.value) == ("ratio_interval(a, b, level): level must be between 0 and 1, "
                                 "such as 0.9, got 2")
    with pytest.raises(TinynetsError) as caught:
        wide.keras_model(seed=7)
    assert str(caught.value) == ("nets['wide'].keras_model(seed=7): the net's shown seeds are "
                                 "0, 1 (its replication seeds, 2, 3, only check claims).")
    with pytest.raises(TinynetsError) as caught:
        wide.keras_model(seed=2)  # trained in the same run, but never shown
    assert str(caught.value).startswith("nets['wide'].keras_model(seed=2): the net's shown ")
    with pytest.raises(TinynetsError) as caught:
        wide.keras_model(epoch=7)
    assert str(caught.value) == ("nets['wide'].keras_model(epoch=7): weights are recorded at "
                                 "the frame epochs only (12 of them, 0 to 30); the nearest: 6, "
                                 "8. None gives the final weights.")
    with pytest.raises(TinynetsError) as caught:
        wide.to_rows("weights")
    assert str(caught.value) == ("to_rows('weights'): expected 'finals' (one row per seed) or "
                                 "'losses' (one row per seed and frame epoch).")
    with pytest.raises(TinynetsError) as caught:
        wide.figure(fallback="webm")
    assert str(caught.value) == ("fallback='webm': expected one of 'gif' (the animation, or a "
                                 "plot's SVG), 'png' (a still) or None.")


def test_not_trained_is_an_error_that_says_how_to_train(project):
    with pytest.raises(TinynetsError) as caught:
        tn.post("tiny", root=project, train=False)
    assert str(caught.value) == ("not trained yet: tiny/wide, tiny/deep. Train them with "
                                 "tinynets.post('tiny') (train=True, the default) or "
                                 "`python -m tinynets build`.")
