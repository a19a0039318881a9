/* tinynets: play animations when they scroll into view unless the reader prefers reduced motion,
   and drive comparison groups (one play button and one epoch slider for several videos, kept on
   the same epoch). No framework, no third-party request. */
(function () {
  "use strict";
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)")
                                  : { matches: false };

  function play(video) {
    var promise = video.play();
    if (promise && promise.catch) promise.catch(function () {});
  }

  /* --- Autoplay: data-tn-autoplay videos loop while visible; a reader's pause is respected. --- */

  var autoplayed = [];

  function pauseQuietly(video) {
    if (video.paused) return;
    video.tnOwnPause = true;   // our pause, not the reader's
    video.pause();
  }

  function mayAutoplay(video) {
    return !reduced.matches && !video.tnReaderPaused && video.tnVisible;
  }

  function setupAutoplay(video) {
    autoplayed.push(video);
    video.tnVisible = !("IntersectionObserver" in window);
    video.addEventListener("pause", function () {
      if (video.tnOwnPause) video.tnOwnPause = false;
      else video.tnReaderPaused = true;
    });
    video.addEventListener("play", function () { video.tnReaderPaused = false; });
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

  /* --- Comparison groups ------------------------------------------------------------------- */

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
    var videos = Array.prototype.slice.call(group.querySelectorAll("video[data-tn-frames]"));
    var slider = group.querySelector(".tn-slider");
    var output = group.querySelector(".tn-epoch");
    var button = group.querySelector(".tn-play");
    if (!videos.length || !slider || !output || !button) return;
    var timelines = videos.map(function (video) {
      var frames = video.dataset.tnFrames.split(",").map(Number);
      return { frames: frames, fps: Number(video.dataset.tnFps), last: frames[frames.length - 1] };
    });
    var lastEpoch = Math.max.apply(null, timelines.map(function (t) { return t.last; }));
    var lead = videos[0], playing = false, ticking = false;
    var format = function (n) { return Number(n).toLocaleString("en"); };

    function timeFor(index, epoch) {
      // the middle of the frame that shows ``epoch``, so rounding never shows its neighbour
      var timeline = timelines[index];
      return (frameAt(timeline.frames, epoch) + 0.5) / timeline.fps;
    }
    function epochOf(index, time) {
      var timeline = timelines[index];
      var frame = Math.min(Math.max(Math.floor(time * timeline.fps), 0), timeline.frames.length - 1);
      return timeline.frames[frame];
    }
    function show(epoch) {
      slider.value = String(epoch);
      output.textContent = "epoch " + format(epoch) + " of " + format(lastEpoch);
      group.dataset.tnEpoch = String(epoch);
    }
    function seek(epoch) {
      videos.forEach(function (video, index) { video.currentTime = timeFor(index, epoch); });
      show(epoch);
    }
    function tick() {
      if (!playing) { ticking = false; return; }
      var epoch = epochOf(0, lead.currentTime);
      if (String(epoch) !== slider.value) show(epoch);
      videos.forEach(function (video, index) {
        if (index === 0) return;
        // keep every video on the lead's epoch (timelines may differ between nets)
        var target = timelines[index].frames.length === timelines[0].frames.length &&
                     timelines[index].fps === timelines[0].fps
          ? lead.currentTime : timeFor(index, epoch);
        if (Math.abs(video.currentTime - target) > 0.5 / timelines[index].fps + 0.05) {
          video.currentTime = target;
        }
        if (video.paused) play(video);
      });
      window.requestAnimationFrame(tick);
    }
    function setPlaying(state) {
      playing = state;
      button.textContent = state ? "Pause" : "Play";
      button.setAttribute("aria-pressed", state ? "true" : "false");
      group.classList.toggle("tn-playing", state);
      videos.forEach(function (video) { if (state) play(video); else video.pause(); });
      if (state && !ticking) { ticking = true; window.requestAnimationFrame(tick); }
      if (!state) seek(epochOf(0, lead.currentTime));   // line every video up on one frame
    }

    slider.addEventListener("input", function () {
      if (playing) setPlaying(false);
      seek(Number(slider.value));
    });
    button.addEventListener("click", function () {
      if (!playing && Number(slider.value) >= lastEpoch) seek(0);
      setPlaying(!playing);
    });
    // the posters show the final frame: start there, at the end of training
    show(lastEpoch);
    group.dataset.tnReady = "true";
  }

  function start() {
    document.querySelectorAll("video[data-tn-autoplay]").forEach(function (video) {
      setupAutoplay(video);
      if (observer) observer.observe(video);
    });
    document.querySelectorAll("[data-tn-compare]").forEach(setupCompare);
  }
  if (reduced.addEventListener) reduced.addEventListener("change", motionChanged);
  else if (reduced.addListener) reduced.addListener(motionChanged);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
