"""tinynets.posts: reading and validating a post's front matter, one test per kind of author
mistake with its exact message; the data-set protocol and the kinds of value.

Every message names the file and line, the key path, the bad value, and what is allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tinynets.posts import schema
from tinynets.errors import InvalidValue, SpecError, display_path
from tinynets.posts.load import load_defaults, load_post, load_posts
from tinynets.posts.model import NetSpec

# Line numbers of the base post, which the messages below refer to.
BASE = """\
---
title: A test post
date: 2026-01-31
data:
  points: 40
nets:
  wide:
    layers: [8]
    epochs: 30
seeds: 2
frames:
  count: 12
---
The body starts on line 14.
"""
NET_KEYS = ("label, color, layers, activation, optimizer, learning_rate, momentum, batch_size, epochs, "
            "loss")
POST_KEYS = ("title, date, authors, categories, tags, description, draft, pin, card, seeds, "
             "replicate, data, nets, sweeps, frames, thresholds")
SEEDS_ALLOWED = ("a count of seeds from 1 to 100 (seeds 0, 1, …) or a list of 1 to 100 distinct "
                 "whole numbers ≥ 0, e.g. [0, 3, 7]")


def write(folder: Path, text: str, name: str = "post.md") -> Path:
    path = folder / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder: Path, text: str, name: str = "post.md", defaults=None) -> tuple[Path, list]:
    path = write(folder, text, name)
    with pytest.raises(SpecError) as raised:
        load_post(path, defaults or schema.Defaults())
    return display_path(path), raised.value.problems


def edited(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


# ----------------------------------------------------------------------------- a valid post


def test_base_post_is_valid_and_defaults_fill_the_rest(tmp_path):
    post = load_post(write(tmp_path, BASE), schema.Defaults())
    assert post.slug == "post" and post.body_line == 14
    assert post.body == "The body starts on line 14.\n"
    assert post.meta["title"] == "A test post" and str(post.meta["date"]) == "2026-01-31"
    (net,) = post.nets
    assert (net.name, net.label, net.layers, net.epochs) == ("wide", "wide", (8,), 30)
    assert (net.activation, net.optimizer, net.learning_rate, net.batch_size, net.loss) == \
        ("relu", "sgd", 0.01, 32, "mse")
    assert net.parameters == 8 + 8 + 8 + 1
    assert post.seeds == (0, 1) and post.frames.count == 12 and post.frames.spacing == "geometric"
    assert post.data.points == 40 and post.data.function == "sine"
    assert post.data.noise_floor == pytest.approx(0.01)


def test_keras_default_learning_rate_follows_the_optimizer(tmp_path):
    text = edited("    layers: [8]\n", "    layers: [8]\n    optimizer: adam\n")
    assert load_post(write(tmp_path, text), schema.Defaults()).nets[0].learning_rate == 0.001
    # An empty learning_rate asks for the Keras default too.
    text = edited("    layers: [8]\n", "    layers: [8]\n    learning_rate:\n")
    assert load_post(write(tmp_path, text), schema.Defaults()).nets[0].learning_rate == 0.01


def test_scientific_notation_without_a_dot_is_a_number(tmp_path):
    # YAML 1.1 reads 1e-3 as text; the author meant a number.
    text = edited("    layers: [8]\n", "    layers: [8]\n    learning_rate: 1e-3\n")
    assert load_post(write(tmp_path, text), schema.Defaults()).nets[0].learning_rate == 0.001


def test_true_parameter_counts_of_the_reference_nets():
    from tinynets.posts.model import NetSpec

    assert NetSpec("a", layers=(60,)).parameters == 181
    assert NetSpec("b", layers=(10, 10)).parameters == 141


# ----------------------------------------------------------------------------- front matter


def test_invalid_yaml_names_file_and_line(tmp_path):
    path, found = problems(tmp_path, edited("title: A test post", "title: Adam: fast"))
    assert found == [f"{path}:2: invalid YAML: mapping values are not allowed here. Check the "
                     "indentation and quoting on that line (a value holding ': ' needs quotes)."]


def test_unclosed_list_in_yaml_names_the_line(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]\n", "    layers: [8\n"))
    assert found == [f"{path}:9: invalid YAML: expected ',' or ']', but got ':'. Check the "
                     "indentation and quoting on that line (a value holding ': ' needs quotes)."]


def test_missing_front_matter(tmp_path):
    path, found = problems(tmp_path, "# Just a heading\n")
    assert found == [f"{path}:1: a post must start with a '---' line opening its YAML front "
                     "matter (title, date, …), closed by another '---' line."]


def test_unclosed_front_matter(tmp_path):
    path, found = problems(tmp_path, "---\ntitle: x\ndate: 2026-01-01\n")
    assert found == [f"{path}:1: the front matter opened by '---' on line 1 is never closed: "
                     "add a '---' line after the last key."]


def test_front_matter_that_is_not_a_mapping(tmp_path):
    path, found = problems(tmp_path, "---\n- title\n- date\n---\nbody\n")
    assert found == [f"{path}:2: the front matter must be a mapping of keys (title: …, date: …), "
                     "not a list."]


def test_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30\n", "    epochs: 30\n    epochs: 40\n"))
    assert found == [f"{path}:10: nets.wide.epochs: duplicate key, already given on line 9: keep "
                     "one of the two."]


def test_missing_title_and_date(tmp_path):
    text = BASE.replace("title: A test post\n", "").replace("date: 2026-01-31\n", "")
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:2: missing required key 'title': add a line 'title: A title' to the front matter.",
        f"{path}:2: missing required key 'date': add a line 'date: 2026-01-31' to the front "
        "matter.",
    ]


def test_bad_date(tmp_path):
    path, found = problems(tmp_path, edited("date: 2026-01-31", "date: 2026-13-01"))
    assert found == [f"{path}:3: date: got '2026-13-01', expected a date written YYYY-MM-DD."]


def test_file_name_that_is_not_a_slug(tmp_path):
    path, found = problems(tmp_path, BASE, name="My Post.md")
    assert found == [f"{path}:1: the file name 'My Post.md' is not a safe slug: use lowercase "
                     "letters, digits and dashes, e.g. sgd-vs-adam.md."]


# ----------------------------------------------------------------------------- unknown keys


def test_unknown_net_key_suggests_the_closest(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epoch: 30"))
    assert found == [f"{path}:9: nets.wide.epoch: unknown key 'epoch': did you mean 'epochs'? "
                     f"Allowed keys: {NET_KEYS}."]


def test_unknown_top_level_key_suggests_the_closest(tmp_path):
    path, found = problems(tmp_path, edited("seeds: 2", "seed: 2"))
    assert found == [f"{path}:10: seed: unknown key 'seed': did you mean 'seeds'? "
                     f"Allowed keys: {POST_KEYS}."]


def test_unknown_key_with_nothing_close_lists_what_is_allowed(tmp_path):
    path, found = problems(tmp_path, edited("frames:\n  count: 12", "frames:\n  count: 12\n  fps: 4"))
    assert found == [f"{path}:13: frames.fps: unknown key 'fps': Allowed keys: count, spacing."]


# ----------------------------------------------------------------------------- wrong types


def test_wrong_types(tmp_path):
    text = edited("    layers: [8]\n    epochs: 30", "    layers: 8\n    epochs: many")
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:8: nets.wide.layers: got 8, expected a list of whole numbers from 1 to 10000, "
        "e.g. [10, 10] ([] for no hidden layer).",
        f"{path}:9: nets.wide.epochs: got 'many', expected a whole number from 1 to 1000000.",
    ]


def test_fractional_and_boolean_epochs_are_not_whole_numbers(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs: 30.5"))
    assert found == [f"{path}:9: nets.wide.epochs: got 30.5, expected a whole number from 1 to 1000000."]
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs: yes"))
    assert found == [f"{path}:9: nets.wide.epochs: got True, expected a whole number from 1 to 1000000."]


def test_empty_value_is_named_as_such(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs:"))
    assert found == [f"{path}:9: nets.wide.epochs: got nothing (an empty value), expected a "
                     "whole number from 1 to 1000000."]


def test_text_where_a_number_is_expected(tmp_path):
    path, found = problems(tmp_path, edited("  points: 40", "  points: 40\n  noise: high"))
    assert found == [f"{path}:6: data.noise: got 'high', expected a finite number ≥ 0."]


def test_nan_is_not_a_finite_number(tmp_path):
    path, found = problems(tmp_path, edited("  points: 40", "  points: 40\n  noise: .nan"))
    assert found == [f"{path}:6: data.noise: got nan, expected a finite number ≥ 0."]


def test_nets_must_be_a_mapping(tmp_path):
    path, found = problems(tmp_path, edited("  wide:\n    layers: [8]\n    epochs: 30\n",
                                            "  - wide\n"))
    assert found == [f"{path}:6: nets: expected a mapping of net names to their settings, e.g.\n"
                     "      nets:\n        wide-sgd: {layers: [60], optimizer: sgd}"]


def test_x_range_must_be_increasing(tmp_path):
    path, found = problems(tmp_path, edited("  points: 40", "  points: 40\n  x_range: [3, 1]"))
    assert found == [f"{path}:6: data.x_range: got [3, 1], expected [low, high] with low < high."]


# ----------------------------------------------------------------------------- out of range


def test_epochs_zero(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs: 0"))
    assert found == [f"{path}:9: nets.wide.epochs: got 0, expected a whole number from 1 to 1000000."]


def test_epochs_negative(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs: -5"))
    assert found == [f"{path}:9: nets.wide.epochs: got -5, expected a whole number from 1 to 1000000."]


def test_no_hidden_layer_is_a_linear_model(tmp_path):
    """``layers: []``: the inputs go straight to the output (a linear model, or logistic
    regression on classification data)."""
    post = load_post(write(tmp_path, edited("    layers: [8]", "    layers: []")),
                     schema.Defaults())
    (net,) = post.nets
    assert net.layers == () and net.parameters == 2  # one weight and a bias
    assert net.shape == "no hidden layer" and net.architecture == "no hidden layer"
    assert NetSpec("b", layers=(10, 10), activation="tanh").architecture == "2×10 tanh"


def test_layers_not_a_list(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: {}"))
    assert found == [f"{path}:8: nets.wide.layers: got {{}}, expected a list of whole numbers "
                     "from 1 to 10000, e.g. [10, 10] ([] for no hidden layer)."]


def test_zero_width_layer(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: [8, 0]"))
    assert found == [f"{path}:8: nets.wide.layers[1]: got 0, expected a whole number from 1 to 10000."]


def test_unknown_optimizer_suggests_the_closest(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: [8]\n    optimizer: adamw"))
    assert found == [f"{path}:9: nets.wide.optimizer: got 'adamw', expected one of sgd, "
                     "sgd-momentum, adam, rmsprop, adagrad, nadam (did you mean 'adam'?)."]


def test_unknown_activation_suggests_the_closest(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: [8]\n    activation: ReLU"))
    assert found == [f"{path}:9: nets.wide.activation: got 'ReLU', expected one of relu, tanh, "
                     "sigmoid, elu, linear, gelu, softplus (did you mean 'relu'?)."]


def test_unknown_loss_and_spacing(tmp_path):
    text = edited("    layers: [8]", "    layers: [8]\n    loss: rmse").replace(
        "  count: 12", "  count: 12\n  spacing: log")
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:9: nets.wide.loss: got 'rmse', expected one of mse, mae, huber (did you mean "
        "'mse'?).",
        f"{path}:14: frames.spacing: got 'log', expected one of geometric, linear.",
    ]


def test_learning_rate_zero(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: [8]\n    learning_rate: 0"))
    assert found == [f"{path}:9: nets.wide.learning_rate: got 0, expected a number > 0."]


def test_learning_rate_negative(tmp_path):
    path, found = problems(tmp_path,
                           edited("    layers: [8]", "    layers: [8]\n    learning_rate: -0.1"))
    assert found == [f"{path}:9: nets.wide.learning_rate: got -0.1, expected a number > 0."]


def test_momentum_must_be_below_one(tmp_path):
    text = edited("    layers: [8]", "    layers: [8]\n    optimizer: sgd-momentum\n    momentum: 1.5")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:10: nets.wide.momentum: got 1.5, expected a number ≥ 0 and < 1."]


def test_momentum_applies_to_sgd_momentum_only(tmp_path):
    text = edited("    layers: [8]", "    layers: [8]\n    optimizer: adam\n    momentum: 0.5")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:10: nets.wide.momentum: 'momentum' applies to the optimizer "
                     "sgd-momentum only, not to adam: remove it."]


def test_more_frames_than_epochs(tmp_path):
    path, found = problems(tmp_path, edited("  count: 12", "  count: 50"))
    assert found == [f"{path}:9: nets.wide.epochs: 30 epochs cannot give 50 frames: lower "
                     "frames.count to ≤ 30 or train for more epochs."]


def test_too_few_frames(tmp_path):
    path, found = problems(tmp_path, edited("  count: 12", "  count: 1"))
    assert found == [f"{path}:12: frames.count: got 1, expected a whole number from 2 to 1000."]


def test_batch_size_larger_than_the_data(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]", "    layers: [8]\n    batch_size: 64"))
    assert found == [f"{path}:9: nets.wide.batch_size: got 64, but the data has only 40 points: "
                     "use a batch size ≤ 40."]


def test_batch_size_against_default_points(tmp_path):
    # No 'points' in the post: the default (100) is what the batch size is checked against.
    text = edited("data:\n  points: 40\n", "").replace("    layers: [8]",
                                                        "    layers: [8]\n    batch_size: 101")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:7: nets.wide.batch_size: got 101, but the data has only 100 "
                     "points: use a batch size ≤ 100."]


def test_thresholds_near_floor_above_stuck(tmp_path):
    text = edited("seeds: 2", "seeds: 2\nthresholds:\n  near_floor: 6")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:12: thresholds.near_floor: near_floor (6) is above stuck (5): a "
                     "seed near the floor cannot also be stuck; make near_floor ≤ stuck."]


# ----------------------------------------------------------------------------- net names


def test_net_name_that_escapes_the_folder(tmp_path):
    path, found = problems(tmp_path, edited("  wide:", "  ../x:"))
    assert found == [f"{path}:7: nets.'../x': the net name '../x' is not a safe slug: use "
                     "lowercase letters, digits and dashes (e.g. wide-sgd)."]


@pytest.mark.parametrize("name", ["Wide", "wide_sgd", "wide-", "-wide", "a/b", "wide sgd"])
def test_other_unsafe_net_names(tmp_path, name):
    path, found = problems(tmp_path, edited("  wide:", f"  '{name}':"))
    assert len(found) == 1
    assert found[0].startswith(f"{path}:7: nets.")
    assert found[0].endswith(f": the net name {name!r} is not a safe slug: use lowercase "
                             "letters, digits and dashes (e.g. wide-sgd).")


def test_safe_net_names_are_accepted(tmp_path):
    text = edited("  wide:", "  wide-sgd-2:")
    assert load_post(write(tmp_path, text), schema.Defaults()).nets[0].name == "wide-sgd-2"


# ----------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("value, line", [
    ("0", "got 0"), ("101", "got 101"), ("-1", "got -1"), ("two", "got 'two'"),
    ("[]", "got []"), ("[-1, 2]", "got [-1, 2]"), ("[0, 1.5]", "got [0, 1.5]"),
    ("true", "got True"),
])
def test_bad_seeds(tmp_path, value, line):
    path, found = problems(tmp_path, edited("seeds: 2", f"seeds: {value}"))
    assert found == [f"{path}:10: seeds: {line}, expected {SEEDS_ALLOWED}."]


def test_seed_listed_twice(tmp_path):
    path, found = problems(tmp_path, edited("seeds: 2", "seeds: [3, 1, 3]"))
    assert found == [f"{path}:10: seeds: got [3, 1, 3], expected each seed once; 3 is listed twice."]


def test_explicit_seed_list(tmp_path):
    post = load_post(write(tmp_path, edited("seeds: 2", "seeds: [7, 3]")), schema.Defaults())
    assert post.seeds == (7, 3)


# ----------------------------------------------------------------------------- data keys


def test_data_key_for_another_function(tmp_path):
    path, found = problems(tmp_path, edited("  points: 40", "  points: 40\n  width: 2.0"))
    assert found == [f"{path}:6: data.width: 'width' applies to the function gaussian only, not "
                     "to sine: remove it."]


def test_sine_key_on_a_polynomial(tmp_path):
    text = edited("  points: 40", "  points: 40\n  function: polynomial\n  frequency: 2.0")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:7: data.frequency: 'frequency' applies to the function sine only, "
                     "not to polynomial: remove it."]


def test_unknown_function_suggests_the_closest(tmp_path):
    path, found = problems(tmp_path, edited("  points: 40", "  points: 40\n  function: sin"))
    assert found == [f"{path}:6: data.function: got 'sin', expected one of sine, abs, step, "
                     "gaussian, polynomial, circle, xor, gaussians, spiral, moons, waves (did "
                     "you mean 'sine'?)."]


def test_experiment_keys_without_nets(tmp_path):
    path, found = problems(tmp_path, "---\ntitle: T\ndate: 2026-01-01\nseeds: 3\n---\nbody\n")
    assert found == [f"{path}:4: seeds: this key only makes sense with 'nets' (or 'sweeps'): "
                     "declare the nets to train, or remove it."]


# ----------------------------------------------------------------------------- many at once


def test_every_problem_is_listed_at_once_in_line_order(tmp_path):
    text = (BASE.replace("seeds: 2", "seeds: 0")
            .replace("    epochs: 30", "    epoch: 30")
            .replace("    layers: [8]", "    layers: [8, 0]\n    optimizer: adamw")
            .replace("  points: 40", "  points: 1"))
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as raised:
        load_post(path, schema.Defaults())
    path = display_path(path)
    assert raised.value.problems == [
        f"{path}:5: data.points: got 1, expected a whole number from 2 to 100000.",
        f"{path}:8: nets.wide.layers[1]: got 0, expected a whole number from 1 to 10000.",
        f"{path}:9: nets.wide.optimizer: got 'adamw', expected one of sgd, sgd-momentum, adam, "
        "rmsprop, adagrad, nadam (did you mean 'adam'?).",
        f"{path}:10: nets.wide.epoch: unknown key 'epoch': did you mean 'epochs'? "
        f"Allowed keys: {NET_KEYS}.",
        f"{path}:11: seeds: got 0, expected {SEEDS_ALLOWED}.",
    ]
    assert str(raised.value).splitlines()[0] == "5 problems in the content:"
    assert str(raised.value).splitlines()[1] == f"  - {path}:5: data.points: got 1, expected a " \
                                                "whole number from 2 to 100000."


def test_problems_of_every_post_are_gathered(tmp_path):
    first = display_path(write(tmp_path, edited("    epochs: 30", "    epochs: 0"), name="a.md"))
    second = display_path(write(tmp_path, edited("seeds: 2", "seeds: 0"), name="b.md"))
    with pytest.raises(SpecError) as raised:
        load_posts(tmp_path)
    assert raised.value.problems == [
        f"{first}:9: nets.wide.epochs: got 0, expected a whole number from 1 to 1000000.",
        f"{second}:10: seeds: got 0, expected {SEEDS_ALLOWED}.",
    ]


# ----------------------------------------------------------------------------- defaults.yml


def test_defaults_file_overrides_builtin_defaults_and_a_post_overrides_both(tmp_path):
    (tmp_path / "defaults.yml").write_text(
        "net:\n  optimizer: adam\n  epochs: 40\n  batch_size: 8\n"
        "data:\n  noise: 0.2\n  points: 60\nseeds: 3\nframes:\n  count: 10\n"
        "thresholds:\n  stuck: 3\n", encoding="utf-8")
    write(tmp_path, "---\ntitle: T\ndate: 2026-01-01\nnets:\n  plain: {}\n  own:\n"
          "    optimizer: sgd\n    epochs: 20\n    batch_size: 16\ndata:\n  noise: 0.05\n"
          "seeds: [4]\nframes:\n  count: 5\n---\nbody\n", name="p.md")
    (post,) = load_posts(tmp_path)
    plain, own = post.nets
    assert (plain.optimizer, plain.epochs, plain.batch_size, plain.learning_rate) == \
        ("adam", 40, 8, 0.001)
    assert (own.optimizer, own.epochs, own.batch_size, own.learning_rate) == ("sgd", 20, 16, 0.01)
    assert post.data.noise == 0.05 and post.data.points == 60
    assert post.seeds == (4,) and post.frames.count == 5
    assert post.thresholds.stuck == 3 and post.thresholds.near_floor == 2.0


def test_defaults_file_seeds_apply_when_a_post_names_none(tmp_path):
    (tmp_path / "defaults.yml").write_text("seeds: 3\n", encoding="utf-8")
    write(tmp_path, "---\ntitle: T\ndate: 2026-01-01\nnets:\n  a: {epochs: 200}\n---\n",
          name="p.md")
    assert load_posts(tmp_path)[0].seeds == (0, 1, 2)


def test_defaults_file_mistakes_are_reported_with_its_own_lines(tmp_path):
    path = tmp_path / "defaults.yml"
    path.write_text("nets:\n  epochs: 10\nnet:\n  epochs: 0\nseeds: many\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_defaults(path)
    path = display_path(path)
    assert raised.value.problems == [
        f"{path}:1: nets: unknown key 'nets': did you mean 'net'? Allowed keys: data, net, seeds, "
        "replicate, frames, thresholds.",
        f"{path}:4: net.epochs: got 0, expected a whole number from 1 to 1000000.",
        f"{path}:5: seeds: got 'many', expected {SEEDS_ALLOWED}.",
    ]


def test_defaults_file_problems_come_with_the_posts_problems(tmp_path):
    (tmp_path / "defaults.yml").write_text("frames:\n  count: one\n", encoding="utf-8")
    post = display_path(write(tmp_path, edited("    epochs: 30", "    epochs: 0")))
    with pytest.raises(SpecError) as raised:
        load_posts(tmp_path)
    assert raised.value.problems == [
        f"{display_path(tmp_path / 'defaults.yml')}:2: frames.count: got 'one', expected a whole number from 2 to 1000.",
        f"{post}:9: nets.wide.epochs: got 0, expected a whole number from 1 to 1000000.",
    ]


def test_defaults_file_invalid_yaml(tmp_path):
    path = tmp_path / "defaults.yml"
    path.write_text("net:\n  epochs: [1\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        load_defaults(path)
    assert raised.value.problems == [
        f"{display_path(path)}:3: invalid YAML: expected ',' or ']', but got '<stream end>'. Check the "
        "indentation and quoting on that line (a value holding ': ' needs quotes)."]


def test_repository_defaults_file_is_valid():
    repo = Path(__file__).resolve().parent.parent
    path = repo / "content" / "defaults.yml"
    defaults = load_defaults(path)  # raises SpecError listing its problems if it has any
    given = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert defaults.seeds == given.get("seeds", schema.Defaults().seeds)
    for section in ("data", "net", "frames", "thresholds"):
        for key, value in (given.get(section) or {}).items():
            loaded = getattr(defaults, section)[key]
            assert (list(loaded) if isinstance(loaded, tuple) else loaded) == value, (section, key)


def test_yaml_is_loaded_safely(tmp_path):
    path, found = problems(tmp_path, edited("title: A test post",
                                            "title: !!python/object/apply:os.system ['true']"))
    assert len(found) == 1 and found[0].startswith(f"{path}:2: invalid YAML: could not determine "
                                                   "a constructor for the tag")


def test_paths_in_messages_are_relative_to_the_project_when_run_inside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, edited("    epochs: 30", "    epochs: 0"))
    with pytest.raises(SpecError) as raised:
        load_posts(tmp_path)
    assert raised.value.problems == ["posts/post.md:9: nets.wide.epochs: got 0, expected a whole "
                                     "number from 1 to 1000000."]


def test_implausibly_large_values_are_caught_before_training(tmp_path):
    text = (edited("  points: 40", "  points: 4000000")
            .replace("    layers: [8]", "    layers: [100000]")
            .replace("    epochs: 30", "    epochs: 50000000"))
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:5: data.points: got 4000000, expected a whole number from 2 to 100000.",
        f"{path}:8: nets.wide.layers[0]: got 100000, expected a whole number from 1 to 10000.",
        f"{path}:9: nets.wide.epochs: got 50000000, expected a whole number from 1 to 1000000.",
    ]


# ----------------------------------------------------------------------------- reserved, too big


@pytest.mark.parametrize("name", ["compare", "losses", "wide-loss"])
def test_net_names_reserved_for_the_posts_media(tmp_path, name):
    path, found = problems(tmp_path, edited("  wide:\n", f"  {name}:\n"))
    assert found == [f"{path}:7: nets.{name}: the net name '{name}' is reserved for the post's "
                     "own media (compare, losses, *-loss): choose another name."]


def test_training_too_big_to_record(tmp_path):
    path, found = problems(tmp_path, edited("    epochs: 30", "    epochs: 1000000")
                           .replace("seeds: 2", "seeds: 30\nreplicate: 0"))
    assert found == [f"{path}:9: nets.wide.epochs: 1,000,000 epochs × 30 seeds is more than "
                     "25,000,000 per-epoch losses to record: lower one of them."]


def test_the_work_limit_counts_the_replication_seeds(tmp_path):
    """13 seeds × 1,000,000 epochs fit; with as many replication seeds (the default) they do
    not, and the message says which seeds count."""
    text = edited("    epochs: 30", "    epochs: 1000000")
    assert load_post(write(tmp_path, text.replace("seeds: 2", "seeds: 13\nreplicate: 0")),
                     schema.Defaults()).run_seeds == tuple(range(13))
    path, found = problems(tmp_path, text.replace("seeds: 2", "seeds: 13"))
    assert found == [f"{path}:9: nets.wide.epochs: 1,000,000 epochs × 26 seeds (13 shown + 13 "
                     "replication) is more than 25,000,000 per-epoch losses to record: lower the "
                     "epochs, seeds or replicate."]


def test_many_points_are_no_longer_limited_by_the_shuffle_orders(tmp_path):
    path = write(tmp_path, edited("    epochs: 30", "    epochs: 100000")
                 .replace("  points: 40", "  points: 1000"))
    post = load_post(path, schema.Defaults())  # 100,000 × 2 × 1,000 was refused before
    assert post.net("wide").epochs == 100_000


def test_a_net_colour_is_hex_and_is_kept_out_of_the_fingerprint(tmp_path):
    path, found = problems(tmp_path, edited("    layers: [8]\n", "    layers: [8]\n"
                                            "    color: blue\n"))
    assert found == [f"{path}:9: nets.wide.color: got 'blue', expected a colour written "
                     "#RRGGBB, e.g. '#0072B2' (quote it: YAML reads # as a comment)."]
    from tinynets.posts.model import NetSpec

    assert NetSpec(name="a", color="#123456").canonical() == NetSpec(name="a").canonical()


@pytest.mark.parametrize("key", ["categories", "tags"])
def test_categories_and_tags_cannot_carry_markup(tmp_path, key):
    text = edited("title:", f"{key}: ['a <b>']\ntitle:")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:2: {key}.0: got ['a <b>'], expected names without < > (the theme "
                     "writes them into page titles as they are): spell them out, e.g. 'and' "
                     "for '&'."] or found[0].endswith("spell them out, e.g. 'and' for '&'.")


def test_fingerprint_keys_follow_the_schema():
    from tinynets.posts.model import NetSpec

    plain, momentum = NetSpec(name="a"), NetSpec(name="a", optimizer="sgd-momentum")
    assert set(plain.canonical()) == set(schema.NET) - {"label", "color", "momentum"}
    assert set(momentum.canonical()) == set(schema.NET) - {"label", "color"}


# ----------------------------------------------------------------------------- data defaults


@pytest.mark.parametrize("function", ["step", "abs", "gaussian"])
def test_the_default_center_is_the_middle_of_x_range(tmp_path, function):
    text = edited("  points: 40\n", f"  points: 40\n  function: {function}\n  x_range: [-3, 5]\n")
    post = load_post(write(tmp_path, text), schema.Defaults())
    assert post.data.center == 1.0


def test_an_explicit_center_at_the_middle_gives_the_same_fingerprint_keys(tmp_path):
    implicit = load_post(write(tmp_path, edited("  points: 40\n", "  points: 40\n  function: "
                                                "step\n  x_range: [-3, 3]\n")), schema.Defaults())
    explicit = load_post(write(tmp_path, edited("  points: 40\n", "  points: 40\n  function: "
                                                "step\n  x_range: [-3, 3]\n  center: 0\n")),
                         schema.Defaults())
    assert implicit.data.canonical() == explicit.data.canonical()
    assert implicit.data.canonical()["center"] == 0.0


def test_the_built_in_range_keeps_its_old_center(tmp_path):
    """[0, 10] and center 5 were the built-in defaults: their cache keys do not change."""
    post = load_post(write(tmp_path, edited("  points: 40\n", "  points: 40\n  function: abs\n")),
                     schema.Defaults())
    assert post.data.x_range == (0.0, 10.0) and post.data.center == 5.0


def test_a_defaults_file_center_still_applies(tmp_path):
    (tmp_path / "defaults.yml").write_text("data:\n  center: 0.5\n", encoding="utf-8")
    defaults = load_defaults(tmp_path / "defaults.yml")
    text = edited("  points: 40\n", "  points: 40\n  function: step\n  x_range: [-3, 3]\n")
    assert load_post(write(tmp_path, text), defaults).data.center == 0.5


@pytest.mark.parametrize("settings, line, message", [
    ("  function: step\n  x_range: [-3, 3]\n  center: 5\n", 8,
     "data.center: the target is constant over the training points: the step at 5 has no effect "
     "on the inputs [-3, 3], so the nets would learn a flat line. Put center inside [-3, 3] "
     "(leave it out for the middle, 0)."),
    ("  function: gaussian\n  x_range: [-3, 3]\n  center: 60\n", 8,
     "data.center: the target is constant over the training points: the bump at 60 has no effect "
     "on the inputs [-3, 3], so the nets would learn a flat line. Put center inside [-3, 3] "
     "(leave it out for the middle, 0), or widen the bump (width)."),
    ("  function: polynomial\n  coefficients: [2]\n", 7,
     "data.coefficients: the target is constant over the training points: the coefficients [2.0] "
     "give every input the same value, so the nets would learn a flat line. Give x a non-zero "
     "coefficient (c1, c2, …)."),
    ("  function: sine\n  frequency: 0.000000001\n", 7,
     "data.frequency: the target is constant over the training points: sin(1e-09·x) barely "
     "changes over [0, 10], so the nets would learn a flat line. Raise the frequency so the sine "
     "bends over the inputs."),
])
def test_a_constant_target_is_an_error(tmp_path, settings, line, message):
    shown, found = problems(tmp_path, edited("  points: 40\n", "  points: 40\n" + settings))
    assert found == [f"{shown}:{line}: {message}"]


def test_a_constant_target_from_the_defaults_file_names_the_data_key(tmp_path):
    (tmp_path / "defaults.yml").write_text("data:\n  function: step\n  center: 50\n",
                                           encoding="utf-8")
    shown, found = problems(tmp_path, BASE, defaults=load_defaults(tmp_path / "defaults.yml"))
    assert found == [f"{shown}:4: data.center: the target is constant over the training points: "
                     "the step at 50 has no effect on the inputs [0, 10], so the nets would learn "
                     "a flat line. Put center inside [0, 10] (leave it out for the middle, 5)."]


# ----------------------------------------------------------------------------- the data protocol


def test_every_data_set_answers_the_data_set_questions():
    """Generated on a line, generated on the plane, read from a file (one or two columns): each
    says itself what it is, so no caller asks its class or guesses with getattr."""
    from tinynets.posts.csvdata import CsvSpec
    from tinynets.posts.model import DataSet, DataSpec
    from tinynets.posts.plane import PlaneSpec

    rows = dict(seed=0, sha256="0" * 16, y_values=(0.0, 1.0, 1.0, 0.0))
    line = DataSpec("sine", (0.0, 10.0), points=40, noise=0.1, seed=0)
    plane = PlaneSpec("circle", points=40, noise=0.1, seed=0, features=("x1", "x2", "x1²"))
    surface = PlaneSpec("waves", points=40, noise=0.1, seed=0, test_fraction=0.25)
    column = CsvSpec(file="a.csv", x_columns=("x",), y_column="y", task="regression",
                     x_values=(0.0, 1.0, 2.0, 3.0), **rows)
    columns = CsvSpec(file="b.csv", x_columns=("x1", "x2"), y_column="y", task="classification",
                      x_values=((0, 0), (0, 1), (1, 0), (1, 1)), test_fraction=0.5, **rows)
    answers = {name: (data.from_file, data.has_true_function, data.dimensions, data.inputs,
                      data.classification, data.training_count, data.test_count)
               for name, data in [("line", line), ("plane", plane), ("surface", surface),
                                  ("column", column), ("columns", columns)]}
    assert answers == {"line": (False, True, 1, 1, False, 40, 0),
                       "plane": (False, True, 2, 3, True, 20, 20),
                       "surface": (False, True, 2, 2, False, 30, 10),
                       "column": (True, False, 1, 1, False, 4, 0),
                       "columns": (True, False, 2, 2, True, 2, 2)}
    assert all(isinstance(data, DataSet) for data in (line, plane, surface, column, columns))


# ----------------------------------------------------------------------------- kinds of value


def test_each_kind_of_value_validates_and_describes_itself():
    """Kinds are validator objects (schema.Key.kind): a value comes back normalised or is
    refused with what was expected; a list refuses each bad item at its own place."""
    from tinynets.posts import kinds

    def refused(kind, value):
        with pytest.raises(InvalidValue) as raised:
            kind.validate(value)
        return raised.value.expected, raised.value.items

    assert kinds.Number(above=0).validate("1e-3") == 0.001
    assert refused(kinds.Number(minimum=0, below=1), 1) == ("a number ≥ 0 and < 1", ())
    assert refused(kinds.Choice(("sgd", "adam")), "adm") == (
        "one of sgd, adam (did you mean 'adam'?)", ())
    layers = kinds.ListOf(kinds.Whole(minimum=1, maximum=10_000))
    assert layers.validate([4, 4]) == (4, 4)
    expected = "a whole number from 1 to 10000"
    assert refused(layers, [4, 0, "x"]) == ("", (((1,), 0, expected), ((2,), "x", expected)))
    assert layers.description == "list of whole numbers ≥ 1, ≤ 10,000"
    assert kinds.Names().validate("tutorials") == ["tutorials"]
    assert kinds.Seeds().validate(3) == (0, 1, 2)
    assert kinds.Mapping("mapping of net keys").validate({"layers": [4]}) == {"layers": [4]}
    assert refused(kinds.Mapping("mapping of net keys"), [4]) == ("a mapping of net keys", ())
    assert all(isinstance(key.kind, kinds.Kind) and key.kind.description
               for table in (schema.DATA, schema.NET, schema.FRAMES, schema.THRESHOLDS,
                             schema.EXPERIMENT, schema.SWEEP, schema.BLOG)
               for key in table.values())
