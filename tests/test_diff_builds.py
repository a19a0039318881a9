"""``tinynets diff`` between two real builds of the fixture: a rebuild is no change, a net trained
for more epochs lists that net, and the CI summary is the same command's Markdown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, copy_built, run_build

pytestmark = pytest.mark.slow


def diff(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``python -m tinynets diff ARGUMENTS`` in ``root``, as an author runs it."""
    return subprocess.run([sys.executable, "-m", "tinynets", "diff", *arguments], cwd=root,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def builds(built_project, tmp_path_factory) -> tuple[Path, Path, Path]:
    """A copy of the built fixture, its record kept aside, rebuilt twice: unchanged (→
    build/rebuilt.json), then with the wide net of tiny.md trained for 40 epochs instead of 30.
    """
    folder = tmp_path_factory.mktemp("diff")
    root = copy_built(built_project, folder / "project")
    baseline = folder / "baseline.json"
    shutil.copy(root / "build" / "site" / "results.json", baseline)
    rebuilt = run_build(root)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    unchanged = folder / "rebuilt.json"
    shutil.copy(root / "build" / "site" / "results.json", unchanged)
    post = root / "content" / "posts" / "tiny.md"
    text = post.read_text(encoding="utf-8")
    wide = text.index("  wide:")
    post.write_text(text[:wide] + text[wide:].replace("epochs: 30", "epochs: 40", 1),
                    encoding="utf-8")
    longer = run_build(root)
    assert longer.returncode == 0, longer.stdout + longer.stderr
    assert "train   tiny/wide: epochs 30 → 40" in longer.stdout  # only that net trained
    assert "train   tiny/deep" not in longer.stdout and "train   plane" not in longer.stdout
    return root, baseline, unchanged


def test_a_rebuild_is_no_change(builds):
    root, baseline, unchanged = builds
    result = diff(root, str(baseline), "--against", str(unchanged))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"tinynets diff: {baseline} (built ")
    assert lines[1:] == ["no change: every number within ±0.1 %, the same nets, cells and "
                         "claims."]


def test_a_net_trained_longer_is_listed_with_its_numbers_and_nothing_else(builds):
    root, baseline, _ = builds
    result = diff(root, str(baseline))  # against the built site's record, the default
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()[1:-1]
    assert re.fullmatch(r"tiny: wide retrained \(fingerprint [0-9a-f]{8} → [0-9a-f]{8}: "
                        r"epochs 30 → 40\)", lines[0]), lines
    numbers = [line for line in lines[1:] if not line.startswith("tiny: claim at")]
    # its numbers moved on the shown seeds and on the replication seeds (trained in one run)
    assert any(line.startswith("tiny: wide median ") for line in numbers), lines
    assert any(line.startswith("tiny: wide replication median ") for line in numbers), lines
    # the first 10 of 40 epochs are those of the 30-epoch run, bit for bit
    assert not [line for line in numbers
                if re.match(r"tiny: wide (replication )?loss_at\(10", line)], lines
    # deep did not retrain: only the measurements it shares with wide moved
    for line in numbers:
        assert line.startswith("tiny: wide ") or re.match(
            r"tiny: deep (replication )?(prob_lower\(wide\)|ratio_interval\(wide, level=0\.9\))",
            line), line
    assert not [line for line in lines if line.startswith(("plane:", "sweep:"))]
    assert result.stdout.splitlines()[-1].startswith("1 net or cell change, ")


def test_the_ci_summary_is_the_same_command_as_markdown(builds, tmp_path):
    root, baseline, _ = builds
    summary = tmp_path / "summary.md"
    ci = subprocess.run(["bash", str(REPO / ".ci" / "diff-summary"), str(baseline),
                         str(root / "build" / "site")], cwd=tmp_path,
                        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
                        capture_output=True, text=True, timeout=300)
    assert ci.returncode == 0, ci.stdout + ci.stderr  # changes are for a reviewer to read
    assert ci.stdout == "diff-summary: changes listed in the job summary\n"
    # the script names the records by the absolute paths it was given
    markdown = diff(root, str(baseline), "--against",
                    str(root / "build" / "site" / "results.json"), "--markdown")
    assert markdown.returncode == 1
    assert summary.read_text(encoding="utf-8") == markdown.stdout
    assert "#### tiny: A tiny fixture post" in markdown.stdout
    assert re.search(r"^\| wide \| retrained \| fingerprint [0-9a-f]{8} → [0-9a-f]{8}: epochs "
                     r"30 → 40 \|$", markdown.stdout.replace("\\", ""), re.M)
