"""Where the site is published: ``site_url`` and the site's name, read from one place.

``site_url`` lives in ``mkdocs.yml`` (the one file both MkDocs and Zensical read); the environment
variable ``TINYNETS_SITE_URL`` overrides it, so a CI job that learns the address only when it runs
(GitHub Pages) can set it without editing the file. Feeds, social cards and sitemaps need it for
absolute links; without it the site still builds and :func:`missing_note` says what is left out.

Example::

    public = public_site(Path("."))
    public.url
    # 'https://example.org/tinynets/'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tinynets.errors import TinynetsError, display_path

SITE_URL_VARIABLE = "TINYNETS_SITE_URL"


@dataclass(frozen=True)
class PublicSite:
    """The site as the outside world sees it."""

    url: str | None      # absolute, ending in "/", or None when not configured
    name: str
    description: str
    source: str          # where ``url`` came from, for messages: "mkdocs.yml" or the variable


class _TolerantLoader(yaml.SafeLoader):
    """A safe YAML loader that reads MkDocs-specific tags (``!ENV``, ``!!python/name:``) as
    nothing: we only need plain keys, and MkDocs itself resolves those tags later."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(root: Path) -> dict:
    """``mkdocs.yml`` as plain data (unknown tags read as None)."""
    path = root / "mkdocs.yml"
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        raise TinynetsError(f"{display_path(path)}: not valid YAML ({error}). "
                            "Fix the file and build again.") from None
    if not isinstance(config, dict):
        raise TinynetsError(f"{display_path(path)}: expected a mapping of settings "
                            "(site_name: …, theme: …).")
    return config


def public_site(root: Path, environment: dict | None = None) -> PublicSite:
    """``site_url`` from ``$TINYNETS_SITE_URL`` or else ``mkdocs.yml``, checked and normalised."""
    environment = os.environ if environment is None else environment
    config = read_config(root)
    url, source = environment.get(SITE_URL_VARIABLE, "").strip(), SITE_URL_VARIABLE
    if not url:
        url, source = str(config.get("site_url") or "").strip(), "mkdocs.yml site_url"
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TinynetsError(f"{source}: {url!r} is not an absolute web address. Expected "
                                "one like https://example.org/blog/ (scheme, host, path), or "
                                "leave it unset to build without feeds.")
        url = url if url.endswith("/") else url + "/"
    return PublicSite(url=url or None, name=str(config.get("site_name") or ""),
                      description=str(config.get("site_description") or ""), source=source)


def missing_note() -> str:
    """The one line a build prints when ``site_url`` is not set."""
    return ("note: site_url is not set, so there is no RSS feed and social-card images and "
            "sitemap.xml get relative addresses: set site_url in mkdocs.yml or "
            f"${SITE_URL_VARIABLE} to the public address (e.g. https://you.github.io/tinynets/).")
