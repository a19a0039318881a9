"""The browser tests of the built fixture site, run on each engine's build: test_browser.py runs
them on the MkDocs build (the ``site`` fixture of browser_support), test_browser_zensical.py on
the Zensical build (its own ``site``). A module runs them by importing them all::

    from browser_suite import *  # noqa: F401,F403  the tests and their fixtures

Pages are found by crawling internal links from the home page of the site served on 127.0.0.1.
The figures the browser draws live (tests/test_live_figures.py) hold today's videos and pictures
as their fallback: the tests of those here (``fallback``) open the pages with the figures
module kept from running, as a browser without ES modules does, so every figure is its
fallback, driven by tinynets.js.
Without Playwright or Chromium these tests skip with the reason, unless ``CI`` is set: then they
fail. Screenshots land in test-artifacts/browser/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import bisect
import io
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browser_support import (ARTIFACTS, DESKTOP, PHONE, Document, Watch, browser,  # noqa: F401
                             desktop, fallback, html_pages, page_url, picture_distance, server,
                             site)

pytestmark = pytest.mark.browser


# --- Fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(server) -> list[str]:
    """Every page reachable from the home page through internal links, plus the 404 page."""
    found, queue = [], ["/"]
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        with urllib.request.urlopen(server.url(path), timeout=30) as response:
            assert response.status == 200, path
            if not response.headers.get_content_type() == "text/html":
                continue
            text = response.read().decode("utf-8")
        found.append(path)
        for anchor in Document(text).find("a"):
            target = urlsplit(urljoin(server.url(path), anchor.attrs.get("href", "")))
            if f"{target.scheme}://{target.netloc}" != server.origin:
                continue
            if target.path.endswith("/") or target.path.endswith(".html"):
                if target.path not in found and target.path not in queue:
                    queue.append(target.path)
    return found + ["/404.html"]


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-").removesuffix(".html") or "home"


def _expected_time(frames: list[int], fps: float, epoch: int) -> float:
    """Where a video shows ``epoch``: the middle of the last frame drawn at or before it."""
    return (bisect.bisect_right(frames, epoch) - 1 + 0.5) / fps


def _visit_everything(page) -> None:
    """Scroll every image and video into view, as a reader would, so lazy ones load."""
    page.evaluate("""async () => {
        for (const element of document.querySelectorAll('img, video')) {
            if (element.closest('video') && element.tagName === 'IMG') continue;
            element.scrollIntoView({block: 'center'});
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }""")
    page.wait_for_load_state("load")


def _screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("() => window.scrollTo(0, 0)")  # the sticky header at the top, where it sits
    page.wait_for_timeout(200)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def _pages_with(site: Path, pages: list[str], tag: str, attribute: str = "") -> list[str]:
    """The crawled pages whose built HTML has ``tag`` (with ``attribute``), by parsing the files."""
    chosen = []
    for file in html_pages(site):
        elements = [e for e in Document(file.read_text(encoding="utf-8")).find(tag)
                    if not attribute or attribute in e.attrs]
        if elements and page_url(site, file) in pages:
            chosen.append(page_url(site, file))
    return chosen


# --- Tests ---------------------------------------------------------------------------------------

def test_crawl_reaches_every_built_page(site, pages):
    built = {page_url(site, file) for file in html_pages(site)}
    assert set(pages) == built, f"not linked from anywhere: {sorted(built - set(pages))}"
    assert "/tiny/" in pages and len(pages) >= 5


def test_every_page_loads_without_errors_or_outside_requests(desktop, pages):
    for path in pages:
        page = desktop.open(path)
        _visit_everything(page)
        page.wait_for_timeout(300)
        if path in ("/", "/tiny/"):
            _screenshot(page, f"desktop-{_name(path)}")
        page.close()
    assert desktop.problems == []


def test_every_video_is_ready_and_plays(fallback, site, pages):
    with_videos = _pages_with(site, pages, "video")
    assert "/tiny/" in with_videos and "/sweep/" in with_videos
    # figure(cell(…)) on the sweep page is one of the videos played below
    assert 'src="../media/sweep/sweep-width-rate-cell-3.webm"' in (
        site / "sweep" / "index.html").read_text(encoding="utf-8")
    for path in with_videos:
        page = fallback.open(path)
        videos = page.locator("video")
        assert videos.count() >= 4 if path == "/tiny/" else videos.count() >= 1
        for index in range(videos.count()):
            video = videos.nth(index)
            video.scroll_into_view_if_needed()
            handle = video.element_handle()
            page.wait_for_function(
                "v => v.readyState >= 2 && v.duration > 0 && isFinite(v.duration)", arg=handle)
            page.evaluate("v => { v.pause(); v.currentTime = 0; }", handle)
            page.wait_for_function("v => !v.seeking && v.readyState >= 2", arg=handle)
            page.evaluate("v => v.play()", handle)
            page.wait_for_function("v => !v.paused && v.currentTime > 0.3", arg=handle)
            # no decode error, and the file's size is the one the markup reserves (no layout jump)
            state = page.evaluate("v => [v.error, v.videoWidth, v.videoHeight, "
                                  "Number(v.getAttribute('width')), "
                                  "Number(v.getAttribute('height'))]", handle)
            assert state[0] is None and state[1:3] == state[3:5], (path, index, state)
        page.close()
    assert fallback.problems == []


def test_every_image_outside_video_decodes(fallback, pages):
    checked = 0
    for path in pages:
        page = fallback.open(path)
        _visit_everything(page)
        page.wait_for_function(
            "() => [...document.images].filter(i => !i.closest('video')).every(i => i.complete)")
        broken = page.evaluate(
            "() => [...document.images].filter(i => !i.closest('video'))"
            ".filter(i => !(i.naturalWidth > 0)).map(i => i.currentSrc || i.src)")
        assert broken == [], (path, broken)
        checked += page.evaluate(
            "() => [...document.images].filter(i => !i.closest('video')).length")
        page.close()
    assert checked >= 3  # the avatar and the loss plots at least
    assert fallback.problems == []


def _group_state(page, group):
    return page.evaluate(
        """g => ({videos: [...g.querySelectorAll('video')].map(v => ({
                frames: v.dataset.tnFrames.split(',').map(Number), fps: Number(v.dataset.tnFps),
                time: v.currentTime, paused: v.paused, seeking: v.seeking,
                ready: v.readyState})),
              slider: Number(g.querySelector('.tn-slider').value),
              max: Number(g.querySelector('.tn-slider').max),
              shown: g.querySelector('.tn-epoch').textContent,
              label: g.querySelector('.tn-play').getAttribute('aria-label')})""", group)


def _timeline(state) -> list[int]:
    """Every epoch at which a net of the group recorded a frame: what the slider steps over."""
    return sorted({epoch for video in state["videos"] for epoch in video["frames"]})


def _wait_on_epoch(page, group, epoch: int):
    """Wait until every video of ``group`` has seeked to the frame of ``epoch``; return state."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_function(
            """([g, epoch]) => [...g.querySelectorAll('video')].every(v => {
                  const frames = v.dataset.tnFrames.split(',').map(Number);
                  let index = 0;
                  while (index + 1 < frames.length && frames[index + 1] <= epoch) index++;
                  return !v.seeking && v.readyState >= 2 &&
                         Math.abs(v.currentTime - (index + 0.5) / Number(v.dataset.tnFps)) < 0.02;
               })""", arg=[group, epoch], timeout=15_000)
    except Timeout:
        state = _group_state(page, group)
        pytest.fail(f"the group's videos did not all move to epoch {epoch}: "
                    + str([(v["time"], v["seeking"], v["ready"]) for v in state["videos"]])
                    + f", slider {state['slider']}, shown {state['shown']!r}")
    return _group_state(page, group)


