"""Training: data sets, Keras models, the compiled loop, the training stage, the run cache and its fingerprints."""

import os

# TensorFlow's C++ start-up notes (oneDNN, CPU features) are noise in a build log; they must be
# silenced before TensorFlow loads, and any engine module may be the first to load it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
