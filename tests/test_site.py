"""The built fixture site, read as files (no browser): links, media, markup, privacy, media files.

Every check walks every built page, so a page added to the fixture is checked too.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from browser_support import (LOADING, LOADING_LINK_RELS, Document, css_loads, html_pages, page_url,
                             resolve)
from support import REPO, copy_built, run_build

# Hosts that must never appear anywhere in the built site.
TRACKERS = ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com/", "cdn.jsdelivr.net",
            "cdnjs.cloudflare.com", "google-analytics.com", "googletagmanager.com")
# Absolute URLs inside Material's minified JavaScript, and why none of them loads on this site.
VENDOR_URLS = {
    "http://www.w3.org/2000/svg": "an XML namespace, not a request",
    "http://lunrjs.com": "a licence comment",
    "http://tartarus.org/~martin/PorterStemmer/js.txt": "a licence comment",
    "https://bit.ly/2s3ChXG": "a code comment",
    "https://clipboardjs.com/": "a licence comment",
    "https://fontawesome.com": "a licence comment",
    "https://fontawesome.com/license/free": "a licence comment",
    "https://unpkg.com/resize-observer-polyfill":
        "loaded only by browsers without ResizeObserver (none current); the browser test "
        "proves no request leaves 127.0.0.1",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js":
        "loaded only on pages with a mermaid diagram: test_no_mermaid_and_no_repo_url",
    "https://api.github.com/repos/${e}/${t}": "only with repo_url: test_no_mermaid_and_no_repo_url",
    "https://api.github.com/users/${e}": "only with repo_url: test_no_mermaid_and_no_repo_url",
    "https://${e}/api/v4/projects/${encodeURIComponent(t": "only with a GitLab repo_url",
}


@pytest.fixture(scope="module")
def site(built_project) -> Path:
    return built_project / "build" / "site"


@pytest.fixture(scope="module")
def documents(site) -> dict[str, Document]:
    """Every built page, parsed, by the URL path it is served at."""
    parsed = {page_url(site, file): Document(file.read_text(encoding="utf-8"))
              for file in html_pages(site)}
    assert {"/", "/tiny/", "/about/"} <= set(parsed)
    return parsed


@pytest.fixture(scope="module")
def runs(built_project) -> dict[str, dict]:
    """The tiny post's recordings' metadata (build/cache/runs/<fingerprint>/meta.json) by net
    name, on the seeds its page shows (its runs trained its replication seeds too); the other
    fixture posts' runs are checked by their own tests (test_plane_site, …)."""
    from tinynets.engine.seed_columns import select_meta
    from tinynets.engine.store import run_key
    from tinynets.posts.load import load_posts

    tiny = next(post for post in load_posts(built_project / "content") if post.slug == "tiny")
    fingerprints = {run_key(tiny.data, net, tiny.run_seeds, tiny.frames).fingerprint
                    for net in tiny.nets}
    metas = [select_meta(json.loads((built_project / "build" / "cache" / "runs" / fingerprint /
                                     "meta.json").read_text(encoding="utf-8")), tiny.seeds)
             for fingerprint in fingerprints]
    by_name = {meta["net"]: meta for meta in metas}
    assert len(by_name) == len(metas) == 2, "the fixture's net names should be unique"
    return by_name


def _spec(meta: dict) -> dict:
    spec = meta["spec"]
    return spec if isinstance(spec, dict) else json.loads(spec)


# --- The MkDocs build ----------------------------------------------------------------------------

def test_strict_build_prints_no_warning(built_project, tmp_path):
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["strict"] is True
    root = copy_built(built_project, tmp_path / "again")
    result = run_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "mkdocs" in result.stdout  # the MkDocs stage ran and its log is in the output
    noisy = [line for line in output.splitlines()
             if re.search(r"\b(WARNING|ERROR)\b|not found among documentation files|"
                          r"contains a link|unrecognized relative link", line)]
    assert noisy == []


# --- Links and media -----------------------------------------------------------------------------