def _frame_png(element) -> "Image":
    from PIL import Image
    return Image.open(io.BytesIO(element.screenshot())).convert("RGB")


def _differs(first, second) -> bool:
    from PIL import ImageChops
    return ImageChops.difference(first, second).getbbox() is not None


def test_compare_slider_moves_every_video_of_its_group(fallback, site, pages):
    paths = _pages_with(site, pages, "div", "data-tn-compare")
    assert "/tiny/" in paths and "/sweep/" in paths  # compare(), and sweep_grid()'s player
    for path in paths:
        _check_compare_sliders(fallback, path)
    assert fallback.problems == []


def _check_compare_sliders(desktop, path: str) -> None:
    page = desktop.open(path)
    groups = page.locator("[data-tn-compare]")
    assert groups.count() >= 1
    for index in range(groups.count()):
        group = groups.nth(index)
        group.scroll_into_view_if_needed()
        handle = group.element_handle()
        page.wait_for_function("g => g.dataset.tnReady === 'true'", arg=handle)
        state = _group_state(page, handle)
        timeline = _timeline(state)
        last = timeline[-1]
        assert len(state["videos"]) >= (2 if path == "/tiny/" else 1)
        # the slider steps over the recorded frames; the posters are the final frames: the
        # group starts at the end of training
        assert state["max"] == len(timeline) - 1
        assert state["slider"] == state["max"] and state["shown"] == f"epoch {last:,} of {last:,}"
        slider = group.locator(".tn-slider")
        first_video = group.locator("video").first
        middle = len(timeline) // 2
        pictures = {}
        # move it as a reader would: keyboard, mouse, and typed-in values
        for how, position in (("Home", 0), ("End", len(timeline) - 1), ("click", None),
                              ("fill", middle), ("ArrowLeft", middle - 1), ("Home", 0)):
            if how == "click":
                box = slider.bounding_box()
                page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
                position = int(page.evaluate("s => Number(s.value)", slider.element_handle()))
                assert 0 < position < len(timeline) - 1
            elif how == "fill":
                slider.fill(str(position))
            else:
                slider.focus()
                page.keyboard.press(how)
            wanted = timeline[position]
            state = _wait_on_epoch(page, handle, wanted)
            assert state["slider"] == position, (how, state["slider"])
            assert state["shown"] == f"epoch {wanted:,} of {last:,}", (how, state["shown"])
            for video in state["videos"]:
                assert video["paused"], how
                expected = _expected_time(video["frames"], video["fps"], wanted)
                assert abs(video["time"] - expected) < 0.02, (how, wanted, video["time"], expected)
            if wanted in (0, last):
                pictures[wanted] = _frame_png(first_video)
        # the picture really changes: epoch 0 and the last epoch look different
        assert _differs(pictures[0], pictures[last])
    page.close()


