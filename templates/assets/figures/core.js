/* The explorable figures' core: find figures, fetch their data when they near the screen, hand
   them to their kind's module, keep the fallback when anything fails, keep each figure's state
   in the URL, follow the palette switch and the reader's motion preference.

   Markup (written by the page; the contract is in the lead's notes, figures-contract.md):
     <figure id="ID" data-tn-figure="KIND" data-tn-data="URL [URL …]" [data-tn-autoplay]>
       …fallback (<video>, <img>)…  <figcaption>…</figcaption>
     </figure>
   KIND names a module file, figures/kinds/KIND.js, loaded on first use: adding a kind is adding
   a file. Its default export is ``async create(context)`` returning a live
   figure: { node, drawn(), restore(state), retheme(theme), visible(bool), motionChanged(),
   destroy() }. The core puts the node in place of the fallback only once it was made without
   an error; the figcaption stays.

   Test hook: element.tnFigure = { status, ready (a promise settled once live or fallback),
   drawn() (the kind's report of what it drew), state() }; element.dataset.tnState is
   "waiting", "loading", "live" or "fallback".

   The fallback's own script (tinynets.js, which plays videos and drives compare groups) leaves
   a figure alone while this module may draw it (window.tinynetsFigures is set, the figure has a
   data-tn-state other than "fallback"); a figure that keeps its fallback says so with a
   "tinynets:fallback" event, which bubbles. Its lazy pictures (a loss plot's SVG) are held
   back until then: a live figure never downloads them. */

import { decode } from "./data.js";
import { themeFor } from "./theme.js";

const KIND = /^[a-z][a-z0-9_]*$/;
const modules = new Map();   // kind → promise of its module
const files = new Map();     // absolute URL → promise of its decoded data
const live = new Set();      // live figures: { element, figure }
const reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)")
                                  : { matches: false };
let scrolledFor = null;
let nearObserver = null, visibleObserver = null, themeObserver = null, observedBody = null;

function warn(element, message) {
  const name = element.id ? "#" + element.id : (element.dataset.tnFigure || "figure");
  console.warn("tinynets figures: " + name + ": " + message + "; showing the fallback");
}

/* --- Styles, modules, data ------------------------------------------------------------------ */

const stylesheets = new Map();

export function stylesheet(relative) {
  const href = new URL(relative, import.meta.url).href;
  if (!stylesheets.has(href)) {
    stylesheets.set(href, new Promise((resolve, reject) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = () => resolve();
      link.onerror = () => reject(new Error("cannot load " + href));
      document.head.appendChild(link);
    }));
  }
  return stylesheets.get(href);
}

function kindModule(kind) {
  if (!KIND.test(kind)) return Promise.reject(new Error("unknown figure kind " + JSON.stringify(kind)));
  if (!modules.has(kind)) {
    const promise = import(new URL("./kinds/" + kind + ".js", import.meta.url).href);
    promise.catch(() => modules.delete(kind));
    modules.set(kind, promise);
  }
  return modules.get(kind);
}

function dataFile(url) {
  const href = new URL(url, document.baseURI).href;
  if (!files.has(href)) {
    const promise = fetch(href, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        return response.arrayBuffer();
      })
      .then(decode)
      .catch((error) => { throw new Error(url + ": " + (error && error.message || error)); });
    promise.catch(() => files.delete(href));   // a later page may try again
    files.set(href, promise);
  }
  return files.get(href);
}

function styles() {
  return [stylesheet("../vendor/uplot/uPlot.min.css"), stylesheet("./figures.css")];
}

/* What drawing a page's figures needs besides their data starts loading as soon as the page has
   figures: their kinds' modules (with the panels they import), uPlot and the stylesheets, so a
   figure the reader reaches is drawn once its data is in. A failure here is met again, and
   reported, when the figure loads. */
