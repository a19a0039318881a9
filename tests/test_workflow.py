"""The GitHub workflow is valid against the workflow schema and builds, caches and publishes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

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
