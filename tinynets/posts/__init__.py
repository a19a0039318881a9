"""What a post declares, read and checked before anything is built.

- ``schema``: every front matter key (its default, kind of value and meaning); ``kinds``: the
  kinds of value, each a validator that also describes itself for README's reference.
- ``model``: the validated values (``Post``, ``NetSpec``, ``DataSpec``, ``SweepSpec``, …) and
  the ``DataSet`` protocol every data set answers (``plane``, ``csvdata``: the other two).
- ``frontmatter``: YAML with every key's line; ``checker``: problems with file, line and key.
- ``load``: posts and defaults from content/; ``nets``: a post's nets (one builder and one
  limits check, for nets and sweep cells); ``sweeps``: its sweeps and their cells.
- ``functions``: the true functions of generated data; ``reference``: README's reference.
"""
