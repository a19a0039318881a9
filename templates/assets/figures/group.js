/* The scaffolding of the kinds that show a group on one timeline: several nets side by side
   (compare, plane_compare, comparison) or a sweep's cells (sweep_grid). Each kind draws its own
   entries; this module owns how the group is driven, so the kinds cannot drift apart in it:
   one player (controls.js) over the timeline, playing by itself as playback.js decides, the
   nets a reader hid with the legend, the seed followed in every net, and the URL state of those
   (epoch, seed, hidden nets joined by "+") with its restore.

   timelinePlayer(context, { timeline, what, draw, save }) → { play, index, epoch,
     restoreEpoch(state), visible(bool), motionChanged() }
   netGroup(context, { nets, what, draw, applyHidden, extraState, restoreExtra }) → the same,
     and { timeline, hidden, controls, seed, followed(net) ({ frame, seedIndex }), toggle(name),
     save(), state(), report(), restore(state), start() };
   netStatus(net, seedIndex, detail, own, epoch), errorDetail(net, seedIndex, own): the status
     text beside a net's name.

   Example (a kind's create):
     const group = netGroup(context, { nets, what: "every net of this comparison",
                                       draw, applyHidden });
     root.append(legend, grid, group.controls);
     paint();
     group.start();   // draws, then restores the state a link named
     return { ..., restore: group.restore, visible: group.visible,
              motionChanged: group.motionChanged }; */

import { element, followedSeedPicker, player } from "./controls.js";
import { lastAtOrBefore, lossesOf } from "./data.js";
import { formatEpoch, formatError } from "./numbers.js";
import { hiddenOf } from "./legend.js";
import { playback } from "./playback.js";

/* One player over ``timeline`` (recorded epochs): ``draw()`` whenever it shows another epoch,
   ``save()`` when the reader moved it. */
export function timelinePlayer(context, { timeline, what, draw, save }) {
  let index = timeline.length - 1;
  // The player shows its last frame while it is made, before the kind has the object this
  // returns (its draw reads it); the kind draws once it is whole (start(), or its own draw()).
  let made = false;
  const play = player({
    timeline, what,
    onShow(position) { index = position; if (made) draw(); },
    onReader() { save(); },
  });
  made = true;
  const motion = playback(context, play);
  return {
    play,
    get index() { return index; },
    get epoch() { return timeline[index]; },
    /* show the epoch a link named (the last frame at or before it); nothing plays by itself
       after that */
    restoreEpoch(state) {
      if (state.epoch != null && isFinite(Number(state.epoch))) {
        motion.restoreAt(lastAtOrBefore(timeline, Number(state.epoch)));
      }
    },
    visible: motion.visible,
    motionChanged: motion.motionChanged,
  };
}

/* Several nets on the union of their recorded epochs (each net shows its last frame at or
   before the epoch). ``applyHidden()`` shows the kind's entries as ``hidden`` now says;
   ``extraState()`` adds the kind's own keys to the saved URL state (after the shared three);
   ``restoreExtra(state)`` restores them, after the hidden nets and the seed, before the epoch
   (which pauses the player). */
export function netGroup(context, { nets, what, draw, applyHidden, extraState, restoreExtra }) {
  const timeline = Array.from(new Set(nets.flatMap((net) => Array.from(net.frameEpochs))))
    .sort((a, b) => a - b);
  const hidden = new Set();
  let seedChoice = "median";
  const timed = timelinePlayer(context, { timeline, what, draw, save });
  const picker = followedSeedPicker(nets, (value) => { setSeed(value); save(); });
  const controls = element("div", "tn-controls");
  controls.append(timed.play.node, picker.node);

  /* the seed a net follows: the one chosen, or its median seed when it did not train that one */
  function seedIndexOf(net) {
    const wanted = seedChoice === "median" ? net.shownSeed : Number(seedChoice);
    const found = net.seeds.indexOf(wanted);
    return found >= 0 ? found : net.seeds.indexOf(net.shownSeed);
  }

  function setSeed(value) {
    seedChoice = value === "median" ? "median" : String(Number(value));
    picker.set(seedChoice);
    draw();
  }

  function save() {
    context.save({ epoch: String(timed.epoch), seed: seedChoice, hidden: Array.from(hidden).join("+"),
                   ...(extraState ? extraState() : {}) });
  }

  function restore(state) {
    if (state.hidden != null) {
      hidden.clear();
      for (const name of hiddenOf(state.hidden, nets)) hidden.add(name);
      applyHidden();
    }
    if (state.seed != null && (state.seed === "median" || picker.seeds.indexOf(Number(state.seed)) >= 0)) {
      setSeed(state.seed);
    }
    if (restoreExtra) restoreExtra(state);
    timed.restoreEpoch(state);
  }

  return {
    timeline, hidden, controls, save, restore,
    play: timed.play,
    get index() { return timed.index; },
    get epoch() { return timed.epoch; },
    get seed() { return seedChoice; },
    /* where ``net`` stands at the player's epoch: its last frame at or before it, and the seed
       it follows */
    followed(net) {
      return { frame: lastAtOrBefore(net.frameEpochs, timed.epoch), seedIndex: seedIndexOf(net) };
    },
    /* a legend button pressed: hide or show that net */
    toggle(name) {
      if (hidden.has(name)) hidden.delete(name); else hidden.add(name);
      applyHidden();
      save();
    },
    state() { return { epoch: timed.epoch, seed: seedChoice, hidden: Array.from(hidden) }; },
    /* what every such kind's drawn() tells the browser tests of the group */
    report() {
      return { epoch: timed.epoch, index: timed.index, seed: seedChoice, hidden: Array.from(hidden),
               playing: timed.play.playing };
    },
    start() {
      draw();
      if (context.state) restore(context.state);
    },
    visible: timed.visible,
    motionChanged: timed.motionChanged,
  };
}

/* A net's status beside its name: the seed it follows, ``detail`` (what the kind says of it then)
   and, when it has no frame at the player's ``epoch``, the epoch of the frame it shows (``own``). */
export function netStatus(net, seedIndex, detail, own, epoch) {
  return "· seed " + net.seeds[seedIndex] + detail + (own !== epoch ? " (shows epoch " + formatEpoch(own) + ")" : "");
}

/* " · error E": the net's training error at the epoch it shows, when it recorded one then; an
   untrained net (epoch 0) has none to say */
export function errorDetail(net, seedIndex, own) {
  if (!(own >= 1 && net.lossEpochs)) return "";
  const at = lastAtOrBefore(net.lossEpochs, own);
  return " · error " + formatError(net.lossEpochs[at] === own ? lossesOf(net, seedIndex)[at] : NaN);
}
