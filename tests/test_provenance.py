""""How this page was made" from records built by hand (tests/record_samples.py): what the block
and the feed line say, and that every piece of text in them is text."""

from __future__ import annotations

import dataclasses
from xml.etree import ElementTree

from browser_support import Document
from record_samples import environment, optimizer_post, sample_record, sweep_post
from tinynets.pages import feed, provenance
from tinynets.pages.provenance import BuildFacts, block, feed_line, source_prefix
from tinynets.pages.publishing import PublicSite
from tinynets.record import Cpu, Outcome

FACTS = BuildFacts("2026-11-30T14:05:09Z", environment(), None)


def items(html_block: str) -> list[str]:
    page = Document(html_block)
    return [" ".join(item.text.split()) for item in page.find("li")]


def test_the_block_is_a_collapsed_info_admonition_of_six_lines():
    shown = block(optimizer_post(), FACTS)
    page = Document(shown)
    details = page.find("details")
    assert [element.attrs["class"] for element in details] == ["info tn-provenance"]
    assert "open" not in details[0].attrs  # collapsed until the reader opens it
    assert page.find("summary")[0].text == "How this page was made"
    assert "\n\n" not in shown  # one HTML block: a blank line would end it
    assert items(shown) == [
        "Built on 2026-11-30 (UTC) from content/posts/optimizer-or-depth.md.",
        "2 of 2 claims checked against these measurements, each also on 4 replication seeds.",
        "Seeds shown: 0–3 (4 per net); the claims are also checked on seeds 4–7, which the page "
        "does not show.",
        "Training: 25 s in total for 2 nets, shown and replication seeds together, as measured "
        "when each was trained.",
        "Versions: tinynets 0.1.0 (commit 0123456789ab), Python 3.11.7, TensorFlow 2.21.0, "
        "Keras 3.15.1, numpy 2.4.6; CPU AMD EPYC.",
        "Data: final errors of every seed (CSV); everything this build measured and checked "
        "(JSON).",
    ]


def test_links_lead_from_the_page_to_the_data_files_and_the_record():
    post = dataclasses.replace(optimizer_post(), url="optimizer-or-depth/", data_files={
        "final errors": "media/optimizer-or-depth/final-errors.csv",
        "wide-sgd loss curves": "media/optimizer-or-depth/wide-sgd-loss.csv",
        "deep-adam loss curves": "media/optimizer-or-depth/deep-adam-loss.csv"})
    page = Document(block(post, FACTS))
    links = {link.text: link.attrs["href"] for link in page.find("a")}
    assert links == {"final errors of every seed": "../media/optimizer-or-depth/final-errors.csv",
                     "wide-sgd": "../media/optimizer-or-depth/wide-sgd-loss.csv",
                     "deep-adam": "../media/optimizer-or-depth/deep-adam-loss.csv",
                     "everything this build measured and checked": "../results.json"}
    # a page two folders down (blog_dir: blog) reaches the root in two steps
    deeper = Document(block(dataclasses.replace(post, url="blog/optimizer-or-depth/"), FACTS))
    assert deeper.find("a")[0].attrs["href"] == "../../media/optimizer-or-depth/final-errors.csv"


def test_the_source_file_is_linked_when_mkdocs_yml_names_the_repository():
    prefix = source_prefix({"repo_url": "https://github.com/me/site", "edit_uri": "blob/main/"})
    page = Document(block(optimizer_post(), dataclasses.replace(FACTS, source_prefix=prefix)))
    source = page.find("a")[0]
    assert source.text == "content/posts/optimizer-or-depth.md"
    assert source.attrs["href"] == \
        "https://github.com/me/site/blob/main/content/posts/optimizer-or-depth.md"
    assert source_prefix({}) is None and source_prefix({"repo_url": "ftp://host/x"}) is None


def test_replication_failures_and_a_post_without_claims_are_said_as_they_are():
    post = optimizer_post()
    failing = dataclasses.replace(post.claims[1], replication=Outcome("x", {}, False))
    said = items(block(dataclasses.replace(post, claims=(post.claims[0], failing)), FACTS))
    assert said[1] == ("2 of 2 claims checked against these measurements; 1 of 2 also hold on 4 "
                       "replication seeds.")
    unreplicated = dataclasses.replace(sweep_post(), seeds=dataclasses.replace(
        sweep_post().seeds, replication=()))
    said = items(block(unreplicated, FACTS))
    assert said[1] == "No claims to check on this page."
    assert said[2] == "Seeds shown: 0–3 (4 per net)."
    assert said[3] == ("Training: 38 s in total for 1 net, 2 sweep cells, as measured when each "
                       "was trained.")


def test_text_in_the_block_stays_text():
    hostile = '<script>alert(1)</script> & "quoted"'
    facts = BuildFacts("2026-11-30T14:05:09Z", environment(
        cpu=Cpu(hostile, ()), python=hostile), 'https://example.org/"><script>x</script>/')
    post = dataclasses.replace(optimizer_post(), source='content/posts/a"<b>.md',
                               data_files={"final errors": 'media/x/"><i>.csv'})
    shown = block(post, facts)
    page = Document(shown)
    assert not page.find("script") and not page.find("b") and not page.find("i")
    assert {element.tag for element in page.elements} == {"details", "summary", "ul", "li", "a"}
    said = items(shown)
    assert said[0] == 'Built on 2026-11-30 (UTC) from content/posts/a"<b>.md.'
    assert hostile in said[4]
    assert page.find("a")[0].attrs["href"] == \
        'https://example.org/"><script>x</script>/content/posts/a%22%3Cb%3E.md'


def test_the_feed_line_names_claims_seeds_versions_and_the_data_without_a_date():
    line = feed_line(optimizer_post(), FACTS, "https://example.org/")
    assert line == ("How this page was made: 2 of 2 claims checked against these measurements, "
                    "each also on 4 replication seeds; seeds 0–3 shown; tinynets 0.1.0, TensorFlow "
                    "2.21.0, Keras 3.15.1; the numbers: "
                    "https://example.org/posts/optimizer-or-depth/final-errors.csv")
    assert "2026" not in line and "0123456789ab" not in line  # an unchanged site: the same feed


def test_the_feed_item_ends_its_description_with_the_line():
    public = PublicSite("https://example.org/", "tinynets", "", "mkdocs.yml")
    pages = {"posts/a.md": "---\ntitle: A\ndate: 2026-11-30\nslug: a\ndescription: D.\n---\nText.",
             "posts/b.md": "---\ntitle: B\ndate: 2026-11-29\nslug: b\n---\nText."}
    text = feed.rss(public, pages, {}, {"blog_dir": ".", "post_url_format": "{slug}"},
                    {"a": "How this page was made: a line.", "b": "Another line."})
    descriptions = [item.findtext("description")
                    for item in ElementTree.fromstring(text).iter("item")]
    assert descriptions == ["D.\n\nHow this page was made: a line.", "Another line."]


def test_every_post_of_a_record_gets_a_block():
    for entry in sample_record().posts.values():
        assert provenance.TITLE in block(entry, FACTS)