def _references(document: Document):
    """(tag, attribute, value) for every URL a page refers to: links and loaded resources."""
    for element in document.elements:
        names = LOADING.get(element.tag, ()) + (("href",) if element.tag in ("a", "link") else ())
        for name in names:
            value = element.attrs.get(name, "").strip()
            if not value:
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    yield element.tag, name, candidate.strip().split(" ")[0]
            else:
                yield element.tag, name, value


def test_no_broken_internal_link_or_missing_media(site, documents):
    broken, checked, media = [], 0, 0
    ids = {path: document.ids() for path, document in documents.items()}
    for path, document in documents.items():
        for tag, name, value in _references(document):
            target = resolve(site, path, value)
            if target is None:
                continue
            file, fragment = target
            checked += 1
            media += file.suffix in (".webm", ".gif", ".png", ".svg")
            if not file.is_file():
                broken.append(f"{path}: <{tag} {name}={value!r}>: no {file.relative_to(site)}")
            elif fragment and file.suffix == ".html":
                page = page_url(site, file)
                if page in ids and fragment not in ids[page]:
                    broken.append(f"{path}: <{tag} {name}={value!r}>: no #{fragment} there")
    assert broken == []
    assert checked > 50 and media >= 12  # the post's videos, posters, GIFs and plots were seen


def test_stylesheet_urls_resolve(site):
    broken, seen = [], 0
    for sheet in site.rglob("*.css"):
        for value in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", sheet.read_text("utf-8")):
            if value.startswith(("data:", "#")) or urlsplit(value).scheme:
                continue
            seen += 1
            if not (sheet.parent / urlsplit(value).path).resolve().is_file():
                broken.append(f"{sheet.relative_to(site)}: url({value})")
    assert broken == []


def test_every_image_has_alt_text_and_every_video_a_label(documents):
    missing, images = [], 0
    for path, document in documents.items():
        for image in document.find("img"):
            images += 1
            if not image.attrs.get("alt", "").strip():
                missing.append(f"{path}: <img src={image.attrs.get('src')!r}> has no alt text")
        for video in document.find("video"):
            if not video.attrs.get("aria-label", "").strip():
                missing.append(f"{path}: <video src={video.attrs.get('src')!r}> has no label")
    assert missing == []
    assert images >= 5


def test_every_video_has_poster_fallback_and_download(site, documents):
    videos = keras_links = 0
    for path, document in documents.items():
        for video in document.find("video"):
            videos += 1
            where = f"{path}: {video.attrs.get('src')}"
            attributes = video.attrs
            assert attributes.get("src", "").endswith(".webm"), where
            assert {"muted", "loop", "playsinline"} <= set(attributes), where
            assert "autoplay" not in attributes, f"{where}: the script decides, not the markup"
            poster = resolve(site, path, attributes.get("poster", ""))
            assert poster and poster[0].suffix == ".png" and poster[0].is_file(), where
            if "data-tn-autoplay" in attributes:
                assert "controls" in attributes, where
            fallbacks = [e for e in document.descendants(video) if e.tag == "img"]
            assert len(fallbacks) == 1, where
            gif = fallbacks[0].attrs
            assert gif.get("src", "").endswith(".gif") and gif.get("loading") == "lazy", where
            assert gif.get("alt") == attributes.get("aria-label"), where
            figure = document.enclosing(video, "figure")
            assert figure is not None, f"{where}: not inside a <figure>"
            inside = document.descendants(figure)
            assert any(e.tag == "figcaption" for e in inside), where
            downloads = [e.attrs.get("href") for e in inside
                         if e.tag == "a" and "download" in e.attrs]
            assert downloads[:1] == [gif["src"]], where
            # a net's own figure also offers the trained net (tests/test_api_models.py loads it)
            models = downloads[1:]
            assert len(models) <= 1 and all(href.endswith(".keras")
                                            and resolve(site, path, href)[0].is_file()
                                            for href in models), where
            keras_links += len(models)
    assert videos >= 4 and keras_links >= 2


