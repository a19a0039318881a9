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


def test_the_sweeps_section_says_up_front_which_data_sweeps_need():
    """Sweeps refuse the plane's data and CSV files: README says so before its first example,
    in the words the error for such a sweep quotes."""
    from tinynets.posts import schema

    section = README[README.index("### Sweeps\n"):]
    opening = " ".join(section[: section.index("```")].split())
    assert schema.SWEEP_DATA in opening


def test_the_python_api_is_documented_with_its_example_notebook():
    start = README.index("## From Python and notebooks\n")
    section = README[start:README.index("\n## ", start + 1)]
    assert "content/notebooks/explore.ipynb" in section
    assert (REPO / "content" / "notebooks" / "explore.ipynb").is_file()
    for name in ("experiment", "post", "claim", "to_rows", "to_frame", "keras_model", "save",
                 "compare", "sweep_figure"):
        assert f"{name}(" in section, name
