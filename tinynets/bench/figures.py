"""Benchmark of the explorable figures: the reference post (content/posts/optimizer-or-depth.md)
as the build makes it, served on 127.0.0.1, in Chromium headless driven by Playwright (desktop
1280×900, a fresh browser context, so a cold cache, for every measurement).

Prints, as their own lines::

    scrub_frame_ms_p95: <ms>          the compare group's slider dragged across every frame
    first_figure_interactive_ms: <ms> navigation start → the first figure takes a slider move
    reference_page_kb: <KB>           what the page transfers for its figures, scrolled through
    explorable_data_kb_per_net: <KB>  the 1×60 SGD net's data file, and its WebM

- ``scrub_frame_ms_p95``: the mouse presses the slider of the post's ``compare`` group (four
  nets, 150 recorded frames) at its left end and drags it to its right end in small steps, one
  step at a time. For every step that moves the slider (an ``input`` event), the time the main
  thread spends on that frame: from the event (a capturing listener, before the figure's own)
  until the figure has drawn it (its handlers and uPlot's commit done), plus the browser's
  rendering of the next frame (from that frame's animation-frame callbacks until its style,
  layout and paint are done: a message posted from the callback arrives after them). The wait
  for the frame to begin is not counted: it is the display's rhythm, not the figure's cost
  (it is printed beside: event → start of the next frame). 95th percentile over the steps.
- ``first_figure_interactive_ms``: the post opened at its first figure (``#figure-wide-sgd``),
  a script added before the page's own moves that figure's slider to the first frame every
  animation frame until the figure shows epoch 0: the time from navigation start. Median of 5.
- ``reference_page_kb``: every figure of the page (figures and compare groups, top to bottom)
  scrolled into the middle of the screen in turn and watched for 1.5 s (videos autoplay, as
  for a reader who does not prefer reduced motion), then until nothing is loading; the bytes of
  every response under media/ and of our scripts and styles (assets/tinynets*, figures/,
  vendor/) are counted (response bodies, as received). Printed beside: the same page with the
  figures module not running, which is what the page transferred before the figures were drawn
  live (videos, posters, SVG plots: what a browser without the module gets), and the same page
  if every figure had a data file of its own instead of one per net (the files encoded here).
- ``explorable_data_kb_per_net``: the size of the 1×60 SGD net's data file against its WebM.

Run: ``python -m tinynets.bench.figures`` (``make bench`` runs it) after a build of the project
(it builds one, quietly); ``--site FOLDER`` measures another built site instead (e.g. an older
build's, for what the page transferred then).
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
POST = "optimizer-or-depth"
FIRST_FIGURE = "figure-wide-sgd"
DATA_NET = "wide-sgd"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT = 60_000
OURS = ("/media/", "/assets/tinynets", "/assets/figures/", "/assets/vendor/")


def launch(playwright):
    from tinynets.bench.browser import CHROMIUM, CHROMIUM_ARGS

    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# --- reference_page_kb --------------------------------------------------------------------------

class Transfers:
    """Every response a page receives, by request, through the DevTools protocol."""

    def __init__(self, context, page):
        self.urls: dict[str, str] = {}
        self.received: dict[str, int] = {}
        self.open: set[str] = set()
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.dataReceived", self._data)
        session.on("Network.loadingFinished", self._done)
        session.on("Network.loadingFailed", self._done)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.last_change = time.monotonic()

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]
        self.open.add(event["requestId"])
        self.last_change = time.monotonic()

    def _data(self, event):
        key = event["requestId"]
        self.received[key] = self.received.get(key, 0) + event["dataLength"]
        self.last_change = time.monotonic()

    def _done(self, event):
        self.open.discard(event["requestId"])
        self.last_change = time.monotonic()

    def idle(self, page, quiet: float = 0.5, limit: float = 30.0) -> None:
        """Wait until no request is open and nothing arrived for ``quiet`` seconds."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            page.wait_for_timeout(100)
            if not self.open and time.monotonic() - self.last_change >= quiet:
                return

    def figure_bytes(self) -> dict[str, int]:
        """Bytes received per URL path, for the figures' files (media and our assets)."""
        found: dict[str, int] = {}
        for key, size in self.received.items():
            path = urlsplit(self.urls.get(key, "")).path
            if any(path.startswith(prefix) for prefix in OURS):
                found[path] = found.get(path, 0) + size
        return found


