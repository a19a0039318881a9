/* tinynets explorable figures: every <figure data-tn-figure="KIND" data-tn-data="URL"> is drawn
   in the browser from its recorded training, in place of the video or picture it holds, which
   stays whenever the data cannot be drawn. An ES module; no framework, no request to any host
   but the page's own. The parts are in figures/ (core.js says how they fit together). */

import { start } from "./figures/core.js";

start();
