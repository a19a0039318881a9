/* Panel sizes from the figure's real width (CSS pixels), a watch on that width, and a grid of
   panels laid out again from it. */

export const GAP = 16;   // between panels, as figures.css sets it

function clamp(value, low, high) {
  return Math.max(low, Math.min(high, value));
}

/* Two panels side by side when each gets at least 280 px, else stacked at full width. */
export function panelSizes(width, count) {
  const stacked = count > 1 && (width - GAP) / count < 280;
  const panel = Math.floor(stacked ? width : (width - GAP * (count - 1)) / count);
  return { stacked, width: Math.max(panel, 200),
           height: Math.round(clamp(panel * (stacked ? 0.62 : 0.72), 220, 320)) };
}

/* A grid of ``count`` panels: up to three columns of at least 260 px. */
function gridSizes(width, count) {
  let columns = Math.min(count, 3, Math.max(1, Math.floor((width + GAP) / (260 + GAP))));
  if (count === 4 && columns === 3) columns = 2;   // 2 × 2 rather than 3 + 1
  const panel = Math.floor((width - GAP * (columns - 1)) / columns);
  return { columns, width: Math.max(panel, 200),
           height: Math.round(clamp(panel * 0.66, 200, 300)) };
}

/* Call ``relayout(width)`` whenever ``node``'s width changes by a pixel or more. */
export function watchWidth(node, relayout) {
  if (!("ResizeObserver" in window)) return () => {};
  let last = null;
  const observer = new ResizeObserver((entries) => {
    const width = Math.floor(entries[entries.length - 1].contentRect.width);
    if (width > 0 && width !== last) {
      last = width;
      relayout(width);
    }
  });
  observer.observe(node);
  return () => observer.disconnect();
}

/* A grid element of ``count`` panels (gridSizes) that lays itself out again whenever ``root``'s
   width changes or relayout() is asked (after panels were hidden or shown): ``shown()`` says how
   many panels show now, ``resize(sizes, width)`` fits the kind's panels (and whatever else
   follows the width). ``sizes`` is the panels' size now; stop() ends the watch. */
export function panelGrid(grid, { root, width, count, shown, resize }) {
  let lastWidth = width;
  let sizes = gridSizes(width, count);
  function relayout(next) {
    lastWidth = next;
    sizes = gridSizes(next, Math.max(1, shown()));
    grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
    grid.style.gap = GAP + "px";
    resize(sizes, next);
  }
  grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
  const stop = watchWidth(root, relayout);
  return {
    get sizes() { return sizes; },
    relayout() { relayout(lastWidth); },
    stop,
  };
}
