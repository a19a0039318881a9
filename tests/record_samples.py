"""Records built by hand for the record and diff tests: a small site of two posts, one with two
nets and two claims, one with a sweep of two cells and a classifier, replication on."""

from __future__ import annotations

import dataclasses
import statistics

from tinynets.record import (ClaimRecord, CellRecord, Counts, Cpu, Environment, NetRecord,
                             Outcome, PostRecord, Record, SeedSet, SeedSets, Series, SweepRecord,
                             TinynetsVersion, cell_id)

SHOWN = (0, 1, 2, 3)
REPLICATION = (4, 5, 6, 7)


def series(per_seed, higher_is_better: bool = False) -> Series:
    ordered = sorted(per_seed, reverse=higher_is_better)
    return Series(tuple(per_seed), statistics.median(per_seed), ordered[0], ordered[-1])


def seed_set(seeds, errors, inside=None, accuracies=None) -> SeedSet:
    floor = 0.01
    return SeedSet(
        seeds=tuple(seeds), final_error=series(errors),
        counts=Counts(near_floor=None if accuracies else sum(e <= 2 * floor for e in errors),
                      stuck=None if accuracies else sum(e > 5 * floor for e in errors),
                      diverged=0),
        test_accuracy=series(accuracies, higher_is_better=True) if accuracies else None,
        accuracy=series([min(1.0, a + 0.02) for a in accuracies], True) if accuracies else None,
        test_error=series([e * 1.1 for e in errors]) if accuracies else None,
        inside=inside or {})


def net(label: str, fingerprint: str, errors, replication_errors, epochs: int = 5000,
        layers=(60,), optimizer: str = "sgd", inside=None, accuracies=None) -> NetRecord:
    return NetRecord(
        label=label, fingerprint=fingerprint,
        spec={"layers": list(layers), "activation": "relu", "optimizer": optimizer,
              "learning_rate": 0.01, "batch_size": 32, "epochs": epochs, "loss": "mse"},
        parameters=3 * sum(layers) + 1, wall_time=12.5,
        shown=seed_set(SHOWN, errors, inside, accuracies),
        replication=seed_set(REPLICATION, replication_errors, inside, accuracies))


def claim(line: int, text: str, check: str, measured: dict, holds: bool = True,
          replication_holds: bool = True) -> ClaimRecord:
    return ClaimRecord(line, text, Outcome(check, measured, holds),
                       Outcome(check, {name: value * 1.01 for name, value in measured.items()},
                               replication_holds))


def environment(**changes) -> Environment:
    base = Environment(
        tinynets=TinynetsVersion("0.1.0", "0123456789abcdef0123456789abcdef01234567", False),
        python="3.11.7", tensorflow="2.21.0", keras="3.15.1", numpy="2.4.6",
        cpu=Cpu("AMD EPYC", ("avx", "avx2", "avx512f", "fma", "sse4_1", "sse4_2")),
        platform="Linux-6.1-x86_64-with-glibc2.36", lock_sha256="ab" * 32, xla_flags=None)
    return dataclasses.replace(base, **changes)


def optimizer_post() -> PostRecord:
    wide = net("1×60 ReLU, SGD", "a1b2c3d4e5f60718", [0.0994, 0.2, 0.0987, 0.011],
               [0.1, 0.19, 0.098, 0.012], inside={"noise_free_error": 0.0021,
                                                   "epochs_to(0.02)": "never",
                                                   "kinks()": (-2.5, 0.25, 1.75)})
    deep = net("2×10 ReLU, Adam", "0f1e2d3c4b5a6978", [0.0102, 0.0105, 0.0099, 0.011],
               [0.0101, 0.0104, 0.0111, 0.0098], layers=(10, 10), optimizer="adam",
               inside={"epochs_to(0.02)": 1200})
    return PostRecord(
        title="Optimizer or depth?", source="content/posts/optimizer-or-depth.md",
        url="posts/optimizer-or-depth/",
        data={"function": "sine", "x_range": [-3, 3], "points": 100, "noise": 0.1, "seed": 0,
              "frequency": 2.0},
        seeds=SeedSets(SHOWN, REPLICATION),
        nets={"wide-sgd": wide, "deep-adam": deep}, sweeps={},
        claims=(claim(88, "Adam ends lower than SGD.",
                      "deep-adam median error < wide-sgd median error",
                      {"deep-adam median error": 0.01035, "wide-sgd median error": 0.09905}),
                claim(95, "The wide net is stuck on some seed.", "wide-sgd stuck seeds ≥ 1",
                      {"wide-sgd stuck seeds": 3})),
        data_files={"final errors": "posts/optimizer-or-depth/final-errors.csv"})


def sweep_post() -> PostRecord:
    cells = {}
    for width, fingerprint, errors in [(16, "1111111111111111", [0.3, 0.25, 0.31, 0.28]),
                                       (64, "2222222222222222", [0.011, 0.012, 0.3, 0.0105])]:
        values = {"layers": [width], "learning_rate": 0.01}
        record = net(f"1×{width}, lr 0.01", fingerprint, errors, [e * 1.05 for e in errors],
                     layers=(width,), optimizer="adam")
        cells[cell_id(values)] = CellRecord(**{f.name: getattr(record, f.name)
                                               for f in dataclasses.fields(NetRecord)},
                                            values=values)
    classifier = net("tanh", "3333333333333333", [0.3, 0.32, 0.29, 0.4], [0.31, 0.3, 0.3, 0.5],
                     accuracies=[0.91, 0.88, 0.93, 0.8])
    return PostRecord(
        title="Width and learning rate", source="content/posts/width-and-learning-rate.md",
        url="posts/width-and-learning-rate/", data={"function": "sine"},
        seeds=SeedSets(SHOWN, REPLICATION), nets={"tanh": classifier},
        sweeps={"width-rate": SweepRecord("Width × rate", ("layers", "learning_rate"), cells)},
        claims=(), data_files={})


def sample_record() -> Record:
    return Record(built="2026-11-30T14:05:09Z", environment=environment(),
                  posts={"optimizer-or-depth": optimizer_post(),
                         "width-and-learning-rate": sweep_post()})
