"""Measurements derived from recordings (no TensorFlow): finals, medians, thresholds."""
