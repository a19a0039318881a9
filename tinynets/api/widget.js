/* The loader of a tinynets figure in a notebook (anywidget's front end). Python puts before this
   text BUNDLE = {files: {path: text}, modules: [path, …]}, the site's browser module as
   tinynets/api/bundle.py carries it, and DIGEST, a hash of it.

   Each file becomes a blob: URL in this page, a module once the modules it imports have theirs
   ("tinynets-module:PATH" in its text is replaced by that URL). The figure is the site's: a
   <figure data-tn-figure="KIND" data-tn-data="URL …"> handed to figures/core.js, its data
   files the bytes the widget's model carries, as blob: URLs too. Nothing is fetched from any
   host. One registry per page and bundle, so every widget of a notebook shares the modules. */

const KEY = "tinynets.figures." + DIGEST;
const TYPES = { js: "text/javascript", css: "text/css" };

function blobURL(text, type) {
  return URL.createObjectURL(new Blob([text], { type: TYPES[type] }));
}

function resolve(base, relative) {
  const parts = base.split("/");
  parts.pop();
  for (const part of relative.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

function makeRegistry() {
  const urls = new Map();
  const modules = new Set(BUNDLE.modules);
  const registry = {
    url(path) {
      if (urls.has(path)) return urls.get(path);
      if (!Object.prototype.hasOwnProperty.call(BUNDLE.files, path)) {
        throw new Error(path + " is not part of this notebook figure");
      }
      let text = BUNDLE.files[path];
      if (modules.has(path)) {
        text = text.replace(/"tinynets-module:([^"]+)"/g, (match, target) =>
          JSON.stringify(target === "registry" ? registry.own : registry.url(target)));
      }
      const url = blobURL(text, path.endsWith(".css") ? "css" : "js");
      urls.set(path, url);
      return url;
    },
    asset(base, relative) {
      return registry.url(resolve(base, relative));
    },
  };
  // The modules ask this one where a file beside them is (a kind, a stylesheet, uPlot).
  registry.own = blobURL("const registry = globalThis[Symbol.for(" + JSON.stringify(KEY) + ")];\n" +
                         "export function asset(base, relative) { return registry.asset(base, relative); }\n",
                         "js");
  return registry;
}

function registry() {
  const symbol = Symbol.for(KEY);
  if (!globalThis[symbol]) globalThis[symbol] = makeRegistry();
  return globalThis[symbol];
}

function bytesOf(value) {
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;   // a typed array
}

async function render({ model, el }) {
  const core = await import(registry().url("figures/core.js"));
  const urls = (model.get("files") || []).map((file) =>
    URL.createObjectURL(new Blob([bytesOf(file)], { type: "application/octet-stream" })));
  const holder = document.createElement("div");
  holder.className = "tn-notebook";
  const figure = document.createElement("figure");
  figure.className = "tn-figure";
  figure.dataset.tnFigure = model.get("kind");
  figure.dataset.tnData = urls.join(" ");
  if (model.get("autoplay")) figure.setAttribute("data-tn-autoplay", "");
  const fallback = document.createElement("p");
  fallback.className = "tn-notebook-fallback";
  fallback.textContent = "This figure is drawn by the tinynets browser module; it could not be " +
                         "drawn here (the browser console says why).";
  const caption = document.createElement("figcaption");
  caption.textContent = model.get("caption") || "";
  figure.append(fallback, caption);
  holder.appendChild(figure);
  el.appendChild(holder);
  core.scan(el);
  return () => {
    holder.remove();
    urls.forEach((url) => URL.revokeObjectURL(url));
  };
}

export default { render };
