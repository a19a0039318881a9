"""Training: data sets, Keras models, the compiled loop, the training stage, the run cache and its fingerprints."""
