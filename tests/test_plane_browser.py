"""2-D figures in a real browser: the fixture's plane post (tests/test_browser.py also crawls it
with every other page). The decision-boundary video decodes in Chromium and shows both classes'
colours where the heatmap is; the comparison of heatmaps plays. These are the fallback videos:
the pages are opened with the live-figures module kept from running."""

from __future__ import annotations

import pytest
from browser_support import (ARTIFACTS, DESKTOP, TIMEOUT, Watch, browser, server,  # noqa: F401
                             site)

from tinynets.media.plane_panel import BANDS

pytestmark = pytest.mark.browser


@pytest.fixture
def desktop(browser, server):  # noqa: F811 - the fixtures imported above
    watch = Watch(browser, server, live=False, **DESKTOP)
    yield watch
    watch.close()


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[index:index + 2], 16) for index in (1, 3, 5))


# The heatmap's square in the 800×350 net animation: 10 px from the left, 44 px from the top,
# 256 px a side (tinynets.media.plane.PlaneAnimation); sampled inside its frame.
HEATMAP = {"left": 14, "top": 48, "size": 248}

FRAME_PIXELS = """async ([selector, box]) => {
    const video = document.querySelector(selector);
    video.scrollIntoView({block: 'center'});
    if (video.readyState < 2) {
        await new Promise(resolve => video.addEventListener('loadeddata', resolve, {once: true}));
    }
    video.pause();
    video.currentTime = Math.max(video.duration - 0.05, 0);
    await new Promise(resolve => video.addEventListener('seeked', resolve, {once: true}));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0);
    const data = context.getImageData(box.left, box.top, box.size, box.size).data;
    const pixels = [];
    for (let i = 0; i < data.length; i += 4 * 7) pixels.push([data[i], data[i + 1], data[i + 2]]);
    return {width: video.videoWidth, height: video.videoHeight, pixels};
}"""


def test_decision_boundary_video_shows_both_classes(desktop):
    page = desktop.open("/plane/")
    found = page.evaluate(FRAME_PIXELS, ["#figure-fast video", HEATMAP])
    assert (found["width"], found["height"]) == (800, 350)
    pixels = found["pixels"]

    def near(color, tolerance=28):
        target = _rgb(color)
        return sum(all(abs(a - b) <= tolerance for a, b in zip(pixel, target))
                   for pixel in pixels) / len(pixels)

    # The sure-orange and sure-purple bands each cover a good share of the plane at the end.
    assert near(BANDS[0]) > 0.05, "no orange (class 0) region in the final frame"
    assert near(BANDS[-1]) > 0.05, "no purple (class 1) region in the final frame"
    assert not desktop.problems, desktop.problems


def test_comparison_of_heatmaps_plays(desktop):
    page = desktop.open("/plane/")
    video = page.locator("#comparison video")
    video.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#comparison video').readyState >= 2",
                           timeout=TIMEOUT)
    page.evaluate("() => document.querySelector('#comparison video').play()")
    page.wait_for_function("() => document.querySelector('#comparison video').currentTime > 0.3",
                           timeout=TIMEOUT)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plane-post.png"), full_page=True)
    assert not desktop.problems, desktop.problems
