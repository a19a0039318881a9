"""``python -m tinynets diff``: numbers, claims, nets and environments between two records
built by hand (tests/record_samples.py), read from files, a URL on 127.0.0.1 and git."""

from __future__ import annotations

import dataclasses
import functools
import html
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from record_samples import (REPLICATION, SHOWN, environment, net, sample_record, seed_set,
                            series)
from tinynets import cli, diff, record
from tinynets.diff.findings import moved
from tinynets.escaping import markdown_text
from tinynets.record import Cpu

REPO = Path(__file__).resolve().parent.parent
OPTIMIZER = "optimizer-or-depth"


def run_diff(capsys, *arguments: str) -> tuple[int, str, str]:
    """``python -m tinynets diff ARGUMENTS`` in this process: (exit status, stdout, stderr)."""
    status = cli.main(["diff", *arguments])
    out, err = capsys.readouterr()
    return status, out, err


def save(folder: Path, name: str, saved: record.Record) -> str:
    record.write(folder / name, saved)
    return str(folder / name)


def diff_records(tmp_path: Path, capsys, old: record.Record, new: record.Record,
                 *arguments: str) -> tuple[int, str, str]:
    """Save both records and diff them: (exit status, stdout, stderr)."""
    return run_diff(capsys, save(tmp_path, "old.json", old), "--against",
                    save(tmp_path, "new.json", new), *arguments)


def with_post(base: record.Record, slug: str = OPTIMIZER, **changes) -> record.Record:
    post = dataclasses.replace(base.posts[slug], **changes)
    return dataclasses.replace(base, posts={**base.posts, slug: post})


def with_nets(base: record.Record, **nets) -> record.Record:
    """``base`` with nets of the optimizer post replaced (None removes one)."""
    current = dict(base.posts[OPTIMIZER].nets)
    for name, replacement in nets.items():
        name = name.replace("_", "-")
        if replacement is None:
            current.pop(name)
        else:
            current[name] = replacement
    return with_post(base, nets=current)


def findings(out: str) -> list[str]:
    """The report's lines without its first (what was compared) and last (the summary)."""
    return out.splitlines()[1:-1]


def wide_trained_longer() -> record.NetRecord:
    """wide-sgd with epochs 5000 → 6000: new fingerprint, new settings, new numbers."""
    return net("1×60 ReLU, SGD", "5555aaaa5555aaaa", [0.1021, 0.15, 0.0987, 0.0109],
               [0.1, 0.17, 0.098, 0.012], epochs=6000,
               inside={"noise_free_error": 0.0021, "epochs_to(0.02)": "never",
                       "kinks()": (-2.5, 0.25, 1.75)})


# (a) to (e) of issue 24

def test_identical_records_are_no_change(tmp_path, capsys):
    old = save(tmp_path, "old.json", sample_record())
    new = save(tmp_path, "new.json", sample_record())
    status, out, err = run_diff(capsys, old, "--against", new)
    assert (status, err) == (0, "")
    assert out == (f"tinynets diff: {old} (built 2026-11-30T14:05:09Z) → {new} (built "
                   "2026-11-30T14:05:09Z)\n"
                   "no change: every number within ±0.1 %, the same nets, cells and claims.\n")


def test_a_forced_retrain_is_no_change(tmp_path, capsys):
    """What a forced retrain on the same machine changes: the build time, training times, and
    (after a commit) the commit. None of it is a change; the commit is context."""
    base = sample_record()
    post = base.posts[OPTIMIZER]
    slower = {name: dataclasses.replace(net, wall_time=net.wall_time * 1.7)
              for name, net in post.nets.items()}
    committed = dataclasses.replace(base.environment.tinynets,
                                    commit="fedcba9876543210fedcba9876543210fedcba98")
    again = dataclasses.replace(with_post(base, nets=slower), built="2026-12-01T09:00:00Z",
                                environment=dataclasses.replace(base.environment,
                                                                tinynets=committed))
    status, out, _ = diff_records(tmp_path, capsys, base, again)
    assert status == 0
    assert findings(out) == ["environment: commit: 0123456789ab → fedcba987654"]
    assert out.splitlines()[-1] == ("no change: every number within ±0.1 %, the same nets, "
                                    "cells and claims; the environment differs (see above).")