function warmUp(elements) {
  if (!elements.length) return;
  for (const kind of new Set(elements.map((element) => element.dataset.tnFigure || ""))) {
    kindModule(kind).catch(() => {});
  }
  styles().forEach((promise) => promise.catch(() => {}));
  import("./plot.js").then((plot) => plot.loadUPlot()).catch(() => {});
}

/* --- State in the URL: #ID:key=value,key=value&ID2:key=value -------------------------------- */

export function parseHash(hash) {
  const states = new Map();
  for (const part of String(hash || "").replace(/^#/, "").split("&")) {
    const colon = part.indexOf(":");
    if (colon <= 0) continue;
    let id;
    try { id = decodeURIComponent(part.slice(0, colon)); } catch (error) { continue; }
    const state = {};
    for (const pair of part.slice(colon + 1).split(",")) {
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      try {
        state[decodeURIComponent(pair.slice(0, equals))] = decodeURIComponent(pair.slice(equals + 1));
      } catch (error) { /* a malformed pair is ignored */ }
    }
    states.set(id, state);
  }
  return states;
}

function formatHash(states) {
  const parts = [];
  for (const [id, state] of states) {
    const pairs = Object.keys(state).filter((key) => state[key] !== undefined && state[key] !== "")
      .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(state[key]));
    if (pairs.length) parts.push(encodeURIComponent(id) + ":" + pairs.join(","));
  }
  return parts.length ? "#" + parts.join("&") : "";
}

let pendingStates = null, hashTimer = 0;

function saveState(element, state) {
  if (!element.id) return;
  if (!pendingStates) pendingStates = parseHash(location.hash);
  pendingStates.set(element.id, state);
  clearTimeout(hashTimer);
  // Written after the reader stops moving: browsers throttle rapid history changes.
  hashTimer = setTimeout(() => {
    const hash = formatHash(pendingStates);
    pendingStates = null;
    if (hash !== location.hash) {
      history.replaceState(history.state, "", location.pathname + location.search + hash);
    }
  }, 250);
}

function onHashChange() {
  const states = parseHash(location.hash);
  for (const entry of live) {
    const state = entry.element.id && states.get(entry.element.id);
    if (state) entry.figure.restore(state);
  }
}

/* --- Theme and motion ------------------------------------------------------------------------ */

let themeChanges = 0;   // palette switches so far: a figure made meanwhile is recoloured

function retheme() {
  themeChanges++;
  for (const entry of live) {
    if (entry.element.isConnected) entry.figure.retheme(themeFor(entry.element));
  }
}

function watchTheme() {
  if (!document.body || observedBody === document.body) return;
  if (themeObserver) themeObserver.disconnect();
  themeObserver = new MutationObserver(retheme);
  themeObserver.observe(document.body, { attributes: true,
                                         attributeFilter: ["data-md-color-scheme", "data-md-color-primary"] });
  observedBody = document.body;
}

function motionChanged() {
  for (const entry of live) entry.figure.motionChanged();
}

/* --- Figures --------------------------------------------------------------------------------- */

const seen = new WeakSet();

function mark(element, status) {
  element.dataset.tnState = status;
  element.tnFigure.status = status;
}

/* The fallback's lazy pictures load only if the fallback is what the reader gets. */
function holdPictures(element) {
  for (const img of element.querySelectorAll("img[loading='lazy'][src]")) {
    if (img.closest("video")) continue;   // a video's GIF: loaded only where video is not
    img.dataset.tnSrc = img.getAttribute("src");
    img.removeAttribute("src");
  }
}

function fallBack(element) {
  for (const img of element.querySelectorAll("img[data-tn-src]")) {
    img.setAttribute("src", img.dataset.tnSrc);
    delete img.dataset.tnSrc;
  }
  element.dispatchEvent(new CustomEvent("tinynets:fallback", { bubbles: true }));
}

function prepare(element) {
  if (seen.has(element)) return;
  seen.add(element);
  holdPictures(element);
  let settle;
  const ready = new Promise((resolve) => { settle = resolve; });
  element.tnFigure = { status: "waiting", ready, drawn: () => null, state: () => null,
                       settle };
  mark(element, "waiting");
  if (nearObserver) nearObserver.observe(element);
  else load(element);
}

