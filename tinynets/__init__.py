"""tinynets: a static site generator for animated explainers about tiny neural nets.

``tinynets.__version__`` is the version in pyproject.toml (see ``tinynets.version``). The
Python API (``tinynets.api``: ``experiment``, ``post``, ``claim``) is reachable from here,
loaded on first use, so ``import tinynets`` stays cheap for the build::

    import tinynets as tn
    results = tn.post("optimizer-or-depth")
"""

API = ("experiment", "post", "claim", "Experiment", "Results", "Net", "Figure", "ClaimReport")
__all__ = ["__version__", *API]


def __getattr__(name: str):
    # Read when asked, not at import: a build imports this package but never needs them.
    if name == "__version__":
        from tinynets.version import package_version

        return package_version()
    if name in API:
        from tinynets import api

        return getattr(api, name)
    raise AttributeError(f"module 'tinynets' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
