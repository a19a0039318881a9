/* tinynets: play animations when they scroll into view unless the reader prefers reduced motion,
   give every animation a small play/pause button of our own (the browser's control bar would
   cover the bottom of the figure), drive comparison groups: one play button and one slider
   over the recorded frames for several videos, kept on the same epoch, and say under a results
   table that is wider than the screen that it scrolls sideways. No framework, no third-party
   request.

   A figure with data-tn-figure is drawn live by tinynets-figures.js when it can be: its
   videos are then left alone (they load nothing: preload="none") until the module gives up on
   it ("tinynets:fallback", see figures/core.js), or from the start when the module is not
   running (a browser without ES modules, a blocked script). Only then do they load and play
   as before. */
(function () {
  "use strict";
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)")
                                  : { matches: false };
  var format = function (n) { return Number(n).toLocaleString("en"); };

  function play(video) {
    var promise = video.play();
    if (promise && promise.catch) promise.catch(function () {});
  }

  function pauseQuietly(video) {
    if (video.paused) return;
    video.tnOwnPause = true;   // our pause, not the reader's
    video.pause();
  }

  /* --- Seeking on any host --------------------------------------------------------------------
     Browsers seek in a video through HTTP Range requests. A server that ignores them (mkdocs
     serve, python -m http.server) makes the video unseekable: setting currentTime does nothing.
     The videos are small, so such a video is then fetched whole into memory and played from a
     blob: URL, which always seeks. The poster stays on screen while that happens. */

  function whenMetadata(video) {
    return new Promise(function (resolve) {
      if (video.readyState >= 1 || video.error) { resolve(); return; }
      function done() {
        video.removeEventListener("loadedmetadata", done);
        video.removeEventListener("error", done);
        resolve();
      }
      video.addEventListener("loadedmetadata", done);
      video.addEventListener("error", done);
    });
  }

  function isSeekable(video) {
    var ranges = video.seekable;
    if (!ranges || !ranges.length || !isFinite(video.duration)) return false;
    return ranges.start(0) <= 0.001 && ranges.end(ranges.length - 1) >= video.duration - 0.001;
  }

  function makeSeekable(video) {
    if (!video.tnSeekable) {
      video.tnSeekable = whenMetadata(video).then(function () {
        if (video.error || isSeekable(video) || !window.fetch || !window.URL) return;
        return fetch(video.currentSrc || video.src, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.blob();
          })
          .then(function (blob) {
            var loaded = new Promise(function (resolve) {
              video.addEventListener("loadedmetadata", resolve, { once: true });
              video.addEventListener("error", resolve, { once: true });
            });
            video.src = URL.createObjectURL(blob);   // the poster shows until a frame is asked for
            video.dataset.tnInMemory = "true";
            return loaded;
          });
      }).catch(function () {});   // keep the video as it is: it still plays from the start
    }
    return video.tnSeekable;
  }

  /* --- Our own play/pause button for single animations ------------------------------------ */

  function addToggle(video) {
    var figure = video.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    if (!caption) return;
    var name = caption.querySelector("strong");
    var what = name ? "the " + name.textContent + " animation" : "the animation";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "tn-button tn-toggle";
    function update() {
      var verb = video.paused ? "Play" : "Pause";
      button.textContent = verb;
      button.setAttribute("aria-label", verb + " " + what);
    }
    button.addEventListener("click", function () {
      if (video.paused) play(video); else video.pause();
    });
    video.addEventListener("play", update);
    video.addEventListener("pause", update);
    update();
    caption.insertBefore(button, caption.firstChild);
    caption.insertBefore(document.createTextNode(" "), button.nextSibling);
    video.controls = false;   // without this script, readers keep the browser's controls
  }

  /* --- Which videos are ours: not those of a figure the figures module is drawing ---------- */

  function awaitsLive(element) {
    var figure = element.closest("[data-tn-figure]");
    if (!figure) return false;
    var state = figure.dataset.tnState;
    return (!!window.tinynetsFigures || !!state) && state !== "fallback";
  }

  function loadVideos(root) {
    // a live figure's fallback videos were written with preload="none"
    root.querySelectorAll("video").forEach(function (video) {
      if (video.preload === "none") video.preload = "metadata";
    });
  }

  /* --- Autoplay: data-tn-autoplay videos loop while visible; a reader's pause is respected. --- */

  var autoplayed = [];

  function mayAutoplay(video) {
    return !reduced.matches && !video.tnReaderPaused && video.tnVisible;
  }

  function setupAutoplay(video) {
    if (video.tnSetUp) return;
    video.tnSetUp = true;
    autoplayed.push(video);
    video.tnVisible = !("IntersectionObserver" in window);
    video.addEventListener("pause", function () {
      if (video.tnOwnPause) video.tnOwnPause = false;
      else video.tnReaderPaused = true;
    });
    video.addEventListener("play", function () { video.tnReaderPaused = false; });
    addToggle(video);
    if (mayAutoplay(video)) play(video);
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var video = entry.target;
      video.tnVisible = entry.isIntersecting;
      if (mayAutoplay(video)) play(video);
      else if (!entry.isIntersecting) pauseQuietly(video);
    });
  }, { threshold: 0.2 }) : null;

  function motionChanged() {
    autoplayed.forEach(function (video) {
      if (reduced.matches) {
        if (!video.paused || video.currentTime > 0) {
          pauseQuietly(video);
          video.load();   // back to the poster: the final frame, standing still
        }
      } else if (mayAutoplay(video)) {
        play(video);
      }
    });
  }

  /* --- Comparison groups ----------------------------------------------------------------------
     The slider's value is an index into the group's timeline: every epoch at which any of its
     nets recorded a frame, in order. One keyboard step is one recorded frame, so the label can
     only ever name an epoch that the videos show. Each video shows its last frame at or before
     that epoch; a net recorded on a different schedule says which epoch it shows. */

  function frameAt(frames, epoch) {
    // index of the last frame whose epoch is <= epoch
    var low = 0, high = frames.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (frames[middle] <= epoch) low = middle; else high = middle - 1;
    }
    return low;
  }

  function setupCompare(group) {
    if (group.tnSetUp) return;
    group.tnSetUp = true;
    var videos = Array.prototype.slice.call(group.querySelectorAll("video[data-tn-frames]"));
    var slider = group.querySelector(".tn-slider");
    var output = group.querySelector(".tn-epoch");
    var button = group.querySelector(".tn-play");
    if (!videos.length || !slider || !output || !button) return;
    var tracks = videos.map(function (video) {
      var frames = video.dataset.tnFrames.split(",").map(Number);
      return { video: video, frames: frames, fps: Number(video.dataset.tnFps) };
    });
    var timeline = [];
    tracks.forEach(function (track) { timeline = timeline.concat(track.frames); });
    timeline = timeline.sort(function (a, b) { return a - b; })
                       .filter(function (epoch, index, all) { return epoch !== all[index - 1]; });
    var lastIndex = timeline.length - 1, lastEpoch = timeline[lastIndex];
    var lead = tracks[0];
    tracks.forEach(function (track) {
      // followers recorded on the lead's schedule play along; others are moved frame by frame
      track.sameAsLead = track.fps === lead.fps && track.frames.join() === lead.frames.join();
      // a net that did not record every epoch of the timeline says which one it shows
      var caption = track.video.closest("figure").querySelector("figcaption");
      if (caption && track.frames.join() !== timeline.join()) {
        track.note = document.createElement("span");
        track.note.className = "tn-shown";
        caption.appendChild(track.note);
      }
    });
    var playing = false, ticking = false, index = lastIndex, pending = null;

    function timeOf(track, epoch) {
      // the middle of the frame that shows ``epoch``, so rounding never shows its neighbour
      return (frameAt(track.frames, epoch) + 0.5) / track.fps;
    }
    function frameOf(track, time) {
      return Math.min(Math.max(Math.floor(time * track.fps), 0), track.frames.length - 1);
    }
    function show(position) {
      index = position;
      var epoch = timeline[position];
      var text = "epoch " + format(epoch) + " of " + format(lastEpoch);
      slider.value = String(position);
      slider.setAttribute("aria-valuetext", text);
      output.textContent = text;
      group.dataset.tnEpoch = String(epoch);
      tracks.forEach(function (track) {
        if (!track.note) return;
        var own = track.frames[frameAt(track.frames, epoch)];
        track.note.textContent = own === epoch ? "" : " (shows epoch " + format(own) + ")";
      });
    }
    function allSeekable() {
      return Promise.all(videos.map(makeSeekable));
    }
    function seek(position) {
      show(position);
      pending = position;
      allSeekable().then(function () {
        if (pending !== position || playing) return;   // a later move or Play won
        pending = null;
        var epoch = timeline[position];
        tracks.forEach(function (track) { track.video.currentTime = timeOf(track, epoch); });
      });
    }

    function hold(track, state) {
      // pause a video that runs ahead until the others catch up (cheaper than seeking back)
      if (state === !!track.held) return;
      track.held = state;
      if (state) track.video.pause(); else play(track.video);
    }
    function tick() {
      if (!playing) { ticking = false; return; }
      var leadTime = lead.video.currentTime;
      var epoch = lead.frames[frameOf(lead, leadTime)];
      var position = frameAt(timeline, epoch);
      if (position !== index) show(position);
      // Videos recorded on the lead's schedule: measure how far each is ahead of the slowest,
      // in frames, across the loop's seam, and hold back any that is more than half a frame
      // ahead. A video far behind (a stall) is moved to the lead instead of holding all.
      var duration = lead.video.duration, frame = 1 / lead.fps;
      var playingAlong = tracks.filter(function (track) { return track.sameAsLead; });
      var offsets = playingAlong.map(function (track) {
        var offset = track.video.currentTime - leadTime;
        if (isFinite(duration) && duration > 0) {
          offset = ((offset % duration) + 1.5 * duration) % duration - 0.5 * duration;
        }
        return offset;
      });
      var far = 4 * frame;
      playingAlong.forEach(function (track, position) {
        if (offsets[position] < -far && !track.video.seeking) {
          track.video.currentTime = leadTime;
          offsets[position] = 0;
        }
      });
      var slowest = Math.min.apply(null, offsets);
      playingAlong.forEach(function (track, position) {
        hold(track, offsets[position] - slowest > 0.5 * frame);
      });
      // other schedules: show this epoch's frame, one seek at a time
      tracks.forEach(function (track) {
        if (track.sameAsLead || track.video.seeking) return;
        var target = timeOf(track, epoch);
        if (Math.abs(track.video.currentTime - target) > 0.25 / track.fps) {
          track.video.currentTime = target;
        }
      });
      window.requestAnimationFrame(tick);
    }
    function setPlaying(state) {
      playing = state;
      button.textContent = state ? "Pause" : "Play";
      button.setAttribute("aria-label", (state ? "Pause" : "Play") + " every animation above");
      group.classList.toggle("tn-playing", state);
      output.setAttribute("aria-live", state ? "off" : "polite");   // no chatter while playing
      tracks.forEach(function (track) {
        track.held = false;
        if (state && track.sameAsLead) play(track.video); else track.video.pause();
      });
      if (state && !ticking) { ticking = true; window.requestAnimationFrame(tick); }
      if (!state) seek(index);   // line every video up on the frame the label names
    }
    function start() {
      pending = null;
      allSeekable().then(function () {
        if (!playing) return;
        if (index >= lastIndex) index = 0;   // at the end: start over
        var epoch = timeline[index];
        tracks.forEach(function (track) { track.video.currentTime = timeOf(track, epoch); });
        show(index);
        setPlaying(true);
      });
    }

    slider.addEventListener("input", function () {
      if (playing) setPlaying(false);
      seek(Number(slider.value));
    });
    slider.addEventListener("keydown", function (event) {
      // Page keys move a tenth of the recorded frames: with geometric spacing, a fixed ratio
      // of epochs; the browsers' own page step would depend on the slider's width.
      var page = Math.max(1, Math.round(timeline.length / 10)), target = null;
      if (event.key === "PageUp") target = Math.min(index + page, lastIndex);
      else if (event.key === "PageDown") target = Math.max(index - page, 0);
      if (target === null) return;
      event.preventDefault();
      if (playing) setPlaying(false);
      seek(target);
    });
    button.addEventListener("click", function () {
      if (playing) { setPlaying(false); return; }
      playing = true;   // Pause pressed before the videos were ready cancels this
      button.textContent = "Pause";
      start();
    });
    slider.min = "0";
    slider.max = String(lastIndex);
    slider.step = "1";
    // the posters show the final frame: start there, at the end of training
    show(lastIndex);
    button.setAttribute("aria-label", "Play every animation above");
    if (observer) {
      // fetch unseekable videos once the group comes near the screen, before the reader acts
      var near = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          near.disconnect();
          allSeekable();
        }
      }, { rootMargin: "200px" });
      near.observe(group);
    }
    group.dataset.tnReady = "true";
  }

  /* --- Tables wider than the screen ----------------------------------------------------------
     A results table has more columns than a phone is wide: it scrolls sideways, in the theme's
     wrapper (which the theme's script adds, perhaps after this runs) or by itself. tinynets.css
     shades the edges with more columns beyond them; a line under it says so in words while it
     overflows, and goes when it fits. */

  function setupWideTable(table) {
    if (table.tnHint) return;   // (instant navigation shows a page again)
    var hint = table.tnHint = document.createElement("p");
    hint.className = "tn-scroll-hint";
    hint.textContent = "Scroll the table sideways for every column \u2192";
    hint.hidden = true;
    function update() {
      var scroller = table.closest(".md-typeset__scrollwrap") || table;
      if (hint.previousElementSibling !== scroller) scroller.after(hint);
      hint.hidden = scroller.scrollWidth <= scroller.clientWidth + 1;
    }
    update();
    window.addEventListener("resize", update);
    window.addEventListener("load", update);
    if (window.ResizeObserver) new ResizeObserver(update).observe(table.parentElement);
  }

  function setup(root) {
    if (root === document) document.querySelectorAll("table[data-tn-results]").forEach(setupWideTable);
    var within = function (selector) {
      var found = Array.prototype.slice.call(root.querySelectorAll(selector));
      if (root.matches && root.matches(selector)) found.unshift(root);
      return found.filter(function (element) { return !awaitsLive(element); });
    };
    within("[data-tn-figure]").forEach(loadVideos);
    within("video[data-tn-autoplay]").forEach(function (video) {
      if (video.tnSetUp) return;
      setupAutoplay(video);
      if (observer) observer.observe(video);
    });
    within("[data-tn-compare]").forEach(setupCompare);
  }

  function start() { setup(document); }
  if (reduced.addEventListener) reduced.addEventListener("change", motionChanged);
  else if (reduced.addListener) reduced.addListener(motionChanged);
  // a figure the module could not draw: its fallback is the reader's now
  document.addEventListener("tinynets:fallback", function (event) { setup(event.target); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    // Material's instant navigation: every page it shows (the first one included); after the
    // module has looked at the page's figures, whichever subscribed first
    window.document$.subscribe(function () { setTimeout(start, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
