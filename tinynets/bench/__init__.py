"""``make bench``: the speed figures, as ratios against naive references (``python -m tinynets.bench``)."""
