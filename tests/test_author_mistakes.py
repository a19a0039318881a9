"""Every mistake an author can make, through the CLI on a built copy of the fixture site.

Each case: exit status 1, the exact error on stderr, no traceback, and build/site and build/docs
byte-identical to what the previous (good) build left, with nothing half written next to them.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import REPO, copy_built, run_build

from tinynets.pages import templating

POST = Path("content") / "posts" / "tiny.md"
NET_KEYS = ("label, color, layers, activation, optimizer, learning_rate, momentum, batch_size, epochs, "
            "loss")
# The macros of the repository's templates/macros.j2, which the fixture project copies.
MACROS = ", ".join(sorted(templating.macros(templating.environment(REPO / "templates"), {})))
DEFINED = ("Defined here: nets['wide'], nets['deep'], data, post, claim, the helpers change, "
           f"of_seeds, percent, plain, sig, span, times and the macros {MACROS}.")


def tree_digest(folder: Path) -> str:
    """One hash over every file's relative path and bytes (and every folder's name)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def snapshot(root: Path) -> dict:
    build = root / "build"
    return {"site": tree_digest(build / "site"), "docs": tree_digest(build / "docs"),
            "build entries": sorted(path.name for path in build.iterdir()),
            "cache entries": sorted(path.name for path in (build / "cache" / "runs").iterdir())}


def edit(root: Path, old: str, new: str) -> None:
    path = root / POST
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (name, old text, new text, the exact stderr)
MISTAKES = [
    ("invalid-yaml", "title: A tiny fixture post", "title: Tiny: a post",
     "error: 1 problem in the content:\n"
     f"  - {POST}:2: invalid YAML: mapping values are not allowed here. Check the indentation "
     "and quoting on that line (a value holding ': ' needs quotes).\n"),
    ("unknown-key", "    epochs: 30", "    epoch: 30",
     "error: 1 problem in the content:\n"
     f"  - {POST}:18: nets.wide.epoch: unknown key 'epoch': did you mean 'epochs'? Allowed keys: "
     f"{NET_KEYS}.\n"),
    ("bad-value", "    learning_rate: 0.01", "    learning_rate: 0",
     "error: 1 problem in the content:\n"
     f"  - {POST}:23: nets.deep.learning_rate: got 0, expected a number > 0.\n"),
    ("several-at-once", "    layers: [4, 4]\n    optimizer: adam",
     "    layers: [4, 0]\n    optimizer: adamw",
     "error: 2 problems in the content:\n"
     f"  - {POST}:21: nets.deep.layers[1]: got 0, expected a whole number from 1 to 10000.\n"
     f"  - {POST}:22: nets.deep.optimizer: got 'adamw', expected one of sgd, sgd-momentum, adam, "
     "rmsprop, adagrad, nadam (did you mean 'adam'?).\n"),
    ("unsafe-net-name", "  wide:\n", "  ../x:\n",
     "error: 1 problem in the content:\n"
     f"  - {POST}:14: nets.'../x': the net name '../x' is not a safe slug: use lowercase letters, "
     "digits and dashes (e.g. wide-sgd).\n"),
    ("undefined-net", "{{ claim(", "{{ nets['narrow'].median | sig }}\n{{ claim(",
     f"error: {POST}:49: undefined: there is no net 'narrow' in this post; its nets are "
     "nets['wide'], nets['deep'].\n"),
    ("undefined-variable", "{{ claim(", "{{ noise_flor | sig }}\n{{ claim(",
     f"error: {POST}:49: undefined: 'noise_flor' is undefined. {DEFINED}\n"),
    ("jinja-syntax-error", "{{ data.noise_floor | sig }};", "{{ data.noise_floor | sig };",
     f"error: {POST}:48: template syntax error: unexpected '}}'. Check the {{{{ }}}} and {{% %}} "
     "on that line.\n"),
    ("sandbox", "{{ claim(", "{{ ''.__class__.__mro__ }}\n{{ claim(",
     f"error: {POST}:49: refused by the sandbox: access to attribute '__class__' of 'str' object "
     "is unsafe. Posts may only use the results, helpers and macros they are given.\n"),
    ("failing-claim", '{{ claim("The noise floor is below one.", data.noise_floor < 1) }}',
     '{{ claim("The noise floor is above one.", data.noise_floor > 1) }}',
     f"error: {POST}:49: claim failed: \"The noise floor is above one.\" — the measurements say "
     "otherwise: claimed: noise floor > 1; measured: noise floor = 0.01. Rewrite the claim to "
     "match the data, or change the experiment.\n"),
    ("constant-claim", '{{ claim("The noise floor is below one.", data.noise_floor < 1) }}',
     '{{ claim("The noise floor is below one.", true) }}',
     f"error: {POST}:49: claim('The noise floor is below one.', …) checks the constant True, "
     "which no measurement can contradict: compare measurements only, e.g. nets['a'].median < "
     "nets['b'].median.\n"),
    ("huge-expression", "{{ claim(", "{{ ('x' * 10**8) | length }}\n{{ claim(",
     f"error: {POST}:49: refused by the sandbox: '*' would build 100,000,000 characters or "
     "items, more than the 1,000,000 a post may build. Build smaller texts and lists (numbers "
     "in prose never need this much).\n"),
]


@pytest.mark.parametrize("name, old, new, stderr", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_author_mistake_fails_cleanly(built_project, tmp_path, name, old, new, stderr):
    root = copy_built(built_project, tmp_path / name)
    before = snapshot(root)
    edit(root, old, new)
    result = run_build(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == stderr
    assert snapshot(root) == before


def test_a_good_build_after_the_fix_succeeds(built_project, tmp_path):
    """The failed build left nothing behind that stops the next one."""
    root = copy_built(built_project, tmp_path / "fixed")
    edit(root, "    epochs: 30", "    epoch: 30")
    assert run_build(root).returncode == 1
    edit(root, "    epoch: 30", "    epochs: 30")
    result = run_build(root, "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@contextmanager
def unwritable(folder: Path):
    """Make ``folder`` unwritable: chmod 0o500, and where that does not stop the user (root
    ignores permission bits) the immutable attribute. Yields the error the OS will give."""
    folder.chmod(0o500)
    immutable = False
    try:
        strerror = "Permission denied"
        if _writable(folder):
            subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
            immutable = True
            strerror = "Operation not permitted"
        assert not _writable(folder), "could not make the folder unwritable"
        yield strerror
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True)
        folder.chmod(0o755)


def test_output_folder_that_cannot_be_written(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "readonly")
    before = snapshot(root)
    edit(root, "Two tiny nets, a few epochs.", "Two tiny nets, a few epochs, edited.")
    with unwritable(root / "build") as strerror:
        result = run_build(root)
        after = snapshot(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (f"error: cannot write the output folder build: {strerror}. Make "
                             "it writable (or remove it) and build again.\n")
    assert after == before
    assert os.access(root / "build", os.W_OK)
