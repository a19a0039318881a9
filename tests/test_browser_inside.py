"""The inside-of-a-net figures in a real browser: the units animation and the network diagram
play like every figure (own controls, an accessible name that says what they show), and the
loss plot with errors decodes with a description that carries its numbers. These are the
fallbacks (videos and pictures): the pages are opened with the live-figures module kept from
running (``fallback``)."""

from __future__ import annotations

import re

import pytest
from browser_support import browser, fallback, server, site  # noqa: F401  fixtures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("figure_id, words", [
    ("units-wide", ["bends in the input range", "hidden units are dead", "Faint lines"]),
    ("network-deep", ["8 hidden units", "blue for positive, orange for negative"]),
])
def test_inside_animations_play_and_say_what_they_show(fallback, figure_id, words):  # noqa: F811
    page = fallback.open("/tiny/")
    video = page.locator(f"#{figure_id} video")
    assert video.count() == 1
    video.scroll_into_view_if_needed()
    handle = video.element_handle()
    page.wait_for_function("v => v.readyState >= 2 && v.duration > 0", arg=handle)
    page.evaluate("v => { v.currentTime = 0; v.play(); }", handle)
    page.wait_for_function("v => !v.paused && v.currentTime > 0.3", arg=handle)
    # The same player rules as the plain figure's video (controls, autoplay when seen, …).
    plain = page.locator("#figure-wide video")
    for attribute in ("controls", "data-tn-autoplay", "preload", "muted", "loop"):
        assert video.get_attribute(attribute) == plain.get_attribute(attribute), attribute
    label = video.get_attribute("aria-label")
    for word in words:
        assert word in label, (figure_id, label)
    assert re.search(r"\d", label)
    gif = page.locator(f"#{figure_id} video img")
    assert gif.get_attribute("alt") == label
    page.close()
    assert fallback.problems == []


def test_errors_plot_decodes_and_its_description_has_the_numbers(fallback):  # noqa: F811
    page = fallback.open("/tiny/")
    image = page.locator("#errors-wide img")
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=handle)
    alt = image.get_attribute("alt")
    assert re.search(r"they end at [\d.]+, [\d.]+ and [\d.]+", alt), alt
    caption = page.locator("#errors-wide figcaption").inner_text()
    assert "fresh noisy points" in caption and "true function" in caption
    page.close()
    assert fallback.problems == []
