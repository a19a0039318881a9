"""serve's warm state, in process: the compiled training loop outlives a failed rebuild, and the
rebuild after the fix trains the changed net with it (no second trace, hence no XLA compile)."""

from __future__ import annotations

import pytest

from support import copy_built
from tinynets import serve
from tinynets.build import BuildOptions


@pytest.mark.slow
def test_the_compiled_loop_survives_a_failed_rebuild_and_is_reused_after_it(built_project,
                                                                            tmp_path):
    from tinynets.engine import loop

    root = copy_built(built_project, tmp_path / "served")
    post = root / "content" / "posts" / "tiny.md"
    original = post.read_text(encoding="utf-8")

    # A first edit trains the deep net in this process: its shape's loop is compiled once.
    post.write_text(original.replace("learning_rate: 0.01", "learning_rate: 0.02"),
                    encoding="utf-8")
    assert serve.rebuild(root, BuildOptions(jobs=1, quiet=True))
    loops = loop.cached_loops()
    assert loops, "serve trains in its own process: the loop stays in its cache"
    before = {shape: (compiled, compiled.traces, compiled.nets_trained)
              for shape, compiled in loops.items()}

    # A broken edit fails the rebuild and leaves the cache as it was.
    post.write_text(original + "\n{{ nets['wide'].median | sig\n", encoding="utf-8")
    assert not serve.rebuild(root, BuildOptions(jobs=1, quiet=True))
    assert "template syntax error" in (root / "build" / "docs" / "tinynets-status.json"
                                       ).read_text(encoding="utf-8")
    assert {shape: compiled for shape, compiled in loop.cached_loops().items()} == \
        {shape: compiled for shape, (compiled, _, _) in before.items()}

    # The fix with another learning rate retrains with the very same compiled loop.
    post.write_text(original.replace("learning_rate: 0.01", "learning_rate: 0.03"),
                    encoding="utf-8")
    assert serve.rebuild(root, BuildOptions(jobs=1, quiet=True))
    after = loop.cached_loops()
    trained_again = [shape for shape, (compiled, traces, nets) in before.items()
                     if after.get(shape) is compiled and compiled.nets_trained > nets]
    assert trained_again, "the changed net trained on a loop compiled before the failure"
    for shape in trained_again:
        assert after[shape].traces == before[shape][1]  # no new trace: no XLA compile