def test_a_net_trained_for_more_epochs_lists_its_numbers(tmp_path, capsys):
    status, out, _ = diff_records(tmp_path, capsys, sample_record(),
                                  with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    assert status == 1
    assert findings(out) == [
        "optimizer-or-depth: wide-sgd retrained (fingerprint a1b2c3d4 → 5555aaaa: "
        "epochs 5000 → 6000)",
        "optimizer-or-depth: wide-sgd median 0.09905 → 0.1004 (+1.4 %)",
        "optimizer-or-depth: wide-sgd best 0.011 → 0.0109 (−0.91 %)",
        "optimizer-or-depth: wide-sgd worst 0.2 → 0.15 (−25 %)",
        "optimizer-or-depth: wide-sgd final error of seed 1 (the largest move: 3 of 4 seeds "
        "moved) 0.2 → 0.15 (−25 %)",
        "optimizer-or-depth: wide-sgd replication worst 0.19 → 0.17 (−11 %)",
        "optimizer-or-depth: wide-sgd replication final error of seed 5 0.19 → 0.17 (−11 %)",
    ]
    assert "deep-adam" not in out and "width-and-learning-rate" not in out
    assert out.splitlines()[-1] == ("1 net or cell change, 6 numbers moved beyond ±0.1 %.")


def test_a_flipped_claim_is_listed_with_its_line_and_values(tmp_path, capsys):
    base = sample_record()
    claims = base.posts[OPTIMIZER].claims
    flipped = dataclasses.replace(claims[0], line=90, shown=dataclasses.replace(
        claims[0].shown, holds=False,
        measured={"deep-adam median error": 0.1, "wide-sgd median error": 0.09905}))
    fragile = dataclasses.replace(claims[1], replication=dataclasses.replace(
        claims[1].replication, holds=False))
    status, out, _ = diff_records(tmp_path, capsys, base,
                                  with_post(base, claims=(flipped, fragile)))
    assert status == 1
    assert findings(out) == [
        'optimizer-or-depth: claim at content/posts/optimizer-or-depth.md:90 now fails: "Adam '
        'ends lower than SGD." (holds: deep-adam median error < wide-sgd median error; measured '
        "deep-adam median error = 0.01035, wide-sgd median error = 0.09905 → fails: deep-adam "
        "median error < wide-sgd median error; measured deep-adam median error = 0.1, wide-sgd "
        "median error = 0.09905)",
        'optimizer-or-depth: claim at content/posts/optimizer-or-depth.md:95 on replication: '
        'now fails: "The wide net is stuck on some seed." (holds: wide-sgd stuck seeds ≥ 1; '
        "measured wide-sgd stuck seeds = 3.03 → fails: wide-sgd stuck seeds ≥ 1; measured "
        "wide-sgd stuck seeds = 3.03)",
    ]
    assert out.splitlines()[-1] == "2 claims changed."


def test_claims_are_paired_by_text_so_moved_lines_are_no_change(tmp_path, capsys):
    base = sample_record()
    claims = base.posts[OPTIMIZER].claims
    moved_down = tuple(dataclasses.replace(claim, line=claim.line + 7) for claim in claims)
    reworded = (moved_down[0], dataclasses.replace(moved_down[1], text="Some seed is stuck."))
    old = save(tmp_path, "old.json", base)
    status, out, _ = run_diff(capsys, old, "--against",
                              save(tmp_path, "moved.json", with_post(base, claims=moved_down)))
    assert (status, out.splitlines()[-1]) == (0, "no change: every number within ±0.1 %, the "
                                                 "same nets, cells and claims.")
    status, out, _ = run_diff(capsys, old, "--against",
                              save(tmp_path, "reworded.json", with_post(base, claims=reworded)))
    assert status == 1
    assert findings(out) == [
        'optimizer-or-depth: claim at content/posts/optimizer-or-depth.md:102 text changed: '
        '"The wide net is stuck on some seed." → "Some seed is stuck."']


def test_added_and_removed_nets_and_cells_are_listed(tmp_path, capsys):
    base = sample_record()
    deep_sgd = net("2×10 ReLU, SGD", "abcdefabcdefabcd", [0.05, 0.06, 0.04, 0.2],
                   [0.05, 0.06, 0.04, 0.2], layers=(10, 10))
    changed = with_nets(base, deep_adam=None, deep_sgd=deep_sgd)
    sweep = changed.posts["width-and-learning-rate"].sweeps["width-rate"]
    cells = dict(sweep.cells)
    cells["layers=[256],learning_rate=0.01"] = dataclasses.replace(
        cells.pop("layers=[16],learning_rate=0.01"), values={"layers": [256],
                                                             "learning_rate": 0.01})
    changed = with_post(changed, "width-and-learning-rate",
                        sweeps={"width-rate": dataclasses.replace(sweep, cells=cells)})
    status, out, _ = diff_records(tmp_path, capsys, base, changed)
    assert status == 1
    assert findings(out) == [
        "optimizer-or-depth: deep-sgd added (2×10 ReLU, SGD: median 0.055)",
        "optimizer-or-depth: deep-adam removed (2×10 ReLU, Adam: median 0.01035)",
        "width-and-learning-rate: width-rate[layers=[256],learning_rate=0.01] added (1×16, lr "
        "0.01: median 0.29)",
        "width-and-learning-rate: width-rate[layers=[16],learning_rate=0.01] removed (1×16, lr "
        "0.01: median 0.29)",
    ]


def test_added_and_removed_posts_are_listed(tmp_path, capsys):
    base = sample_record()
    fewer = dataclasses.replace(base, posts={OPTIMIZER: base.posts[OPTIMIZER]})
    status, out, _ = diff_records(tmp_path, capsys, base, fewer)
    assert status == 1
    assert findings(out) == ["width-and-learning-rate: post removed: 3 nets or cells, 0 claims"]


@pytest.mark.parametrize("content, problem", [
    ('{"schema": "tinynets-results/1", "built": ', "not valid JSON (line 1, column 43: "
     "Expecting value)."),
    ("", "not valid JSON (line 1, column 1: Expecting value)."),
    ('{"schema": "tinynets-results/9"}', "a tinynets-results/9 record; this tinynets reads "
     "tinynets-results/1. Rebuild it with this tinynets (make site), or compare it with the "
     "tinynets that wrote it."),
    ("[1, 2]", "not a tinynets-results/1 record: at $: [1, 2] is not of type 'object'."),
])
def test_a_malformed_baseline_is_a_one_line_error(tmp_path, capsys, content, problem):
    (tmp_path / "old.json").write_text(content, "utf-8")
    new = save(tmp_path, "new.json", sample_record())
    status, out, err = run_diff(capsys, str(tmp_path / "old.json"), "--against", new)
    assert (status, out) == (2, "")
    assert err == f"error: {tmp_path / 'old.json'}: {problem}\n"


def test_a_missing_baseline_is_a_one_line_error(tmp_path, capsys):
    new = save(tmp_path, "new.json", sample_record())
    status, out, err = run_diff(capsys, "missing.json", "--against", new, "--root", str(tmp_path))
    assert (status, out) == (2, "")
    assert err == ("error: baseline missing.json: no such file, and not a git revision here. "
                   "Give a saved results.json, an http(s):// URL, or a revision such as HEAD~1 "
                   "or main.\n")


def test_without_a_built_site_the_new_record_is_missing(tmp_path, capsys):
    old = save(tmp_path, "old.json", sample_record())
    status, out, err = run_diff(capsys, old, "--root", str(tmp_path))
    assert (status, out) == (2, "")
    assert err == ("error: build/site/results.json: no such file. Build the site first (make "
                   "site), or name the newer record with --against.\n")


def test_the_new_record_defaults_to_the_built_site(tmp_path, capsys):
    old = save(tmp_path, "old.json", sample_record())
    record.write(tmp_path / "build" / "site" / "results.json",
                 with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    status, out, _ = run_diff(capsys, old, "--root", str(tmp_path))
    assert status == 1
    assert out.splitlines()[0] == (f"tinynets diff: {old} (built 2026-11-30T14:05:09Z) → "
                                   "build/site/results.json (built 2026-11-30T14:05:09Z)")


# The tolerance.

def median_moved_to(value: float) -> record.Record:
    """The sample with wide-sgd's shown median (0.09905) replaced by ``value``."""
    base = sample_record()
    wide = base.posts[OPTIMIZER].nets["wide-sgd"]
    moved = dataclasses.replace(wide, shown=dataclasses.replace(
        wide.shown, final_error=dataclasses.replace(wide.shown.final_error, median=value)))
    return with_nets(base, wide_sgd=moved)


def test_the_tolerance_boundary_is_not_a_move():
    assert not moved(1.0, 1.25, 0.25)  # exactly the tolerance: within it
    assert moved(1.0, 1.2500001, 0.25)
    assert not moved(1.0, 0.75, 0.25) and moved(1.0, 0.7499999, 0.25)
    assert not moved(0.0, 0.0, 0.25) and moved(0.0, 1e-12, 0.25)  # from zero: any move
    assert moved(0.1, "diverged", 10.0) and moved("never", 1200, 10.0)
    assert not moved("never", "never", 0.0)
    assert not moved(0.1, 0.1, 0.0) and moved(0.1, 0.1000000001, 0.0)


def test_the_tolerance_on_the_command_line(tmp_path, capsys):
    old = save(tmp_path, "old.json", median_moved_to(1.0))
    at_boundary = save(tmp_path, "boundary.json", median_moved_to(1.25))
    beyond = save(tmp_path, "beyond.json", median_moved_to(1.2500001))
    assert run_diff(capsys, old, "--against", at_boundary, "--tolerance", "0.25")[0] == 0
    status, out, _ = run_diff(capsys, old, "--against", beyond, "--tolerance", "0.25")
    assert status == 1
    assert findings(out) == ["optimizer-or-depth: wide-sgd median 1 → 1.25 (+25 %)"]
    assert out.splitlines()[-1] == "1 number moved beyond ±25 %."


def test_the_default_tolerance_is_a_tenth_of_a_percent(tmp_path, capsys):
    assert diff.DEFAULT_TOLERANCE == 0.001
    old = save(tmp_path, "old.json", sample_record())
    within = save(tmp_path, "within.json", median_moved_to(0.09905 * 1.0009))
    beyond = save(tmp_path, "beyond.json", median_moved_to(0.09905 * 1.0011))
    assert run_diff(capsys, old, "--against", within)[0] == 0
    status, out, _ = run_diff(capsys, old, "--against", beyond)
    assert findings(out) == ["optimizer-or-depth: wide-sgd median 0.09905 → 0.09916 (+0.11 %)"]


@pytest.mark.parametrize("tolerance", ["-0.1", "nan", "inf", "ten"])
def test_a_bad_tolerance_is_refused_with_status_2(tmp_path, capsys, tolerance):
    with pytest.raises(SystemExit) as raised:
        cli.main(["diff", "old.json", "--tolerance", tolerance])
    assert raised.value.code == 2
    assert (f"argument --tolerance: '{tolerance}': expected a share of 0 or more, e.g. 0.01 for "
            "1 %") in capsys.readouterr().err


def test_the_help_names_every_kind_of_baseline_and_the_default_tolerance(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["diff", "--help"])
    assert raised.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "a results.json file, an http(s):// URL, or a git revision (HEAD~1, main)" in shown
    assert "(default: 0.001, i.e. 0.1 %)" in shown


# What else a diff reports.

def test_environment_differences_are_context_not_change(tmp_path, capsys):
    base = sample_record()
    capped = dataclasses.replace(base, environment=environment(
        tensorflow="2.22.0", xla_flags="--xla_cpu_max_isa=AVX2",
        cpu=Cpu("AMD EPYC", ("avx", "avx2", "fma", "sse4_1", "sse4_2"))))
    status, out, _ = diff_records(tmp_path, capsys, base, capped)
    assert status == 0
    assert findings(out) == ["environment: TensorFlow: 2.21.0 → 2.22.0",
                             "environment: XLA_FLAGS: unset → --xla_cpu_max_isa=AVX2",
                             "environment: CPU vector ISA: without avx512f"]
    assert out.splitlines()[-1] == ("no change: every number within ±0.1 %, the same nets, "
                                    "cells and claims; the environment differs (see above).")


def test_a_posts_title_data_seeds_and_accuracies_are_compared(tmp_path, capsys):
    base = sample_record()
    post = base.posts["width-and-learning-rate"]
    tanh = post.nets["tanh"]
    worse = dataclasses.replace(tanh, shown=dataclasses.replace(
        tanh.shown, test_accuracy=series([0.91, 0.85, 0.85, 0.8], higher_is_better=True)))
    changed = with_post(base, "width-and-learning-rate", title="Width, rate", nets={"tanh": worse},
                        data={"function": "sine", "noise": 0.2},
                        seeds=dataclasses.replace(post.seeds, replication=()))
    status, out, _ = diff_records(tmp_path, capsys, base, changed)
    assert status == 1
    assert findings(out) == [
        "width-and-learning-rate: title: Width and learning rate → Width, rate",
        "width-and-learning-rate: replication seeds: 4–7 → none",
        "width-and-learning-rate: data: noise none → 0.2",
        "width-and-learning-rate: tanh test accuracy median 0.895 → 0.85 (−5.0 %)",
        "width-and-learning-rate: tanh test accuracy best 0.93 → 0.91 (−2.2 %)",
        "width-and-learning-rate: tanh test accuracy of seed 2 (the largest move: 2 of 4 seeds "
        "moved) 0.93 → 0.85 (−8.6 %)",
    ]


def test_inside_measurements_counts_and_replication_are_compared(tmp_path, capsys):
    base = sample_record()
    wide = base.posts[OPTIMIZER].nets["wide-sgd"]
    errors = [0.0994, 0.2, 0.0987, 0.011]
    changed = dataclasses.replace(
        wide, shown=seed_set(SHOWN, errors, inside={"noise_free_error": 0.0021,
                                                    "epochs_to(0.02)": 4100,
                                                    "kinks()": (-2.5, 0.25)}),
        replication=None)
    status, out, _ = diff_records(tmp_path, capsys, base, with_nets(base, wide_sgd=changed))
    assert status == 1
    assert findings(out) == [
        "optimizer-or-depth: wide-sgd epochs_to(0.02) never → 4100",
        "optimizer-or-depth: wide-sgd kinks() [-2.5, 0.25, 1.75] → [-2.5, 0.25]",
        "optimizer-or-depth: wide-sgd replication seeds "
        f"{REPLICATION[0]}–{REPLICATION[-1]} → —",
    ]


def test_hostile_text_stays_on_one_line_in_the_terminal(tmp_path, capsys):
    base = sample_record()
    status, out, _ = run_diff(capsys, save(tmp_path, "old.json", base), "--against", save(
        tmp_path, "new.json", with_nets(base, **{"evil\nname\x1b[31m": base.posts[OPTIMIZER]
                                                 .nets["deep-adam"]})))
    assert "optimizer-or-depth: evil\\nname\\x1b[31m added (2×10 ReLU, Adam: median 0.01035)" \
        in out.splitlines()
    assert "\x1b" not in out


# Markdown for a GitHub job summary.

HOSTILE = ["a | b", "<script>alert(1)</script>", "**bold** _it_ `code` ~~gone~~", "\\|",
           "&amp; [link](http://example.org) :+1: $x^2$", "line\nbreak"]


def cells_of(rendered_html: str) -> list[list[str]]:
    """The text of every body cell of every table, HTML entities decoded."""
    rows = re.findall(r"<tr>(.*?)</tr>", rendered_html, re.S)
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in rows if "<td>" in row]


@pytest.mark.parametrize("text", HOSTILE + ["".join(chr(c) for c in range(33, 127)),
                                  "# heading? - list? 1. list? > quote?", "\\"])
def test_markdown_text_reads_exactly_as_written_in_a_table_cell(text):
    """The one rule (escaping.markdown_text), rendered by a CommonMark + GFM-tables parser."""
    table = f"| a | b |\n|---|---|\n| {markdown_text(text)} | end |\n"
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(table)
    assert cells_of(rendered) == [[" ".join(text.split()), "end"]]


def test_markdown_tables_keep_hostile_labels_and_claims_as_text(tmp_path, capsys):
    base = sample_record()
    deep = base.posts[OPTIMIZER].nets["deep-adam"]
    nets = {label: dataclasses.replace(deep, label=label) for label in HOSTILE}
    claims = tuple(dataclasses.replace(base.posts[OPTIMIZER].claims[0], text=text, line=200 + i)
                   for i, text in enumerate(HOSTILE))
    hostile = with_post(base, nets={**base.posts[OPTIMIZER].nets, **nets},
                        claims=base.posts[OPTIMIZER].claims + claims,
                        title="<b>Optimizer</b> | depth")
    status, out, _ = diff_records(tmp_path, capsys, base, hostile, "--markdown")
    assert status == 1
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(out)
    assert "<script" not in rendered and "<b>" not in rendered
    assert rendered.count("<strong>") == 1  # the summary line, nothing an author wrote
    assert "<em>" not in rendered and "<code>" not in rendered and "<a " not in rendered
    rows = cells_of(rendered)
    assert all(len(row) == len(rows[0]) or len(row) in (3, 5) for row in rows)
    one_line = [" ".join(text.split()) for text in HOSTILE]
    added = [row for row in rows if len(row) == 3 and row[1] == "added"]
    assert [row[0] for row in added] == one_line  # net names, exactly as written
    assert [row[2] for row in added] == [f"{text}: median 0.01035" for text in one_line]
    claim_rows = [row for row in rows if len(row) == 5 and row[2] == "added"]
    assert [row[0] for row in claim_rows] == one_line
    assert [row[1] for row in claim_rows] == [
        f"content/posts/optimizer-or-depth.md:{200 + i}" for i in range(len(HOSTILE))]
    assert "<h4>optimizer-or-depth: &lt;b&gt;Optimizer&lt;/b&gt; | depth</h4>" in rendered


def test_markdown_of_no_change(tmp_path, capsys):
    old = save(tmp_path, "old.json", sample_record())
    status, out, _ = run_diff(capsys, old, "--against", old, "--markdown")
    assert status == 0
    rendered = MarkdownIt("commonmark").render(out)
    assert "<table>" not in rendered
    assert ("<p><strong>no change: every number within ±0.1 %, the same nets, cells and claims."
            "</strong></p>") in rendered


def test_markdown_lists_numbers_in_a_table(tmp_path, capsys):
    old = save(tmp_path, "old.json", sample_record())
    new = save(tmp_path, "new.json", with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    status, out, _ = run_diff(capsys, old, "--against", new, "--markdown")
    assert status == 1
    rows = cells_of(MarkdownIt("commonmark").enable("table").render(out))
    assert ["wide-sgd", "retrained",
            "fingerprint a1b2c3d4 → 5555aaaa: epochs 5000 → 6000"] in rows
    assert ["wide-sgd", "median", "0.09905", "0.1004", "+1.4 %"] in rows


# Where a baseline comes from: a URL, a git revision.

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments) -> None:
        pass  # the test reads the diff's output, not the server's


@pytest.fixture
def served(tmp_path):
    """A folder served over HTTP on 127.0.0.1 (a free port) for the test's duration."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_baseline_at_a_url(served, tmp_path, capsys):
    folder, address = served
    record.write(folder / "results.json", sample_record())
    new = save(tmp_path, "new.json", with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    status, out, _ = run_diff(capsys, f"{address}/results.json", "--against", new)
    assert status == 1
    assert out.splitlines()[0].startswith(f"tinynets diff: {address}/results.json (built ")
    assert "optimizer-or-depth: wide-sgd median 0.09905 → 0.1004 (+1.4 %)" in out.splitlines()
    status, out, err = run_diff(capsys, f"{address}/missing.json", "--against", new)
    assert (status, out) == (2, "")
    assert err == f"error: {address}/missing.json: the server answered 404 File not found.\n"


def test_an_unreachable_url_is_a_one_line_error(tmp_path, capsys):
    new = save(tmp_path, "new.json", sample_record())
    status, _, err = run_diff(capsys, "http://127.0.0.1:9/results.json", "--against", new)
    assert status == 2
    assert err == ("error: http://127.0.0.1:9/results.json: cannot be fetched ([Errno 111] "
                   "Connection refused).\n")


def git(folder: Path, *arguments: str) -> str:
    identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True,
                          text=True, env={**os.environ, **identity}).stdout.strip()


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository whose first commit has a results.json and whose second has another."""
    folder = tmp_path / "repository"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    record.write(folder / "results.json", sample_record())
    git(folder, "add", "results.json")
    git(folder, "commit", "-q", "-m", "first build")
    record.write(folder / "results.json", with_nets(sample_record(),
                                                    wide_sgd=wide_trained_longer()))
    git(folder, "commit", "-q", "-am", "more epochs")
    return folder


def test_a_git_revision_with_a_committed_record(repository, capsys):
    first = git(repository, "rev-parse", "HEAD~1")
    status, out, _ = run_diff(capsys, "HEAD~1", "--against", "results.json",
                              "--root", str(repository))
    assert status == 1
    assert out.splitlines()[0] == (f"tinynets diff: HEAD~1:results.json ({first[:12]}) (built "
                                   "2026-11-30T14:05:09Z) → results.json (built "
                                   "2026-11-30T14:05:09Z)")
    assert "optimizer-or-depth: wide-sgd median 0.09905 → 0.1004 (+1.4 %)" in out.splitlines()
    assert run_diff(capsys, "main", "--against", "results.json", "--root", str(repository))[0] == 0


def test_a_git_revision_with_a_record_in_a_note(repository, capsys, tmp_path):
    """CI may attach its build's record to the commit it built, rather than commit it."""
    git(repository, "rm", "-q", "results.json")
    git(repository, "commit", "-q", "-m", "records live in notes")
    record.write(tmp_path / "noted.json", median_moved_to(0.2))
    git(repository, "notes", "--ref=tinynets-results", "add", "-F", str(tmp_path / "noted.json"),
        "HEAD")
    head = git(repository, "rev-parse", "HEAD")
    status, out, _ = run_diff(capsys, "HEAD", "--against", str(tmp_path / "noted.json"),
                              "--root", str(repository))
    assert status == 0
    assert out.splitlines()[0].startswith(
        f"tinynets diff: HEAD ({head[:12]}, note refs/notes/tinynets-results) (built ")


def test_a_git_revision_without_a_record_says_how_to_get_one(repository, capsys):
    git(repository, "rm", "-q", "results.json")
    git(repository, "commit", "-q", "-m", "no record")
    head = git(repository, "rev-parse", "HEAD")[:12]
    record.write(repository / "new.json", sample_record())
    status, out, err = run_diff(capsys, "HEAD", "--against", "new.json", "--root",
                                str(repository))
    assert (status, out) == (2, "")
    assert err == (
        f"error: HEAD ({head}) has no results record: no note in refs/notes/tinynets-results "
        f"and no committed results.json. Build that revision (git worktree add /tmp/tinynets-"
        f"{head} {head} && make -C /tmp/tinynets-{head} site) and diff its "
        f"build/site/results.json, or attach a build's record to it (git notes "
        f"--ref=tinynets-results add -F build/site/results.json {head}).\n")


def test_the_command_runs_as_an_author_runs_it(tmp_path):
    """The real entry point, in a child process: status and output as a shell sees them."""
    old = save(tmp_path, "old.json", sample_record())
    new = save(tmp_path, "new.json", with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    result = subprocess.run([sys.executable, "-m", "tinynets", "diff", old, "--against", new],
                            cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1, result.stderr
    assert "optimizer-or-depth: wide-sgd median 0.09905 → 0.1004 (+1.4 %)" in result.stdout


# The CI script: the same command, its Markdown appended to the job summary.

def diff_summary(*arguments: str, summary: Path | None = None,
                 cwd: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key != "GITHUB_STEP_SUMMARY"}
    if summary is not None:
        environment["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run(["bash", str(REPO / ".ci" / "diff-summary"), *arguments], cwd=cwd,
                          capture_output=True, text=True, env=environment, timeout=120)


def test_the_ci_script_appends_the_markdown_to_the_job_summary(tmp_path):
    save(tmp_path, "main.json", sample_record())
    record.write(tmp_path / "site" / "results.json",
                 with_nets(sample_record(), wide_sgd=wide_trained_longer()))
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier step\n\n", "utf-8")
    result = diff_summary("main.json", "site", summary=summary, cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # changes are for a reviewer, not a failure
    assert result.stdout == "diff-summary: changes listed in the job summary\n"
    expected = subprocess.run(
        [sys.executable, "-m", "tinynets", "diff", str(tmp_path / "main.json"), "--against",
         str(tmp_path / "site" / "results.json"), "--markdown"], cwd=REPO, capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert expected.returncode == 1
    assert summary.read_text("utf-8") == "## Earlier step\n\n" + expected.stdout
    rows = cells_of(MarkdownIt("commonmark").enable("table").render(expected.stdout))
    assert ["wide-sgd", "median", "0.09905", "0.1004", "+1.4 %"] in rows


def test_the_ci_script_prints_without_a_job_summary(tmp_path):
    save(tmp_path, "main.json", sample_record())
    record.write(tmp_path / "build" / "site" / "results.json", sample_record())
    result = diff_summary(str(tmp_path / "main.json"), str(tmp_path / "build" / "site"),
                          cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### tinynets diff\n")
    assert result.stdout.endswith("**no change\\: every number within ±0\\.1 \\%\\, the "
                                  "same nets\\, cells and claims\\.**\n")


def test_the_ci_script_fails_on_a_broken_record(tmp_path):
    (tmp_path / "main.json").write_text('{"schema": "tinynets-results/1"', "utf-8")
    record.write(tmp_path / "site" / "results.json", sample_record())
    summary = tmp_path / "summary.md"
    result = diff_summary("main.json", "site", summary=summary, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {tmp_path / 'main.json'}: not valid JSON (line 1, column 32: Expecting ',' "
        "delimiter).\ndiff-summary: tinynets diff could not compare the records (exit 2).\n")
    assert summary.read_text("utf-8") == ("**tinynets diff could not compare the records**: see "
                                          "the job log.\n\n")