def test_compare_group_markup(documents, runs):
    # The tiny post's group (the plane and sweep posts' players are driven in the browser tests).
    groups = [(path, document, element) for path, document in documents.items()
              for element in document.elements if "data-tn-compare" in element.attrs]
    assert "/tiny/" in [path for path, _, _ in groups]
    groups = [group for group in groups if group[0] == "/tiny/"]
    assert len(groups) == 1
    for path, document, group in groups:
        inside = document.descendants(group)
        buttons = [e for e in inside if e.tag == "button" and "tn-play" in e.attrs.get("class", "")]
        sliders = [e for e in inside if e.tag == "input" and e.attrs.get("type") == "range"]
        outputs = [e for e in inside if e.tag == "output"]
        videos = [e for e in inside if e.tag == "video"]
        assert len(buttons) == len(sliders) == len(outputs) == 1 and len(videos) == 2
        timeline = set()
        for video in videos:
            name = Path(video.attrs["src"]).stem
            frames = [int(value) for value in video.attrs["data-tn-frames"].split(",")]
            assert frames == _spec(runs[name])["frames"], name
            assert frames[0] == 0 and frames == sorted(set(frames))
            assert float(video.attrs["data-tn-fps"]) > 0  # checked against the file below
            timeline.update(frames)
        last = max(timeline)
        # the slider steps over the recorded frames of all nets, and starts on the last one
        slider = sliders[0].attrs
        frames = str(len(timeline) - 1)
        assert (slider["min"], slider["max"], slider["value"]) == ("0", frames, frames)
        assert slider["aria-valuetext"] == f"epoch {last:,} of {last:,}"
        assert slider.get("aria-label")
        assert outputs[0].text.strip() == f"epoch {last:,} of {last:,}"
        assert buttons[0].text.strip() == "Play"


def test_nothing_loads_from_another_host(site, documents):
    outside = []
    for path, document in documents.items():
        for element in document.elements:
            rels = set(element.attrs.get("rel", "").lower().split())
            if element.tag == "link" and not rels & LOADING_LINK_RELS:
                continue
            names = LOADING.get(element.tag, ()) + (("href",) if element.tag == "link" else ())
            for name in names:
                value = element.attrs.get(name, "").strip()
                if value and (urlsplit(value).netloc or value.startswith("//")):
                    outside.append(f"{path}: <{element.tag} {name}={value!r}>")
            if element.tag == "script" and "src" not in element.attrs:
                outside += [f"{path}: inline script: {url}"
                            for url in re.findall(r"(?:https?:)?//[\w.-]+\.\w+", element.text)]
        for style in document.styles:
            outside += [f"{path}: style: {url}" for url in css_loads(style)]
    for sheet in site.rglob("*.css"):
        outside += [f"{sheet.relative_to(site)}: {url}" for url in css_loads(sheet.read_text())]
    for script in (site / "assets").glob("*.js"):  # ours: no absolute URL at all
        outside += [f"{script.name}: {url}"
                    for url in re.findall(r"\w+://[^\s'\"]+", script.read_text("utf-8"))]
    for script in _vendor_scripts(site, documents):  # Material's, minified
        for url in re.findall(r"https?://[^\s\"'`)]+", script.read_text("utf-8")):
            if url.rstrip(".,;") not in VENDOR_URLS:
                outside.append(f"{script.relative_to(site)}: {url} (new in Material? look at it "
                               "and, if it cannot load here, add it to VENDOR_URLS with why)")
    assert outside == []
    assert (site / "assets" / "tinynets.js").is_file()


def _vendor_scripts(site: Path, documents) -> list[Path]:
    """Material's scripts that run here: those pages load, and the search worker. (The lunr
    language files beside them load only for languages other than English.)"""
    loaded = {resolve(site, path, script.attrs["src"])[0]
              for path, document in documents.items() for script in document.find("script")
              if script.attrs.get("src") and resolve(site, path, script.attrs["src"])}
    scripts = sorted(file for file in loaded if "javascripts" in file.parts)
    scripts += sorted((site / "assets" / "javascripts" / "workers").glob("*.js"))
    assert len(scripts) >= 2, scripts
    return scripts