async function load(element) {
  if (element.tnFigure.status !== "waiting") return;
  mark(element, "loading");
  const kind = element.dataset.tnFigure || "";
  const urls = (element.dataset.tnData || "").split(/\s+/).filter(Boolean);
  let holder = null;
  try {
    if (!urls.length) throw new Error("no data-tn-data URL");
    const [module, decoded] = await Promise.all([kindModule(kind),
                                                 Promise.all(urls.map(dataFile)), ...styles()]);
    const nets = decoded.flatMap((file) => file.nets);
    holder = document.createElement("div");
    holder.className = "tn-live-holder";
    holder.hidden = true;
    element.insertBefore(holder, element.querySelector(":scope > figcaption"));
    const states = parseHash(location.hash);
    const themed = themeChanges;
    const figure = await module.default({
      element, nets, holder, kind,
      width: element.clientWidth || element.getBoundingClientRect().width || 600,
      theme: themeFor(element),
      state: (element.id && states.get(element.id)) || null,
      motion: reduced,
      autoplay: element.hasAttribute("data-tn-autoplay"),
      save: (state) => saveState(element, state),
    });
    // made without an error: the live figure takes the fallback's place
    for (const child of Array.from(element.children)) {
      if (child === holder || child.tagName === "FIGCAPTION") continue;
      child.querySelectorAll("video").forEach(stopVideo);
      if (child.tagName === "VIDEO") stopVideo(child);
      child.remove();
    }
    holder.appendChild(figure.node);
    holder.hidden = false;
    live.add({ element, figure });
    if (themeChanges !== themed) figure.retheme(themeFor(element));   // switched while it was made
    element.tnFigure.drawn = () => figure.drawn();
    element.tnFigure.state = () => figure.state();
    mark(element, "live");
    if (visibleObserver) visibleObserver.observe(element);
    else figure.visible(true);
  } catch (error) {
    if (holder) holder.remove();
    warn(element, error && error.message || String(error));
    mark(element, "fallback");
    fallBack(element);
  }
  element.tnFigure.settle(element.tnFigure.status);
}

function stopVideo(video) {
  video.pause();
  video.removeAttribute("src");
  video.load();
}

function forget() {
  for (const entry of Array.from(live)) {
    if (!entry.element.isConnected) {
      entry.figure.destroy();
      live.delete(entry);
    }
  }
}

export function scan(root) {
  forget();
  watchTheme();
  const states = parseHash(location.hash);
  const elements = Array.from((root || document).querySelectorAll("[data-tn-figure]"));
  warmUp(elements.filter((element) => !seen.has(element)));
  elements.forEach((element) => {
    prepare(element);
    if (scrolledFor !== location.href && element.id && states.has(element.id)) {
      // a link to a moment of this figure: no element has the hash as its id, so bring the
      // figure into view ourselves (once per page)
      element.scrollIntoView({ block: "center" });
      scrolledFor = location.href;
    }
  });
}

export function start() {
  window.tinynetsFigures = true;   // tinynets.js: figures with data-tn-figure are ours
  if ("IntersectionObserver" in window) {
    nearObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          nearObserver.unobserve(entry.target);
          load(entry.target);
        }
      }
    }, { rootMargin: "600px 0px" });
    visibleObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        for (const item of live) {
          if (item.element === entry.target) item.figure.visible(entry.isIntersecting);
        }
      }
    }, { threshold: 0.2 });
  }
  if (reduced.addEventListener) reduced.addEventListener("change", motionChanged);
  window.addEventListener("hashchange", onHashChange);
  const documents = window.document$;
  if (documents && typeof documents.subscribe === "function") {
    documents.subscribe(() => scan());   // Material's instant navigation: every page it shows
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => scan());
  else scan();
}
