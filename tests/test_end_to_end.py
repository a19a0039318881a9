"""The fixture site, built end to end by the CLI: every stage ran and left what it should."""

from __future__ import annotations

import json
import re
import shutil

from support import copy_built, run_build


def test_fixture_site_builds_with_every_stage(built_project):
    site = built_project / "build" / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "A tiny fixture post" in index and "Notes without nets" in index
    post = (site / "tiny" / "index.html").read_text(encoding="utf-8")
    for net in ("wide", "deep"):
        assert f"media/tiny/{net}.webm" in post
        assert (built_project / "build" / "docs" / "media" / "tiny" / f"{net}.gif").stat().st_size > 0
    runs = list((built_project / "build" / "cache" / "runs").iterdir())
    # tiny's two nets, plane's two nets and the sweep's four cells
    assert len(runs) == 2 + 2 + 4 and all((run / "meta.json").is_file() for run in runs)


def test_first_build_keeps_tensorflows_start_up_notes_off_the_terminal(built_project):
    # Every worker that loads TensorFlow has its libraries write two notes to stderr before any
    # log level applies; the build holds them back, and still shows its progress there.
    said = (built_project.parent / "first-build.stderr").read_text(encoding="utf-8")
    # every net's done line reached this stderr (periodic lines depend on timing: a short net
    # can finish between two of its worker's messages)
    for net in ("tiny/wide", "tiny/deep", "plane/slow", "plane/fast"):
        assert f"{net}: done, " in said, said[-3000:]
    assert "oneDNN" not in said and "absl::InitializeLog" not in said, said[:2000]


def test_held_back_stderr_passes_on_everything_but_the_start_up_notes(capfd):
    import os

    from tinynets.engine import STARTUP_NOTES, tensorflow_notes_held_back

    with tensorflow_notes_held_back():
        os.write(2, b"a real warning\n" + STARTUP_NOTES[1] + b" (...)\n" + b"an error\n")
    assert capfd.readouterr().err == "a real warning\nan error\n"


def test_post_shows_recorded_final_error(built_project):
    metas = [json.loads(p.read_text()) for p in
             (built_project / "build" / "cache" / "runs").glob("*/meta.json")]
    wide = next(meta for meta in metas if meta["net"] == "wide")
    # The run holds seeds 0 and 1, which the page shows, and replication seeds 2 and 3.
    assert wide["seeds"] == [0, 1, 2, 3]
    finals = sorted(wide["final_losses"][:2])
    median = (finals[0] + finals[1]) / 2
    post = (built_project / "build" / "site" / "tiny" / "index.html").read_text(encoding="utf-8")
    shown = re.search(r"the wide net ends at ([0-9]+\.[0-9]+)", post).group(1)
    assert float(shown) == float(f"{median:.3g}")


def test_warm_build_trains_and_renders_nothing_and_skips_tensorflow(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "warm")
    probe = (
        "import sys, runpy; sys.argv=['tinynets','build'];\n"
        "try:\n    runpy.run_module('tinynets', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('TF_IMPORTED' if 'tensorflow' in sys.modules else 'TF_NOT_IMPORTED')\n"
        "print('MPL_IMPORTED' if 'matplotlib' in sys.modules else 'MPL_NOT_IMPORTED')\n"
        "print('NUMPY_IMPORTED' if 'numpy' in sys.modules else 'NUMPY_NOT_IMPORTED')\n"
    )
    import os
    import subprocess
    import sys

    from support import REPO

    output = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert output.returncode == 0, output.stderr
    assert "TF_NOT_IMPORTED" in output.stdout and "MPL_NOT_IMPORTED" in output.stdout
    # The tiny post asks for bends, dead units, errors derived from the recorded weights and a
    # bootstrap interval: the first build kept them (build/cache/derived), so not even numpy.
    assert "NUMPY_NOT_IMPORTED" in output.stdout
    lines = output.stdout.splitlines()
    assert not [line for line in lines if line.startswith(("train ", "trained ", "render "))]
    assert output.stdout.count("reused") >= 4
    page = root / "build" / "site" / "tiny" / "index.html"
    kept_page = page.read_text(encoding="utf-8")

    # Without the kept values they are computed again, in numpy, to the same page.
    shutil.rmtree(root / "build" / "cache" / "derived")
    output = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert output.returncode == 0, output.stderr
    assert "NUMPY_IMPORTED" in output.stdout and "TF_NOT_IMPORTED" in output.stdout
    assert page.read_text(encoding="utf-8") == kept_page
    assert sorted(path.stem for path in (root / "build" / "cache" / "derived").glob("*.json"))

    # Without them, not even numpy: a warm build reads metadata only, which keeps it close to
    # MkDocs' own time.
    post = root / "content" / "posts" / "tiny.md"
    post.write_text(post.read_text(encoding="utf-8").split("## Inside")[0], encoding="utf-8")
    output = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert output.returncode == 0, output.stderr
    assert "NUMPY_NOT_IMPORTED" in output.stdout and "TF_NOT_IMPORTED" in output.stdout
    assert not [line for line in output.stdout.splitlines()
                if line.startswith(("train ", "trained ", "render "))]


def test_only_builds_the_named_post_and_names_the_others_when_unknown(built_project, tmp_path):
    root = copy_built(built_project, tmp_path / "only")
    result = run_build(root, "--only", "notes")
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("reused  tiny")]
    site = root / "build" / "site"
    # A preview: the other post stays on the site as the last build left it.
    assert (site / "notes" / "index.html").is_file() and (site / "tiny" / "index.html").is_file()
    unknown = run_build(root, "--only", "nothing")
    assert unknown.returncode == 1
    assert unknown.stderr == ("error: --only nothing: no post content/posts/nothing.md. "
                              "Posts: notes, plane, sweep, tiny.\n")