def test_no_tracker_host_anywhere(site):
    found = []
    for file in site.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".css", ".js", ".json", ".xml", ".svg"):
            text = file.read_text("utf-8", errors="replace")
            found += [f"{file.relative_to(site)}: {host}" for host in TRACKERS
                      if host in text and not _vendor_only(file, text, host)]
    assert found == []


def _vendor_only(file: Path, text: str, host: str) -> bool:
    """unpkg.com appears in Material's bundle only in the URLs VENDOR_URLS explains."""
    if "javascripts" not in file.parts or host != "unpkg.com/":
        return False
    urls = re.findall(r"https?://unpkg\.com/[^\s\"'`)]+", text)
    return text.count(host) == len(urls) and all(url in VENDOR_URLS for url in urls)


def test_no_mermaid_and_no_repo_url(documents):
    """The conditions under which Material's bundle would reach unpkg.com or api.github.com."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "repo_url" not in config
    assert config["theme"].get("font") is False  # no Google Fonts
    for path, document in documents.items():
        assert not [e for e in document.elements if "mermaid" in e.attrs.get("class", "")], path


# --- Alt text from the measured numbers ---------------------------------------------------------

def _median_seed(seeds: list[int], finals: list[float]) -> int:
    """The seed whose final error is the median (the lower middle of an even count)."""
    ranked = sorted(zip((math.inf if v is None else v for v in finals), seeds))
    return ranked[(len(ranked) - 1) // 2][1]


def _number(text: str, after: str) -> float:
    match = re.search(re.escape(after) + r"\s*([0-9][0-9,]*\.?[0-9]*(?:e-?\d+)?)", text)
    assert match, f"no number after {after!r} in {text!r}"
    return float(match.group(1).replace(",", ""))


def test_figure_alt_text_states_the_measured_numbers(documents, runs):
    post = documents["/tiny/"]
    described = set()
    for video in post.find("video"):
        name = Path(video.attrs["src"]).stem
        if name not in runs:
            continue  # the comparison animation: checked for a label above
        meta, spec = runs[name], _spec(runs[name])
        alt = video.attrs["aria-label"]
        seed = _median_seed(meta["seeds"], meta["final_losses"])
        final = meta["final_losses"][meta["seeds"].index(seed)]
        assert f"seed {seed}," in alt and f"the median of {len(meta['seeds'])} seeds" in alt
        assert _number(alt, "over") == spec["net"]["epochs"]
        assert _number(alt, "ends with training error") == pytest.approx(final, rel=5e-3)
        assert _number(alt, "noise floor of") == pytest.approx(spec["data"]["noise"] ** 2,
                                                               rel=5e-3)
        described.add(name)
    assert described == set(runs)
    plot = next(e for e in post.find("img") if e.attrs.get("src", "").endswith("wide-loss.svg"))
    finals = sorted(runs["wide"]["final_losses"])
    median = (finals[0] + finals[-1]) / 2 if len(finals) == 2 else finals[len(finals) // 2]
    assert _number(plot.attrs["alt"], "the median ends at") == pytest.approx(median, rel=5e-3)
    assert _number(plot.attrs["alt"], "(range") == pytest.approx(finals[0], rel=5e-3)
    assert _number(plot.attrs["alt"], "–") == pytest.approx(finals[-1], rel=5e-3)


# --- Media files, decoded with the shipped ffmpeg -----------------------------------------------

HOLD_SECONDS = 1.5  # the final frame stays this long before the animation loops


def _decode(path: Path) -> dict:
    """Decode every frame with the ffmpeg that imageio-ffmpeg ships: codec, size, frame times."""
    import imageio_ffmpeg

    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-xerror",
         "-err_detect", "explode", "-i", str(path), "-map", "0:v:0", "-vf", "showinfo",
         "-fps_mode", "passthrough", "-f", "null", "-"], capture_output=True, text=True,
        timeout=120)
    log = result.stderr.replace("\r", "\n")
    assert result.returncode == 0, f"{path.name} does not decode: {log[-1500:]}"
    stream = re.search(r"Stream #0:0[^\n]*Video: (\w+)[^\n]*?, (\d+)x(\d+)", log)
    frames = re.findall(r"pts_time:\s*(-?[\d.]+)\s+duration:\s*\d+\s+"
                        r"duration_time:\s*([\d.]+)", log)
    assert stream and frames, log[-1500:]
    starts = [float(start) for start, _ in frames]
    return {"codec": stream[1], "size": (int(stream[2]), int(stream[3])), "starts": starts,
            "frames": len(frames), "duration": starts[-1] + float(frames[-1][1])}


def _page_rates(documents) -> dict[str, float]:
    """The frame rate the page's script assumes per net (data-tn-fps), by net name."""
    return {Path(video.attrs["src"]).stem: float(video.attrs["data-tn-fps"])
            for document in documents.values() for video in document.find("video")
            if "data-tn-fps" in video.attrs}


