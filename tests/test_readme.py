"""README stays true to the code: the two commands first, the configuration reference current."""

from __future__ import annotations

from support import REPO
from tinynets.posts.reference import configuration_reference

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    opening = README[: README.index("## ")]
    assert "make site" in opening and "make test" in opening


def test_configuration_reference_is_current():
    start = README.index("<!-- reference:start -->\n") + len("<!-- reference:start -->\n")
    end = README.index("<!-- reference:end -->")
    assert README[start:end] == configuration_reference(), (
        "README's configuration reference is stale: regenerate it with "
        "`python -m tinynets.posts.reference`")


def test_every_schema_key_is_documented():
    from tinynets.posts import schema

    for table in (schema.BLOG, schema.EXPERIMENT, schema.DATA, schema.NET, schema.FRAMES,
                  schema.THRESHOLDS):
        for name in table:
            assert f"`{name}`" in README or f".{name}`" in README, name
