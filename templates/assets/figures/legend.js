/* A legend of nets as buttons that hide or show each one (aria-pressed: shown), for the kinds
   that draw several nets together (comparison, comparison_losses: one plot; compare,
   plane_compare: a panel a net, each titled). Each button holds the net's swatch, its label and
   (netLegend) a status the kind may fill (e.g. its error at the shown epoch). */

import { element } from "./controls.js";
import { css } from "./theme.js";

/* One legend button: a swatch (painted by the kind) and the text; pressed while its thing shows. */
export function legendButton(text) {
  const button = element("button", "tn-legend-button");
  button.type = "button";
  button.setAttribute("aria-pressed", "true");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  button.append(swatch, element("span", null, text));
  return { button, swatch };
}

/* A panel's title: the net's swatch, its label in bold and a status the kind fills. */
function panelTitle(text) {
  const title = element("p", "tn-panel-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, text), " ", status);
  return { title, swatch, status };
}

/* the legend's element: one group of buttons for assistive technology */
function legendGroup(label) {
  const root = element("div", "tn-legend");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", label || "Nets shown (press to hide or show one)");
  return root;
}

export function netLegend(nets, { label, onToggle }) {
  const root = legendGroup(label);
  const entries = nets.map((net) => {
    const button = element("button", "tn-legend-button");
    button.type = "button";
    button.setAttribute("aria-pressed", "true");
    const swatch = element("span", "tn-net-swatch");
    swatch.setAttribute("aria-hidden", "true");
    const status = element("span", "tn-status");
    const text = element("span", null, net.label);   // label and status flow as one text
    text.append(status);
    button.append(swatch, text);
    button.addEventListener("click", () => onToggle(net.name));
    root.append(button);
    return { net, button, swatch, status };
  });
  return {
    node: root, entries,
    set(hidden) {
      for (const entry of entries) {
        entry.button.setAttribute("aria-pressed", hidden.has(entry.net.name) ? "false" : "true");
      }
    },
    paint(theme) {
      for (const entry of entries) entry.swatch.style.background = css(theme.net(entry.net.color).line);
    },
  };
}

/* the hidden nets of a URL state ("a+b"), keeping only names of ``nets`` */
export function hiddenOf(text, nets) {
  return new Set(String(text).split("+").filter((name) => nets.some((net) => net.name === name)));
}

/* A panel a net, appended to ``grid``, each titled with the net's swatch, label and a status
   (panelTitle), under a legend of buttons (legendButton) that call ``onToggle(name)``. The kind
   appends the net's plot to ``entry.panel`` after its title. */
export function panelLegend(nets, { grid, onToggle }) {
  const root = legendGroup();
  const entries = nets.map((net) => {
    const { button, swatch } = legendButton(net.label);
    root.append(button);
    const panel = element("div", "tn-panel");
    const { title, swatch: panelSwatch, status } = panelTitle(net.label);
    panel.append(title);
    grid.append(panel);
    button.addEventListener("click", () => onToggle(net.name));
    return { net, button, swatch, panelSwatch, panel, status };
  });
  return {
    node: root, entries,
    /* a hidden net's button is not pressed and its panel is hidden */
    set(hidden) {
      for (const entry of entries) {
        const isHidden = hidden.has(entry.net.name);
        entry.button.setAttribute("aria-pressed", isHidden ? "false" : "true");
        entry.panel.hidden = isHidden;
      }
    },
    paint(theme) {
      for (const entry of entries) {
        const line = css(theme.net(entry.net.color).line);
        entry.swatch.style.background = line;
        entry.panelSwatch.style.background = line;
      }
    },
  };
}