def test_every_animation_decodes_with_the_expected_frames_and_duration(site, runs, documents):
    from tinynets.media.encode import gif_fps
    from tinynets.media.catalog import STYLE
    from tinynets.media.layout import comparison_size

    rates = _page_rates(documents)
    animations = sorted(site.glob("media/tiny/*.webm")) + sorted(site.glob("media/tiny/*.gif"))
    # two nets, the comparison, the wide net's units figure and the deep net's network diagram,
    # each as WebM and GIF
    assert len(animations) == 10
    for path in animations:
        if path.stem == "compare":  # one shared timeline: every epoch any net has a frame at
            frames = len(set().union(*(_spec(meta)["frames"] for meta in runs.values())))
            fps = gif_fps(frames, STYLE["seconds"])
        else:  # the rate the page's slider assumes must be the rate of the file
            net = path.stem.split("-")[0]  # "wide-units" has the frames of "wide"
            frames = len(_spec(runs[net])["frames"])
            fps = rates[net]
        decoded = _decode(path)
        where = f"{path.relative_to(site)}: {frames} frames at {fps:.3f} fps expected, got " \
                f"{decoded['frames']} frames, {decoded['duration']:.2f} s, starts " \
                f"{[round(t, 2) for t in decoded['starts']]}"
        assert decoded["codec"] == ("vp9" if path.suffix == ".webm" else "gif"), where
        size = (comparison_size(len(runs), STYLE["width"], STYLE["height"])
                if path.stem == "compare" else (STYLE["width"], STYLE["height"]))
        assert decoded["size"] == size, where
        # frame i shows from i / fps: what the compare slider's seeking relies on
        for index, start in enumerate(decoded["starts"][:frames]):
            assert start == pytest.approx(index / fps, abs=0.011), where
        # then the final frame is held: repeated (WebM, and GIF if it likes) or one long delay
        hold = HOLD_SECONDS * fps
        extra = decoded["frames"] - frames
        allowed = range(math.floor(hold), math.ceil(hold) + 1)
        assert extra in allowed or (path.suffix == ".gif" and extra == 0), where
        assert decoded["duration"] == pytest.approx(frames / fps + HOLD_SECONDS,
                                                    abs=0.5 / fps + 0.02), where
        assert 5.0 <= decoded["duration"] <= 10.0, f"{where}: an animation lasts about 8 s"
        if path.suffix == ".gif":  # loops forever: NETSCAPE2.0 application block, count 0
            assert b"NETSCAPE2.0\x03\x01\x00\x00" in path.read_bytes(), where


def test_every_poster_and_plot_image_is_valid(site):
    from PIL import Image

    pictures = sorted(site.glob("media/tiny/*.png"))
    # two posters, two loss plots, the comparison poster and plot; the units and network
    # posters and the errors plot; the social card
    assert len(pictures) == 10
    for path in pictures:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.width >= 400 and image.height >= 200, path
    for path in sorted(site.glob("media/*/*.svg")):
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in text, path
        assert not re.search(r"(?:href|src)=\"https?://", text), path
