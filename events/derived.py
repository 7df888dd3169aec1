"""Values derived from the whole content (the years, cities and categories the lists' filters
offer), which are costly to compute and the same until something is edited or an event ends.

The events app does not know where such a value may be kept: it asks ``remembered(name,
compute)``, which computes it, unless an app that knows when the content changes has offered to
keep it (the page cache does, in its ``ready()``: ``keep_with(pagecache.cache.remembered, each=…)``).
``remembered_each(name, events, compute)`` does the same for a value per event (an event's entry
in a calendar of many), computing only those of the events edited since."""

_keeper = None
_keeper_each = None


def remembered(name, compute, event=None):
    """``compute()``, or the value kept under ``name`` while it is still true. ``event``: the
    primary key of the one event the value is derived from (its programme), when it is one
    event's; otherwise it is derived from all the events."""
    return compute() if _keeper is None else _keeper(name, compute, event=event)


def remembered_each(name, events, compute):
    """``{pk: value}`` for each of ``events`` (primary keys), each value derived from that event
    alone: ``compute(pks)`` gives ``{pk: value}`` for those asked, the ones not kept (all of them
    when no app keeps values)."""
    return compute(list(events)) if _keeper_each is None else _keeper_each(name, events, compute)


def keep_with(keeper, each=None):
    """``keeper(name, compute, event=…)`` and ``each(name, events, compute)`` keep derived values
    from now on (one keeper per process)."""
    global _keeper, _keeper_each  # noqa: PLW0603 - the hooks of this module
    _keeper, _keeper_each = keeper, each
