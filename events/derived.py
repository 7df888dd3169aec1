"""Values derived from the whole content (the years, cities and categories the lists' filters
offer), which are costly to compute and the same until something is edited or an event ends.

The events app does not know where such a value may be kept: it asks ``remembered(name,
compute)``, which computes it, unless an app that knows when the content changes has offered to
keep it (the page cache does, in its ``ready()``: ``keep_with(pagecache.cache.remembered)``)."""

_keeper = None


def remembered(name, compute, event=None):
    """``compute()``, or the value kept under ``name`` while it is still true. ``event``: the
    primary key of the one event the value is derived from (its programme), when it is one
    event's; otherwise it is derived from all the events."""
    return compute() if _keeper is None else _keeper(name, compute, event=event)


def keep_with(keeper):
    """``keeper(name, compute, event=…)`` keeps derived values from now on (one keeper per process)."""
    global _keeper  # noqa: PLW0603 - the one hook of this module
    _keeper = keeper
