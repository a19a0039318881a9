/* Controls shared by the figure kinds: the player (play/pause and an epoch slider over the
   recorded frames), the seed picker, legend entries and the readout line. Plain HTML elements,
   text set with textContent only (labels are author text). */

import { formatEpoch } from "./numbers.js";

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/* --- Player ---------------------------------------------------------------------------------
   The slider's value is an index into ``timeline`` (the recorded epochs): one key step is one
   recorded frame, so the label only ever names an epoch that was recorded. Keys: arrows ±1,
   PageUp/PageDown ±a tenth of the frames, Home/End the first and last. Playing shows the frames
   at ``seconds`` for the whole run, holds the last frame ``hold`` seconds, and loops. */

export function player({ timeline, what, onShow, onReader, seconds = 6.5, hold = 1.5 }) {
  const last = timeline.length - 1;
  const lastEpoch = timeline[last];
  const root = element("div", "tn-player");
  const button = element("button", "tn-button tn-play", "Play");
  button.type = "button";
  const slider = element("input", "tn-slider");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(last);
  slider.step = "1";
  slider.setAttribute("aria-label", "Epoch shown in " + what);
  const output = element("output", "tn-epoch");
  output.setAttribute("aria-live", "polite");
  // as wide as its longest text, so the slider beside it does not move under a dragging pointer
  output.style.minWidth = ("epoch " + formatEpoch(lastEpoch) + " of " + formatEpoch(lastEpoch)).length + "ch";
  root.append(button, slider, output);

  const state = { index: last, playing: false, started: 0, startIndex: 0, frame: 0 };
  const framePeriod = (seconds * 1000) / Math.max(timeline.length, 1);

  function show(index, fromReader) {
    index = Math.max(0, Math.min(last, index | 0));
    state.index = index;
    const text = "epoch " + formatEpoch(timeline[index]) + " of " + formatEpoch(lastEpoch);
    slider.value = String(index);
    slider.setAttribute("aria-valuetext", text);
    output.textContent = text;
    onShow(index);
    if (fromReader && onReader) onReader(index);
  }

  function tick(now) {
    if (!state.playing) return;
    if (!root.isConnected && state.attached) { pause(); return; }
    const elapsed = now - state.started;
    const steps = Math.floor(elapsed / framePeriod);
    let index = state.startIndex + steps;
    if (index > last) {
      if (elapsed >= (last - state.startIndex + 1) * framePeriod + hold * 1000) {
        state.startIndex = 0;
        state.started = now;
        index = 0;
      } else {
        index = last;
      }
    }
    if (index !== state.index) show(index, false);
    state.frame = requestAnimationFrame(tick);
  }

  function setPlaying(playing) {
    state.playing = playing;
    button.textContent = playing ? "Pause" : "Play";
    button.setAttribute("aria-label", (playing ? "Pause " : "Play ") + what);
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    output.setAttribute("aria-live", playing ? "off" : "polite");   // no chatter while playing
    root.classList.toggle("tn-playing", playing);
  }

  function play() {
    if (state.playing) return;
    state.attached = root.isConnected;
    if (state.index >= last) show(0, false);   // at the end: start over
    state.startIndex = state.index;
    state.started = performance.now();
    setPlaying(true);
    state.frame = requestAnimationFrame(tick);
  }

  function pause() {
    if (!state.playing) return;
    cancelAnimationFrame(state.frame);
    setPlaying(false);
  }

  button.addEventListener("click", () => {
    state.readerPaused = state.playing;
    if (state.playing) { pause(); if (onReader) onReader(state.index); } else play();
  });
  slider.addEventListener("input", () => {
    pause();
    state.readerPaused = true;
    show(Number(slider.value), true);
  });
  slider.addEventListener("keydown", (event) => {
    const page = Math.max(1, Math.round(timeline.length / 10));
    const targets = {
      ArrowRight: state.index + 1, ArrowUp: state.index + 1,
      ArrowLeft: state.index - 1, ArrowDown: state.index - 1,
      PageUp: state.index + page, PageDown: state.index - page, Home: 0, End: last,
    };
    if (!(event.key in targets)) return;
    event.preventDefault();   // the browser's own steps depend on the slider's width
    pause();
    state.readerPaused = true;
    show(targets[event.key], true);
  });

  setPlaying(false);
  show(last, false);
  return {
    node: root, button, slider, output,
    get index() { return state.index; },
    get playing() { return state.playing; },
    get readerPaused() { return !!state.readerPaused; },
    show, play, pause,
    destroy() { pause(); },
  };
}

/* --- Seed picker ----------------------------------------------------------------------------- */

export function seedPicker({ seeds, median, label, extra, onPick }) {
  const root = element("label", "tn-seed");
  root.append(element("span", "tn-seed-label", label || "Seed"));
  const select = element("select", "tn-select");
  for (const option of extra || []) {
    const node = element("option", null, option.text);
    node.value = option.value;
    select.append(node);
  }
  for (const seed of seeds) {
    const node = element("option", null, seed === median ? seed + " (median)" : String(seed));
    node.value = String(seed);
    select.append(node);
  }
  root.append(select);
  select.addEventListener("change", () => onPick(select.value));
  return {
    node: root, select,
    set(value) { select.value = String(value); },
  };
}

/* The seed picker of a figure of several nets: every seed any net recorded, and "each net's
   median" first (each net then follows its own median seed). */
export function followedSeedPicker(nets, onPick) {
  const seeds = Array.from(new Set(nets.flatMap((net) => net.seeds))).sort((a, b) => a - b);
  const picker = seedPicker({
    seeds, median: null, label: "Seed followed",
    extra: [{ value: "median", text: "each net's median" }],
    onPick,
  });
  return Object.assign(picker, { seeds });
}

/* --- Legend entries: a small swatch drawn in SVG and its text -------------------------------- */

const SVG = "http://www.w3.org/2000/svg";

export function keyEntry(shape, text) {
  const root = element("span", "tn-key-entry");
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 12");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "tn-swatch tn-swatch-" + shape);
  if (shape === "dot") {
    const circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("cx", "12"); circle.setAttribute("cy", "6"); circle.setAttribute("r", "3");
    svg.append(circle);
  } else {
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("x2", "23");
    line.setAttribute("y1", "6"); line.setAttribute("y2", "6");
    svg.append(line);
  }
  root.append(svg, element("span", "tn-key-text", text));
  return { node: root, svg };
}

/* colour a swatch (stroke for lines, fill for dots) with ``color`` at ``width`` */
export function paintSwatch(svg, color, width, dash) {
  const mark = svg.firstChild;
  if (mark.tagName === "circle") {
    mark.setAttribute("fill", color);
  } else {
    mark.setAttribute("stroke", color);
    mark.setAttribute("stroke-width", String(width || 2));
    if (dash) mark.setAttribute("stroke-dasharray", dash); else mark.removeAttribute("stroke-dasharray");
  }
}

export function readoutLine(text) {
  const node = element("p", "tn-readout");
  node.setAttribute("aria-live", "polite");
  node.textContent = text || "";
  return node;
}
