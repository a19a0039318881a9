/* tinynets serve only: show the last build's error as a banner on every page.

   `python -m tinynets serve` writes tinynets-status.json next to the pages after every rebuild
   (MkDocs' live reload then reloads the page): {"ok": true} or {"ok": false, "error": "..."}.
   The published site never loads this script. */
(function () {
  "use strict";
  var script = document.currentScript;
  var statusUrl = new URL("../tinynets-status.json", script ? script.src : window.location.href);

  function show(message) {
    var banner = document.createElement("div");
    banner.className = "tn-build-error";
    banner.setAttribute("role", "alert");
    var title = document.createElement("strong");
    title.textContent = "The last build failed; this page shows the last good build.";
    var text = document.createElement("pre");
    text.textContent = message;   // author text and paths: never parsed as HTML
    banner.appendChild(title);
    banner.appendChild(text);
    banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:10;max-height:50vh;" +
      "overflow:auto;margin:0;padding:0.8em 1.2em;background:#7a1212;color:#fff;" +
      "font:0.8rem/1.5 monospace;box-shadow:0 -2px 8px rgba(0,0,0,.3)";
    text.style.cssText = "white-space:pre-wrap;margin:0.4em 0 0;color:#fff;background:none;" +
      "border:0;padding:0;font:inherit";
    document.body.appendChild(banner);
  }

  fetch(statusUrl, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : { ok: true }; })
    .then(function (status) { if (status && status.ok === false) show(String(status.error)); })
    .catch(function () {});
})();
