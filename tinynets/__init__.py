"""tinynets: a static site generator for animated explainers about tiny neural nets.

``tinynets.__version__`` is the version in pyproject.toml (see ``tinynets.version``).
"""


def __getattr__(name: str):
    # Read when asked, not at import: a build imports this package but never needs it.
    if name == "__version__":
        from tinynets.version import package_version

        return package_version()
    raise AttributeError(f"module 'tinynets' has no attribute {name!r}")
