"""tinynets from Python and in notebooks: the same experiments, cache and figures as the site,
and the trained nets themselves.

- ``experiment(data=…, nets=…, seeds=…)``: nets declared as in front matter (same keys, same
  checks, same messages); ``.train()`` trains into the project's run cache (build/cache/runs),
  which the site reads too (``experiment``).
- ``post("optimizer-or-depth")``: what a post's template sees (``.nets[…].median``,
  ``.sweeps[…]``, ``prob_lower``, ``ratio_interval``, …), without building the site.
- A net, or a post's results, displays as the site's live figure (a Jupyter widget running the
  site's browser module); ``.figure().save("x.gif")`` writes the site's media (``figures``).
- ``claim(text, check)``: the post's check as a result with its values (``claims``).
- ``.to_rows()`` / ``.to_frame()``: plain rows (a DataFrame with pandas) (``rows``);
  ``net.keras_model(seed=…, epoch=…)``: a ``keras.Sequential`` with recorded weights (``models``).

Nothing heavy is imported with this package: numpy, Keras, matplotlib and anywidget come when a
value needs them.
"""

from tinynets.api.claims import ClaimReport, claim
from tinynets.api.experiment import Experiment, experiment, post
from tinynets.api.figures import Figure
from tinynets.api.results import Net, Results

__all__ = ["ClaimReport", "Experiment", "Figure", "Net", "Results", "claim", "experiment",
           "post"]
