/* When an animated figure plays by itself: while at least a fifth of it is in view, if the page
   asked for autoplay (data-tn-autoplay), the reader does not prefer reduced motion, did not
   pause it, and no link named a moment of it. Shared by the 2-D, sweep and network
   kinds, and by the kinds of several nets through group.js.

   playback(context, play) → { visible(bool), motionChanged(), restoreAt(index) (show a frame a
   link named: nothing plays by itself after that) }. */

export function playback(context, play) {
  const state = { visible: false, restored: false };
  function autoplay() {
    if (state.visible && context.autoplay && !context.motion.matches && !state.restored &&
        !play.readerPaused) {
      play.play();
    }
  }
  return {
    visible(isVisible) {
      state.visible = isVisible;
      if (!isVisible) play.pause(); else autoplay();
    },
    motionChanged() { if (context.motion.matches) play.pause(); else autoplay(); },
    restoreAt(index) {
      play.pause();
      state.restored = true;
      play.show(index, false);
    },
  };
}