def test_play_button_plays_the_group_in_sync(fallback):
    page = fallback.open("/tiny/")
    group = page.locator("[data-tn-compare]").first
    group.scroll_into_view_if_needed()
    handle = group.element_handle()
    page.wait_for_function("g => g.dataset.tnReady === 'true'", arg=handle)
    button = group.locator(".tn-play")
    assert button.inner_text() == "Play"
    button.click()  # at the last epoch, Play starts over from epoch 0
    page.wait_for_function(
        "g => [...g.querySelectorAll('video')].every(v => !v.paused && v.currentTime > 1.0)",
        arg=handle)
    state = _group_state(page, handle)
    assert state["label"].startswith("Pause ") and button.inner_text() == "Pause"
    times = [video["time"] for video in state["videos"]]
    assert max(times) - min(times) < 0.3, times
    lead = state["videos"][0]
    frame = min(int(lead["time"] * lead["fps"]), len(lead["frames"]) - 1)
    assert 0 < state["slider"] <= state["max"]
    # the slider follows the video
    assert abs(lead["frames"].index(_timeline(state)[state["slider"]]) - frame) <= 1
    page.wait_for_function("([g, t]) => g.querySelector('video').currentTime !== t",
                           arg=[handle, lead["time"]])
    later = _group_state(page, handle)
    assert all(not video["paused"] for video in later["videos"])
    assert later["videos"][0]["time"] != lead["time"]
    button.click()
    state = _group_state(page, handle)
    epoch = _timeline(state)[state["slider"]]
    state = _wait_on_epoch(page, handle, epoch)
    assert state["label"].startswith("Play ") and button.inner_text() == "Play"
    assert all(video["paused"] for video in state["videos"])
    assert state["shown"] == f"epoch {epoch:,} of {_timeline(state)[-1]:,}"
    page.close()
    assert fallback.problems == []


