"""Queries compiled to SQL once per process, for the page where the ORM's own work is most of its
cost: the event page.

Django turns a QuerySet into SQL each time it is evaluated. For the event page's queries (the
event with six related rows, its cities, slots, workshops and speakers), compiling took about
three quarters of the database layer's CPU: 2.8 of the 3.7 ms of the event's own query, for
0.5 ms in PostgreSQL and the driver (docs/performance.md). Those queries are the same on every
request but for their parameter values.

``CompiledQuery`` builds its query with the ORM once, with stand-in values for the parameters,
keeps the SQL and Django's description of its columns, and on each call runs that SQL with the
real values and makes the instances the way ``QuerySet.__iter__`` does (the backend's converters,
``Model.from_db``, ``select_related``'s populators): the instances are the ORM's own, with the
same fields, related objects and state. It leans on the compiler's internals, as any such
shortcut must; tests/test_compiled_query.py compares its results with the ORM's on both
databases, so a Django upgrade that changes them fails there and not on the site.

    slots = CompiledQuery(lambda event: ProgrammeSlot.objects.filter(event=event), event=ANY_ID)
    slots(event=event.pk)  # [<ProgrammeSlot …>, …]

A stand-in must be a value the real ones never equal and that the query keeps as a parameter
(a filter value, not a column name): compiling fails with a clear error otherwise. ``ANY_ID``,
``ANY_TEXT`` and ``ANY_MOMENT`` are such values. The query
is compiled at its first call, per database alias; ``build`` must not depend on anything else
that changes between calls (the active language, say: make one query per language).
"""

import datetime
import threading

from django.db import connections
from django.db.models.query import get_related_populators

# Stand-ins no real parameter equals: no row has this primary key, no text holds a NUL character,
# nothing on the site happens in 1901.
ANY_ID = -7_654_321
ANY_TEXT = "\x00 stand-in"
ANY_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


class CompiledQuery:
    def __init__(self, build, using="default", **stand_ins):
        self.build, self.using, self.stand_ins = build, using, stand_ins
        self._plan = None
        self._lock = threading.Lock()

    def __call__(self, **values):
        plan = self._plan or self._compile()
        params = list(plan.params)
        for name, (positions, adapt) in plan.slots.items():
            value = adapt(values[name])
            for position in positions:
                params[position] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = plan.compiler.apply_converters(rows, plan.converters)
        instances = []
        for row in rows:
            instance = plan.model.from_db(self.using, plan.init_list, row[plan.start : plan.end])
            for populator in plan.populators:
                populator.populate(row, instance)
            instances.append(instance)
        return instances

    def _compile(self):
        with self._lock:
            if self._plan is None:
                self._plan = _Plan(self.build(**self.stand_ins).using(self.using), self.stand_ins)
        return self._plan


class _Plan:
    """The SQL of one query, where its parameters go, and how its rows become instances."""

    def __init__(self, queryset, stand_ins):
        query = queryset.query
        if query.annotation_select or query.extra_select or query.values_select:
            raise ValueError("CompiledQuery makes model instances only: no annotations, extra() or values()")
        self.model = queryset.model
        self.compiler = query.get_compiler(queryset.db)
        sql, params = self.compiler.as_sql()
        self.sql, self.params = sql, list(params)
        operations = connections[queryset.db].ops
        self.slots = {}
        for name, stand_in in stand_ins.items():
            adapt = _adapter(stand_in, operations)
            positions = [i for i, param in enumerate(self.params) if param == adapt(stand_in)]
            if not positions:
                raise ValueError(f"The stand-in for {name!r} is not among the query's parameters")
            self.slots[name] = (positions, adapt)
        select = self.compiler.select
        self.converters = self.compiler.get_converters([column[0] for column in select])
        klass_info = self.compiler.klass_info
        self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)


def _adapter(value, operations):
    """How the backend passes a value of this kind as a parameter (SQLite's datetimes are text)."""
    if isinstance(value, datetime.datetime):
        return operations.adapt_datetimefield_value
    return lambda value: value
