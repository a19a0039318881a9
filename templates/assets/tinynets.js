/* tinynets: autoplay animations unless the reader prefers reduced motion, and drive
   comparison groups (one play button and one epoch slider for several videos). No framework,
   no third-party request. */
(function () {
  "use strict";
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

  function autoplay() {
    var videos = document.querySelectorAll("video[data-tn-autoplay]");
    videos.forEach(function (video) {
      if (reduced.matches) {
        video.pause();
        return;
      }
      var play = video.play();
      if (play && play.catch) play.catch(function () {});
    });
  }

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
    var videos = Array.prototype.slice.call(group.querySelectorAll("video"));
    var slider = group.querySelector(".tn-slider");
    var output = group.querySelector(".tn-epoch");
    var button = group.querySelector(".tn-play");
    var timelines = videos.map(function (video) {
      return {
        frames: video.dataset.tnFrames.split(",").map(Number),
        fps: Number(video.dataset.tnFps)
      };
    });
    var lead = videos[0], lastEpoch = timelines[0].frames[timelines[0].frames.length - 1];
    var playing = false;

    function show(epoch) {
      slider.value = String(epoch);
      output.textContent = "epoch " + Number(epoch).toLocaleString("en");
    }
    function seek(epoch) {
      videos.forEach(function (video, index) {
        var timeline = timelines[index];
        // the middle of the frame, so rounding never shows its neighbour
        video.currentTime = (frameAt(timeline.frames, epoch) + 0.5) / timeline.fps;
      });
      show(epoch);
    }
    function setPlaying(state) {
      playing = state;
      button.textContent = state ? "Pause" : "Play";
      button.setAttribute("aria-pressed", state ? "true" : "false");
      videos.forEach(function (video) {
        if (state) {
          var play = video.play();
          if (play && play.catch) play.catch(function () {});
        } else {
          video.pause();
        }
      });
    }
    slider.addEventListener("input", function () {
      setPlaying(false);
      seek(Number(slider.value));
    });
    button.addEventListener("click", function () {
      if (!playing && Number(slider.value) >= lastEpoch) seek(0);
      setPlaying(!playing);
    });
    lead.addEventListener("timeupdate", function () {
      if (!playing) return;
      var timeline = timelines[0];
      var index = Math.min(Math.floor(lead.currentTime * timeline.fps), timeline.frames.length - 1);
      show(timeline.frames[index]);
      videos.forEach(function (video) {
        if (video !== lead && Math.abs(video.currentTime - lead.currentTime) > 0.15) {
          video.currentTime = lead.currentTime;
        }
      });
    });
    lead.addEventListener("ended", function () { setPlaying(false); });
    show(0);
  }

  function start() {
    autoplay();
    document.querySelectorAll("[data-tn-compare]").forEach(setupCompare);
  }
  if (reduced.addEventListener) reduced.addEventListener("change", autoplay);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