def page_bytes(browser, server, live: bool = True) -> dict[str, int]:
    """What the reference post transfers for its figures once each was scrolled through;
    ``live=False`` keeps the figures module from running (the page as a browser without it
    gets it)."""
    context = browser.new_context(reduced_motion="no-preference", **DESKTOP)
    context.set_default_timeout(TIMEOUT)
    if not live:
        context.route("**/assets/tinynets-figures.js", lambda route: route.fulfill(
            status=200, content_type="text/javascript", body="export {};"))
    page = context.new_page()
    transfers = Transfers(context, page)
    page.goto(server.url(f"{POST}/"), wait_until="load")
    count = page.evaluate("() => document.querySelectorAll("
                          "'article figure.tn-figure[id], article [data-tn-compare]').length")
    for index in range(count):
        page.evaluate("""async index => {
            const all = document.querySelectorAll(
                'article figure.tn-figure[id], article [data-tn-compare]');
            const element = all[index];
            element.scrollIntoView({block: 'center'});
            if (element.tnFigure) await element.tnFigure.ready;
        }""", index)
        page.wait_for_timeout(1500)
    transfers.idle(page)
    found = transfers.figure_bytes()
    context.close()
    return found


LOSSES_ONLY = ("loss_plot", "comparison_losses")  # kinds that draw no prediction


def per_figure_kb(site: Path) -> float:
    """The data the page's live figures would fetch with one file per figure instead of one
    per net: each figure's own copy of what it reads (its nets' data and inside files; a loss
    plot's only the losses, encoded here from the same recordings)."""
    import html
    import re

    from tinynets.media import figure_data

    page = (site / POST / "index.html").read_text(encoding="utf-8")
    total = 0
    for kind, urls in re.findall(r'data-tn-figure="([a-z_]+)" data-tn-data="([^"]+)"', page):
        paths = [(site / POST / html.unescape(url)).resolve() for url in urls.split()]
        if kind in LOSSES_ONLY:
            total += len(figure_data.encode([replace(_recorded(path), predictions=None)
                                             for path in paths]))
        else:
            total += sum(path.stat().st_size for path in paths)
    return total / 1000


def _recorded(path: Path):
    """A data file's net back as a ``NetFigureData`` (its recorded values as decoded: within the
    file's tolerance, which changes the size of a re-encoding by a few bytes at most)."""
    import numpy as np

    from tinynets.media import figure_data
    from tinynets.media.figure_net_data import NetFigureData

    net = figure_data.read(path).nets[0]
    losses = np.full((net.epochs, len(net.seeds)), np.nan)
    losses[net.loss_epochs - 1] = net.losses.T
    # every epoch the file does not keep: the last kept value (only kept epochs are written)
    for epoch in range(1, net.epochs):
        if np.isnan(losses[epoch]).all():
            losses[epoch] = losses[epoch - 1]
    return NetFigureData(
        name=net.name, label=net.label, color=net.color, seeds=net.seeds,
        shown_seed=net.shown_seed, frame_epochs=net.frame_epochs, grid=net.grid,
        predictions=net.predictions, losses=losses, points_x=net.points_x,
        points_y=net.points_y, truth=net.truth, noise_floor=net.noise_floor)


# --- first_figure_interactive_ms -----------------------------------------------------------------

FIRST_MOVE = """(() => {
  const target = %r;
  function attempt() {
    const figure = document.getElementById(target);
    const slider = figure && figure.dataset.tnState === "live" && figure.querySelector(".tn-slider");
    if (slider) {
      slider.value = "0";
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      if (figure.dataset.tnEpoch === "0") { window.tnInteractive = performance.now(); return; }
    }
    requestAnimationFrame(attempt);
  }
  requestAnimationFrame(attempt);
})();"""


