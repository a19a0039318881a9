"""Fingerprints of everything a build publishes, to show that a change of code leaves them alone.

A refactoring must not change one byte of the pages or media. Run this script before and after,
and compare:

    python tests/output_snapshot.py record before.json              # trains and renders
    python tests/output_snapshot.py record after.json --runs-from before.json
    python tests/output_snapshot.py compare before.json after.json

``record`` builds two projects from scratch with the code of the checkout the script sits in:
the repository's own content (the four default posts) and the test fixture's. Each is a copy of
that content with this checkout's templates and mkdocs.yml. It writes the SHA-256 of every file
under build/docs and build/site (the sitemap's compressed copy aside: gzip stamps it with the
time) to the JSON file, beside the folder of trained runs it used.

Pages print measured training times, which differ from one training to the next, so the second
``record`` starts from the first one's trained runs (``--runs-from``: build/cache/runs and the run
index, nothing rendered) and renders every medium and page anew with its own code. ``compare``
lists every file that differs, is missing or is new, and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECTS = {"default": REPO / "content", "fixture": REPO / "tests" / "fixture" / "content"}
LEFT_OUT = {"sitemap.xml.gz"}  # gzip writes the time into its header


def make(folder: Path, content: Path, runs: Path | None) -> Path:
    """A project in ``folder``: ``content``, this checkout's templates and mkdocs.yml, and the
    trained runs of ``runs`` (a build/cache/runs folder) when given."""
    shutil.copytree(content, folder / "content")
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    if runs is not None:
        cache = folder / "build" / "cache"
        cache.mkdir(parents=True)
        shutil.copytree(runs, cache / "runs")
        if (runs.parent / "index.json").is_file():
            shutil.copy(runs.parent / "index.json", cache / "index.json")
    return folder


def fingerprints(root: Path) -> dict[str, str]:
    """SHA-256 of every file under build/docs and build/site, by path below build/."""
    found = {}
    for part in ("docs", "site"):
        base = root / "build" / part
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.name not in LEFT_OUT:
                relative = path.relative_to(root / "build").as_posix()
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def record(output: Path, runs_from: Path | None) -> int:
    keep = output.with_suffix(".runs")
    earlier = json.loads(runs_from.read_text()) if runs_from else None
    result = {"projects": {}}
    for name, content in PROJECTS.items():
        with tempfile.TemporaryDirectory() as temporary:
            runs = Path(earlier["runs"][name]) if earlier else None
            root = make(Path(temporary) / name, content, runs)
            built = subprocess.run([sys.executable, "-m", "tinynets", "build", "--quiet"],
                                   cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
                                   capture_output=True, text=True)
            if built.returncode != 0:
                print(built.stdout + built.stderr, file=sys.stderr)
                return 2
            result["projects"][name] = fingerprints(root)
            if earlier is None:
                shutil.rmtree(keep / name, ignore_errors=True)
                shutil.copytree(root / "build" / "cache" / "runs", keep / name / "runs")
                if (root / "build" / "cache" / "index.json").is_file():
                    shutil.copy(root / "build" / "cache" / "index.json", keep / name)
    result["runs"] = earlier["runs"] if earlier else {
        name: str((keep / name / "runs").resolve()) for name in PROJECTS}
    output.write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")
    counts = ", ".join(f"{name}: {len(files)} files" for name, files in result["projects"].items())
    print(f"recorded {output} ({counts})")
    return 0


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text())["projects"]
    new = json.loads(after.read_text())["projects"]
    differences = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        for path in sorted(set(a) | set(b)):
            if path not in b:
                differences.append(f"{name}: {path} is missing")
            elif path not in a:
                differences.append(f"{name}: {path} is new")
            elif a[path] != b[path]:
                differences.append(f"{name}: {path} differs")
    for line in differences:
        print(line)
    total = sum(len(files) for files in old.values())
    print(f"{len(differences)} of {total} files differ" if differences
          else f"identical: {total} files")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="build both projects and fingerprint them")
    recording.add_argument("output", type=Path)
    recording.add_argument("--runs-from", type=Path,
                           help="a record whose trained runs to start from")
    comparing = commands.add_parser("compare", help="list the files two records differ in")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "record":
        return record(arguments.output, arguments.runs_from)
    return compare(arguments.before, arguments.after)


if __name__ == "__main__":
    sys.exit(main())
