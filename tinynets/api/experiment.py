"""The two doors into results from Python: ``experiment(…)`` (nets declared in the notebook)
and ``post(slug)`` (a post's nets), both through the build's own stages and cache.

An experiment takes the keys of a post's front matter (``data``, ``nets``, ``sweeps``,
``seeds``, ``replicate``, ``frames``, ``thresholds``) with the project's defaults
(content/defaults.yml), checked by the same code with the same messages, naming the key.
``.train()`` trains what the run cache of the project (build/cache/runs) does not hold, with the
build's engine, into that cache: a net with the settings of a post's net is one cache entry,
whoever trained it first. As in a post, the nets train their replication seeds with the shown
ones (``replicate``, by default as many), in the same run: that is what makes the entry the
post's; results, rows, figures and models are of the shown seeds only.

``post(slug)`` gives the results the post's template sees, without building the site. Nets
that are not trained yet are trained first (as ``build --only slug`` would, saying so); with
``train=False`` such a post is an error naming them and how to train them.

Example::

    import tinynets as tn
    wide = tn.experiment(data={"function": "sine", "x_range": [-3, 3], "frequency": 2},
                         nets={"wide": {"layers": [60], "optimizer": "adam"}}, seeds=5)
    results = wide.train()              # or .train(jobs=2), .train(executor="dask")
    reference = tn.post("optimizer-or-depth")
    tn.claim("Adam's wide net ends lower", results.nets["wide"].median
             < reference.nets["wide-sgd"].median)
"""

from __future__ import annotations

from tinynets.api.project import Project, plain
from tinynets.api.results import Results, Source
from tinynets.engine.stage import post_run
from tinynets.engine.store import RunStore
from tinynets.errors import CorruptEntry, NoSuchName, TinynetsError
from tinynets.posts import schema
from tinynets.posts.load import load_experiment, load_post, no_such_post
from tinynets.posts.model import Post


class Experiment:
    """Nets declared in Python, checked, not trained yet: ``train()`` gives their results."""

    def __init__(self, project: Project, post: Post):
        self.project = project
        self.spec = post

    def train(self, jobs: int = 1, executor: str = "local", scheduler: str | None = None,
              force: bool = False, quiet: bool = False) -> Results:
        """Train what the project's run cache does not hold (``force``: everything again) and
        return the results. ``jobs`` 1 trains in this process, where TensorFlow and the
        compiled loops stay loaded for the next call; more use worker processes;
        ``executor="dask"`` (with ``scheduler``, or a local cluster) as ``build --executor``."""
        runs = self.project.train([self.spec], jobs, executor, scheduler, force, quiet)
        return results_of(self.project, self.spec, runs)

    def __repr__(self) -> str:
        nets = ", ".join(f"{net.name} ({net.shape}, {net.optimizer}, {net.epochs} epochs)"
                         for net in self.spec.nets)
        sweeps = ", ".join(f"sweep {sweep.name} ({len(sweep.cells)} cells)"
                           for sweep in self.spec.sweeps)
        replicated = (f" + {len(self.spec.replication_seeds)} replication"
                      if self.spec.replication_seeds else "")
        return (f"Experiment({self.spec.slug!r}: {', '.join(filter(None, [nets, sweeps]))}; "
                f"{len(self.spec.seeds)}{replicated} seeds)")


def experiment(data: dict | None = None, nets: dict | None = None, seeds=None,
               frames: dict | None = None, thresholds: dict | None = None,
               sweeps: dict | None = None, replicate: int | None = None, *,
               name: str = "notebook", root=None, **other) -> Experiment:
    """An experiment: the keys and values of a post's front matter, as Python values (a key
    left out takes the project's default). Every problem is raised at once (``SpecError``),
    each naming the key, as the build names it. ``name`` stands where a post's slug would (the
    build log, the cache index); ``root`` is the project (default: the one the current folder
    is in)."""
    if not isinstance(name, str) or not schema.SLUG.match(name):
        raise TinynetsError(f"name={name!r}: an experiment's name is a slug (lowercase letters, "
                            "digits and dashes), e.g. 'notebook'.")
    project = Project.find(root)
    given = {key: value for key, value in (("data", data), ("nets", nets), ("seeds", seeds),
                                           ("frames", frames), ("thresholds", thresholds),
                                           ("sweeps", sweeps), ("replicate", replicate))
             if value is not None}
    given.update(other)
    post = load_experiment(plain(given), project.defaults(), "experiment()", name,
                           project.paths.content)
    return Experiment(project, post)


def post(slug: str, root=None, train: bool = True, jobs: int = 1, executor: str = "local",
         scheduler: str | None = None, quiet: bool = False) -> Results:
    """The results ``content/posts/<slug>.md``'s template sees (its nets, sweeps, data, …),
    from the project's run cache; what is not trained is trained first, unless ``train`` is
    False (then it is an error saying which nets and how)."""
    project = Project.find(root)
    posts_folder = project.paths.content / "posts"
    path = posts_folder / f"{slug}.md"
    if not isinstance(slug, str) or not schema.SLUG.match(slug) or not path.is_file():
        raise NoSuchName(no_such_post(str(slug), sorted(
            found.stem for found in posts_folder.glob("*.md"))))
    spec = load_post(path, project.defaults())
    if not spec.nets and not spec.sweeps:
        raise TinynetsError(f"content/posts/{slug}.md declares no nets or sweeps: it has no "
                            "results.")
    if train:
        runs = project.train([spec], jobs, executor, scheduler, quiet=quiet)
    else:
        runs = cached_runs(project, spec)
    return results_of(project, spec, runs)


def cached_runs(project: Project, spec: Post) -> dict:
    """Every run of ``spec`` from the cache, by the build's keys (shown and replication seeds
    in one run); a TinynetsError naming those it does not hold."""
    store = RunStore(project.paths.cache / "runs")
    runs, missing = {}, []
    named = [(net, None) for net in spec.nets] + [(cell, sweep.name) for sweep in spec.sweeps
                                                  for cell in sweep.cells]
    for net, sweep in named:
        run = post_run(spec, net, sweep)
        try:
            run.meta = store.load_meta(run.key)
        except CorruptEntry:
            run.meta = None
        if run.meta is None:
            missing.append(run.label)
        runs[(spec.slug, net.name)] = run
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6
                                          else "")
        raise TinynetsError(f"not trained yet: {shown}. Train them with "
                            f"tinynets.post({spec.slug!r}) (train=True, the default) or "
                            "`python -m tinynets build`.")
    return runs


def results_of(project: Project, spec: Post, runs: dict) -> Results:
    """The results of trained ``runs``, made as the page's template gets them."""
    return Results(Source(project, spec, runs, project.media_plan([spec], runs)))