def first_interactive_ms(browser, server, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        context = browser.new_context(reduced_motion="no-preference", **DESKTOP)
        context.set_default_timeout(TIMEOUT)
        context.add_init_script(FIRST_MOVE % FIRST_FIGURE)
        page = context.new_page()
        page.goto(server.url(f"{POST}/#{FIRST_FIGURE}"), wait_until="load")
        page.wait_for_function("() => window.tnInteractive !== undefined")
        times.append(page.evaluate("() => window.tnInteractive"))
        context.close()
    return times


# --- scrub_frame_ms_p95 --------------------------------------------------------------------------

WATCH_SLIDER = """group => {
  const slider = group.querySelector(".tn-slider");
  window.tnScrub = [];
  let pending = null;
  document.addEventListener("input", (event) => {          // before the figure's own handler
    if (event.target === slider) pending = { start: performance.now(), value: slider.value };
  }, true);
  document.addEventListener("input", (event) => {          // after it
    if (event.target !== slider || !pending) return;
    const step = pending;
    pending = null;
    queueMicrotask(() => {                                  // after uPlot's commit
      step.drawn = performance.now();
      requestAnimationFrame(() => {
        step.frame = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {                   // the frame's rendering done
          step.rendered = performance.now();
          step.epoch = group.dataset.tnEpoch;
          window.tnScrub.push(step);
        };
        channel.port2.postMessage(null);
      });
    });
  });
}"""


def scrub_frames(browser, server) -> list[dict]:
    """Every drawn step of a drag of the compare group's slider from end to end."""
    context = browser.new_context(reduced_motion="reduce", **DESKTOP)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(server.url(f"{POST}/"), wait_until="load")
    group = page.locator("article [data-tn-compare][data-tn-figure]").first
    group.scroll_into_view_if_needed()
    assert group.evaluate("g => g.tnFigure.ready") == "live"
    handle = group.element_handle()
    page.evaluate(WATCH_SLIDER, handle)
    slider = group.locator(".tn-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    frames = int(slider.get_attribute("max")) + 1
    middle = box["y"] + box["height"] / 2
    settle = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
    page.mouse.move(box["x"] + 1, middle)
    page.mouse.down()
    page.evaluate(settle)
    for step in range(4 * frames + 1):  # several pixels a frame: every frame is visited
        page.mouse.move(box["x"] + 1 + (box["width"] - 2) * step / (4 * frames), middle)
        page.evaluate(settle)
    page.mouse.up()
    page.evaluate(settle)
    steps = page.evaluate("() => window.tnScrub")
    context.close()
    return steps


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- all of them ---------------------------------------------------------------------------------

def build() -> Path:
    subprocess.run([sys.executable, "-m", "tinynets", "build", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "build" / "site"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tinynets.bench.figures")
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build "
                                                  "this project and measure build/site)")
    parser.add_argument("--bytes-only", action="store_true",
                        help="measure what the page transfers only (any site, live or not)")
    arguments = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tinynets.bench.browser import SiteServer

    site = arguments.site or build()
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            if arguments.bytes_only:
                for live in (True, False):
                    found = page_bytes(browser, server, live)
                    print(f"reference_page_kb ({'module running' if live else 'no module'}): "
                          f"{sum(found.values()) / 1000:.0f}", flush=True)
                    for path, size in sorted(found.items()):
                        print(f"  {size / 1000:8.1f}  {path}")
                return
            _print_all(browser, server, site)
        finally:
            browser.close()


def _print_all(browser, server, site: Path) -> None:
    steps = scrub_frames(browser, server)
    cost = [(step["drawn"] - step["start"]) + (step["rendered"] - step["frame"])
            for step in steps]
    waited = [step["frame"] - step["start"] for step in steps]
    epochs = {step["epoch"] for step in steps}
    print(f"scrub_frame_ms_p95: {percentile(cost, 0.95):.1f}  (median {statistics.median(cost):.1f}; "
          f"{len(steps)} drawn steps over {len(epochs)} frames; event → start of the next "
          f"frame p95 {percentile(waited, 0.95):.1f})", flush=True)
    times = first_interactive_ms(browser, server)
    print(f"first_figure_interactive_ms: {statistics.median(times):.0f}  (runs "
          f"{', '.join(f'{time:.0f}' for time in times)})", flush=True)
    found = page_bytes(browser, server, live=True)
    live = sum(found.values()) / 1000
    data = sum(size for path, size in found.items() if path.endswith(".tnfd")) / 1000
    without = sum(page_bytes(browser, server, live=False).values()) / 1000
    print(f"reference_page_kb: {live:.0f}  (data files {data:.0f}; without the module, "
          f"videos and plots as before: {without:.0f}; a data file per figure instead of per "
          f"net: {live - data + per_figure_kb(site):.0f})", flush=True)
    media = site / "media" / POST
    data_kb = (media / f"{DATA_NET}.tnfd").stat().st_size / 1000
    webm_kb = (media / f"{DATA_NET}.webm").stat().st_size / 1000
    print(f"explorable_data_kb_per_net: {data_kb:.1f}  ({data_kb / webm_kb:.2f}× its WebM, "
          f"{webm_kb:.1f} KB)", flush=True)


if __name__ == "__main__":
    main()