def _ffmpeg_first_frame(webm: Path, folder: Path):
    import imageio_ffmpeg
    from PIL import Image

    target = folder / f"{webm.stem}-first.png"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(webm),
                    "-frames:v", "1", str(target)], check=True, timeout=60)
    return Image.open(target).convert("RGB")


def test_reduced_motion_autoplays_nothing_and_shows_posters(browser, server, site, pages,
                                                           tmp_path):
    watch = Watch(browser, server, live=False, reduced_motion="reduce", **DESKTOP)
    try:
        for path in _pages_with(site, pages, "video"):
            page = watch.open(path)
            _visit_everything(page)
            page.wait_for_timeout(1500)
            videos = page.evaluate("""() => [...document.querySelectorAll('video')].map(v => ({
                paused: v.paused, time: v.currentTime, played: v.played.length,
                poster: v.poster, src: v.currentSrc, autoplay: v.autoplay}))""")
            assert videos
            for video in videos:
                assert video["paused"] and video["time"] == 0 and video["played"] == 0, video
                assert video["poster"] and not video["autoplay"], video
            if path == "/tiny/":
                _screenshot(page, "desktop-tiny-reduced-motion")
                # what the reader sees is the poster (the final frame), not the first frame
                element = page.locator("#figure-wide video")
                element.scroll_into_view_if_needed()
                assert not element.evaluate("v => v.controls")  # the picture alone
                page.wait_for_timeout(300)
                shot = _frame_png(element)
                shot.save(ARTIFACTS / "reduced-motion-poster.png")
                from PIL import Image
                poster = Image.open(site / "media" / "tiny" / "wide.png").convert("RGB")
                first = _ffmpeg_first_frame(site / "media" / "tiny" / "wide.webm", tmp_path)
                near, far = picture_distance(shot, poster), picture_distance(shot, first)
                # (the legend row and axis titles are fine text, which the browser's scaling and
                # PIL's shrink resample apart by up to ~1.6 grey levels: the poster is told from
                # the first frame by the second, relative, bound)
                assert near < 2.0 and near < 0.5 * far, (near, far)
            page.close()
        assert watch.problems == []
    finally:
        watch.close()


def test_autoplay_videos_play_and_compare_groups_wait(browser, server, site, pages):
    watch = Watch(browser, server, live=False, reduced_motion="no-preference", **DESKTOP)
    try:
        paths = _pages_with(site, pages, "video", "data-tn-autoplay")
        assert "/tiny/" in paths
        for path in paths:
            page = watch.open(path)
            autoplay = page.locator("video[data-tn-autoplay]")
            for index in range(autoplay.count()):
                video = autoplay.nth(index)
                video.scroll_into_view_if_needed()
                page.wait_for_function("v => !v.paused && v.currentTime > 0.3",
                                       arg=video.element_handle())
            waiting = page.evaluate("() => [...document.querySelectorAll('[data-tn-compare] "
                                    "video')].map(v => [v.paused, v.played.length])")
            assert all(state == [True, 0] for state in waiting), waiting
            page.close()
        assert watch.problems == []
    finally:
        watch.close()


