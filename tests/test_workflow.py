"""The GitHub workflow is valid against the workflow schema and builds, caches and publishes."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from tinynets.escaping import markdown_text

from support import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
CHECKER = Path(sys.executable).parent / "check-jsonschema"


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECKER), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_workflow_matches_the_github_schema():
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = yaml.safe_load(WORKFLOW.read_text())
    broken["jobs"]["build"]["runs-on"] = {"not": "a runner"}
    del broken["jobs"]["build"]["steps"]
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    assert validate(path).returncode != 0


def test_workflow_runs_the_ci_script_in_debian_then_caches_uploads_and_deploys_from_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML reads the bare key `on` as true
    assert "push" in triggers and "pull_request" in triggers
    build = workflow["jobs"]["build"]
    # Debian's python:3.11 image, so apt's chromium is Debian's browser at /usr/bin/chromium
    assert build["container"]["image"] == "python:3.11"
    assert "--shm-size" in build["container"]["options"]  # Chromium needs more than 64 MB
    steps = build["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ["bash .ci/run"]  # the same script as CI: no second copy of the steps
    ci_step = next(step for step in steps if step.get("run") == "bash .ci/run")
    assert ci_step["env"]["CI"] == "true"
    pages = next(step for step in steps if step.get("uses", "").startswith(
        "actions/configure-pages@"))
    assert ci_step["env"]["TINYNETS_SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    caches = {step["with"]["path"]: step["with"]["key"] for step in steps
              if step.get("uses", "").startswith("actions/cache@")}
    assert set(caches) == {".venv", "build/cache"}
    assert "requirements.lock" in caches[".venv"]
    assert all(part in caches["build/cache"] for part in ("tinynets/**", "content/**"))
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "build/site"
    assert steps.index(ci_step) < steps.index(upload[0])
    deploy = workflow["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_running_deployment_is_never_cancelled_but_pull_request_builds_may_be():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    deploy = workflow["jobs"]["deploy"]["concurrency"]
    assert deploy == {"group": "pages", "cancel-in-progress": False}
    overall = workflow["concurrency"]
    # pushes (main included) wait for the running run of their branch; pull requests cancel it
    assert overall["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "github.ref" in overall["group"]


def test_ci_script_tests_then_builds_with_both_engines_mkdocs_last():
    script = (REPO / ".ci" / "run").read_text()
    syntax = subprocess.run(["bash", "-n", str(REPO / ".ci" / "run")], capture_output=True,
                            text=True, timeout=30)
    assert syntax.returncode == 0, syntax.stderr
    commands = [line.split("#")[0].strip() for line in script.splitlines()]
    order = [command.split("make ", 1)[1] for command in commands
             if re.match(r"(\w+=\S* )*make ", command)]
    assert order == \
        ["test", "zensical-site", "site"]  # build/site ends as MkDocs built it: that is published
    assert "chromium" in script and "unset TINYNETS_SITE_URL" in script
    makefile = (REPO / "Makefile").read_text()
    assert "test: $(STAMP) $(ZENSICAL_STAMP)" in makefile  # make test installs the second engine


# The diff of a pull request (issue 24): main's published record, in the job summary.

def test_a_pull_request_learns_the_published_site_and_diffs_against_it():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert workflow["jobs"]["build"]["permissions"]["pages"] == "read"  # enough to ask Pages
    pages = next(step for step in steps if step.get("uses", "").startswith(
        "actions/configure-pages@"))
    assert "github.event_name == 'pull_request'" in pages["if"]
    assert "refs/heads/main" in pages["if"]  # and main's pushes, which publish
    # a repository without Pages (or a fork's pull request) still builds
    assert pages["continue-on-error"] == "${{ github.event_name == 'pull_request' }}"
    ci_step = next(step for step in steps if step.get("run") == "bash .ci/run")
    baseline = ci_step["env"]["TINYNETS_BASELINE"]
    assert baseline == ("${{ github.event_name == 'pull_request' && (vars.TINYNETS_BASELINE || "
                        f"steps.{pages['id']}.outputs.base_url) || '' }}}}")


def test_ci_script_diffs_against_a_baseline_after_building_the_site():
    script = (REPO / ".ci" / "run").read_text()
    commands = [line.split("#")[0].strip() for line in script.splitlines()]
    site = next(index for index, command in enumerate(commands)
                if command.endswith("make site"))
    summary = next(index for index, command in enumerate(commands)
                   if command.startswith('bash .ci/diff-summary "$baseline" build/site'))
    assert site < summary
    assert 'baseline="${TINYNETS_BASELINE:-}"' in commands
    assert "baseline=build/baseline/results.json" in commands


def ci_tail(folder: Path) -> Path:
    """A project in ``folder`` where the end of .ci/run (its diff) can run alone: the scripts,
    this checkout's package and environment, and a built site's record."""
    script = (REPO / ".ci" / "run").read_text()
    tail = script[script.index("# What moved against a baseline record"):]
    (folder / ".ci").mkdir(parents=True)
    (folder / ".ci" / "tail").write_text("set -euo pipefail\n" + tail)
    (folder / ".ci" / "diff-summary").write_text((REPO / ".ci" / "diff-summary").read_text())
    (folder / "tinynets").symlink_to(REPO / "tinynets")
    (folder / ".venv").symlink_to(REPO / ".venv")
    return folder / ".ci" / "tail"


def run_tail(folder: Path, **variables: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("TINYNETS_BASELINE", "GITHUB_STEP_SUMMARY")}
    return subprocess.run(["bash", str(folder / ".ci" / "tail")], cwd=folder,
                          env={**environment, **variables}, capture_output=True, text=True,
                          timeout=120)


def test_ci_script_prints_the_diff_when_a_baseline_exists(tmp_path):
    from record_samples import sample_record
    from tinynets import record

    ci_tail(tmp_path)
    old = sample_record()
    new = dataclasses.replace(old, built="2026-12-01T09:00:00Z")
    record.write(tmp_path / "build" / "site" / "results.json", new)
    nothing = run_tail(tmp_path)  # no baseline: nothing to compare, nothing said
    assert nothing.returncode == 0 and nothing.stdout == "" and nothing.stderr == ""
    record.write(tmp_path / "build" / "baseline" / "results.json", old)
    found = run_tail(tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("### tinynets diff\n")
    assert "**no change" in found.stdout
    summary = tmp_path / "summary.md"
    missing = run_tail(tmp_path, TINYNETS_BASELINE=str(tmp_path / "gone.json"),
                       GITHUB_STEP_SUMMARY=str(summary))
    assert missing.returncode == 0  # a baseline that cannot be read does not fail the build
    assert "gone.json: no such file, and not a git revision here." in missing.stderr
    assert "CI: no diff against " in missing.stderr
    assert summary.read_text() == \
        "**tinynets diff could not compare the records**: see the job log.\n\n"


def test_the_summary_reads_a_published_sites_record_from_its_address(tmp_path):
    from record_samples import sample_record
    from tinynets import record

    served = tmp_path / "served" / "tinynets"
    record.write(served / "results.json", sample_record())
    record.write(tmp_path / "site" / "results.json", sample_record())
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"http://127.0.0.1:{server.server_port}/tinynets/"
        result = subprocess.run(["bash", str(REPO / ".ci" / "diff-summary"), address,
                                 str(tmp_path / "site")], capture_output=True, text=True,
                                timeout=120, env={**os.environ, "GITHUB_STEP_SUMMARY": ""})
    finally:
        server.shutdown()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert markdown_text(f"{address}results.json") + " (built " in result.stdout


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments) -> None:
        pass
