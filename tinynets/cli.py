"""Command line: ``python -m tinynets build``, ``prune`` and ``serve``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from tinynets.errors import TinynetsError, display_path


class _Version(argparse.Action):
    """``--version``: the package's version, read only when asked (see ``tinynets.version``)."""

    def __init__(self, option_strings, dest, **options):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version of tinynets and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from tinynets.version import package_version  # what tinynets.__version__ reads

        print(f"tinynets {package_version()}")
        parser.exit()


def _scheduler(text: str) -> str:
    """``--scheduler``: a Dask scheduler address, its syntax checked as the arguments are read."""
    from tinynets.engine.executors import scheduler_address

    try:
        return scheduler_address(text)
    except TinynetsError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m tinynets",
        description="Build animated explainers about tiny neural nets: train the nets declared "
                    "in content/posts, render their animations, and build the site with MkDocs.",
    )
    main.add_argument("--version", action=_Version)
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="train, render and build build/site",
                                description="Train what is not cached, render what is not "
                                            "cached, write build/docs and build build/site.")
    build.add_argument("--force", action="store_true",
                       help="retrain and re-render everything, ignoring the cache")
    build.add_argument("--only", metavar="NAME",
                       help="quick preview: bring only content/posts/NAME.md up to date "
                            "(train, render, write its page), then build the site; the other "
                            "posts stay as the last build left them")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="train up to N nets in parallel (default: the number of cores)")
    build.add_argument("--quiet", action="store_true", help="print errors only")
    build.add_argument("--no-wait", action="store_true",
                       help="if another build (or prune) is running in this checkout, fail at "
                            "once (exit status 75) instead of waiting for it to finish")
    build.add_argument("--engine", choices=("mkdocs", "zensical"),
                       default=os.environ.get("TINYNETS_ENGINE", "mkdocs"),
                       help="what builds build/docs into build/site: mkdocs (default) or "
                            "zensical (install it with `make zensical`); also $TINYNETS_ENGINE")
    build.add_argument("--executor", choices=("local", "dask"),
                       default=os.environ.get("TINYNETS_EXECUTOR", "local"),
                       help="where nets train: local (default, a pool of worker processes) or "
                            "dask (a Dask distributed cluster: the scheduler of --scheduler, "
                            "else a local one); also $TINYNETS_EXECUTOR")
    build.add_argument("--scheduler", metavar="ADDRESS", type=_scheduler,
                       help="with --executor dask: the scheduler's address, e.g. "
                            "tcp://10.0.0.5:8786 (default: $TINYNETS_SCHEDULER, else a local "
                            "Dask cluster)")
    build.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    prune = commands.add_parser(
        "prune", help="remove cache entries that no post uses",
        description="Remove the recordings (build/cache/runs) and media (build/cache/media) "
                    "that no current post uses, listing each with its size. What any post "
                    "needs is never removed.")
    prune.add_argument("--dry-run", action="store_true",
                       help="only list what would be removed and the space it would free")
    prune.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    new = commands.add_parser("new", help="start a post: write content/posts/<slug>.md",
                              description="Write content/posts/<slug>.md for a new post titled "
                                          "TITLE: today's date, a small experiment that trains "
                                          "in seconds, a figure, a table and a checked claim. "
                                          "Never overwrites a post.")
    new.add_argument("title", help='the post\'s title, e.g. "Does width help?"')
    new.add_argument("--slug", help="file name without .md (default: from the title)")
    new.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on edits",
                                description="Build, then serve the site with live reload; a "
                                            "change under content/ or templates/ rebuilds.")
    serve.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on")
    serve.add_argument("--root", type=Path, default=Path("."), help=argparse.SUPPRESS)
    from tinynets.diff import add_command as add_diff_command

    add_diff_command(commands)
    return main


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the build cleans up as after Ctrl-C: workers
    are stopped and temporary folders removed (see ``tinynets.workers``)."""


def _terminate(signal_number, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if arguments.command == "new":
            from tinynets.scaffold import new_post

            written = new_post(arguments.root, arguments.title, arguments.slug)
            print(f"wrote {display_path(written)}: build it with `make site` (or python -m tinynets build "
                  f"--only {written.stem}) and edit it as you like.")
        elif arguments.command == "prune":
            from tinynets.prune import prune

            prune(arguments.root, dry_run=arguments.dry_run)
        elif arguments.command == "build":
            from tinynets.build import BuildOptions, build

            if arguments.jobs is not None and arguments.jobs < 1:
                raise TinynetsError("--jobs must be 1 or more.")
            if arguments.engine not in ("mkdocs", "zensical"):  # $TINYNETS_ENGINE, unchecked
                raise TinynetsError(f"TINYNETS_ENGINE={arguments.engine}: unknown engine; "
                                    "expected mkdocs or zensical.")
            if arguments.executor not in ("local", "dask"):  # $TINYNETS_EXECUTOR, unchecked
                raise TinynetsError(f"TINYNETS_EXECUTOR={arguments.executor}: unknown executor; "
                                    "expected local or dask.")
            if arguments.scheduler and arguments.executor != "dask":
                raise TinynetsError("--scheduler names a Dask scheduler: add --executor dask "
                                    "to use it.")
            variable = os.environ.get("TINYNETS_SCHEDULER", "").strip()
            if arguments.executor == "dask" and variable and not arguments.scheduler:
                from tinynets.engine.executors import scheduler_address

                try:
                    scheduler_address(variable)
                except TinynetsError as error:
                    raise TinynetsError(f"TINYNETS_SCHEDULER={error}") from None
            build(arguments.root, BuildOptions(
                force=arguments.force, only=arguments.only, jobs=arguments.jobs,
                quiet=arguments.quiet, engine=arguments.engine, executor=arguments.executor,
                scheduler=arguments.scheduler, wait=not arguments.no_wait))
        elif arguments.command == "diff":
            from tinynets.diff import run

            return run(arguments)  # 0 no change, 1 changes, 2 a record it cannot read
        else:
            from tinynets.serve import serve

            serve(arguments.root, arguments.address)
    except TinynetsError as error:
        print(f"error: {error}", file=sys.stderr)
        return getattr(error, "exit_status", 1)
    except OSError as error:  # a file that cannot be read or written: not a bug of ours
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}. Check that it exists and that build/ "
              "is writable, then build again; the previous site is untouched.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    return 0