def test_phone_viewport_has_no_horizontal_scroll(browser, server, pages):
    watch = Watch(browser, server, **PHONE)
    try:
        wide = {}
        for path in pages:
            page = watch.open(path)
            _visit_everything(page)
            page.evaluate("() => window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            width = page.evaluate("() => [document.documentElement.scrollWidth, "
                                  "document.documentElement.clientWidth, "
                                  "document.body.scrollWidth]")
            if not (width[0] <= width[1] and width[2] <= width[1]):
                wide[path] = width
            if path in ("/", "/tiny/"):
                _screenshot(page, f"phone-{_name(path)}")
            page.close()
        assert wide == {}, f"wider than the phone (scrollWidth, clientWidth, body): {wide}"
        assert watch.problems == []
    finally:
        watch.close()


def test_screenshot_of_each_figure_type(desktop):
    """One picture per figure type, for a person to judge (test-artifacts/browser/figure-*.png)."""
    page = desktop.open("/tiny/")
    for selector, name in (("#figure-wide", "animation"), ("#loss-wide", "loss-plot"),
                           ("[data-tn-compare]", "compare-group"), ("#comparison", "comparison"),
                           ("#losses", "comparison-losses"), ("table", "results-table")):
        element = page.locator(selector).first
        element.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        element.screenshot(path=str(ARTIFACTS / f"figure-{name}.png"))
        box = element.bounding_box()
        assert box["width"] > 300 and box["height"] > 100, (name, box)
    page.close()
    assert desktop.problems == []


def _results_table_in_view(page):
    """The results table's scrolling wrapper, scrolled into view once tinynets.js has set the
    table up (its hint sits right after the wrapper), and its [scrollWidth, clientWidth]."""
    wrapper = ".md-typeset__scrollwrap:has(table[data-tn-results])"
    page.locator("table[data-tn-results]").first.scroll_into_view_if_needed()
    page.wait_for_function("s => { const e = document.querySelector(s); return e && "
                           "e.nextElementSibling && "
                           "e.nextElementSibling.matches('.tn-scroll-hint'); }", arg=wrapper)
    scroller = page.locator(wrapper).first
    _next_frame_painted(page)
    return scroller, scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")


def _next_frame_painted(page) -> None:
    """Wait until the browser has drawn a frame after what the page just changed (a scroll)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")


def _edge_darkness(page, scroller, side: str) -> float:
    """How much darker than the page background a 4-pixel strip at one edge of ``scroller`` is
    (mean over its pixels and channels, 0–255): where a scroll shadow shows, it is darker."""
    from PIL import Image, ImageStat

    box = scroller.bounding_box()
    x = box["x"] + (box["width"] - 4 if side == "right" else 0)
    picture = Image.open(io.BytesIO(page.screenshot(clip={
        "x": x, "y": box["y"], "width": 4, "height": box["height"]}))).convert("RGB")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    level = [int(part) for part in background[background.index("(") + 1:-1].split(",")[:3]]
    return sum(abs(channel - base) for channel, base
               in zip(ImageStat.Stat(picture).mean, level)) / 3


def test_on_a_phone_the_results_table_shows_that_it_scrolls_sideways(browser, server):
    watch = Watch(browser, server, **PHONE)
    try:
        page = watch.open("/tiny/")
        scroller, sizes = _results_table_in_view(page)
        assert sizes[0] > sizes[1] + 100, sizes  # ten columns do not fit 390 px: it scrolls
        hint = page.locator(".tn-scroll-hint").first
        assert hint.is_visible() and "sideways" in hint.inner_text()
        hint_box, scroller_box = hint.bounding_box(), scroller.bounding_box()
        assert 0 <= hint_box["y"] - (scroller_box["y"] + scroller_box["height"]) < 40  # under it
        assert hint_box["x"] >= 0 and hint_box["x"] + hint_box["width"] <= 390  # on screen
        # A shadow on the side with more columns beyond it, none on the other.
        scroller.evaluate("e => { e.scrollLeft = 0; }")
        _next_frame_painted(page)
        start = (_edge_darkness(page, scroller, "left"), _edge_darkness(page, scroller, "right"))
        assert start[1] > start[0] + 3, start
        scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        _next_frame_painted(page)
        end = (_edge_darkness(page, scroller, "left"), _edge_darkness(page, scroller, "right"))
        assert end[0] > end[1] + 3, end
        _screenshot(page, "phone-results-table")
        page.close()
        assert watch.problems == []
    finally:
        watch.close()


def test_on_a_desktop_the_results_table_fits_and_gives_no_scroll_hint(desktop):
    page = desktop.open("/tiny/")
    scroller, sizes = _results_table_in_view(page)
    assert sizes[0] <= sizes[1], sizes
    assert page.locator(".tn-scroll-hint").count() <= 1
    assert not page.locator(".tn-scroll-hint").first.is_visible()
    assert abs(_edge_darkness(page, scroller, "right") - _edge_darkness(page, scroller, "left")) < 3
    page.close()
    assert desktop.problems == []
