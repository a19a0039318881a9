"""Training: data sets, Keras models, the compiled loop, the training stage, the run cache and its fingerprints."""

import os
import sys
import tempfile
from contextlib import contextmanager
from typing import Iterator

# TensorFlow's C++ start-up notes (oneDNN, CPU features) are noise in a build log; they must be
# silenced before TensorFlow loads, and any engine module may be the first to load it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # Keras' default too; said, not assumed

# Two notes that TensorFlow's libraries write to stderr as they load, before any log level
# applies (TF_CPP_MIN_LOG_LEVEL does not reach them): said on every first import, in every worker.
STARTUP_NOTES = (b"All log messages before absl::InitializeLog() is called",
                 b"oneDNN custom operations are on")


@contextmanager
def tensorflow_notes_held_back() -> Iterator[None]:
    """Hold back TensorFlow's start-up notes while the block imports it; pass on the rest.

    Whatever the block writes to stderr (file descriptor 2, where the C++ libraries write) goes
    to a temporary file, and is written to the real stderr afterwards, line by line, without the
    lines of ``STARTUP_NOTES``: a warning or an error of another kind still shows. (Turning
    oneDNN off would silence its note, but it changes the numbers.)

    For example::

        with tensorflow_notes_held_back():
            import tensorflow
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr to hold back
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            try:
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            for line in held:
                if not any(note in line for note in STARTUP_NOTES):
                    os.write(2, line)
