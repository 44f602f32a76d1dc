"""Querysets compiled once per process and run again with new values.

On the public pages Django's work to build and compile a queryset cost more than the database's
to run it (an article's own query: 0.84 ms against 0.57 ms), and most of a page's queries keep
their shape from one request to the next: only a slug, an id, a list of ids or the time change.
``@prepared`` turns a function that builds a ``values()`` queryset into one that returns its rows,
building and compiling the queryset only the first time each shape is asked for: the function is
called with stand-ins for its arguments, and the stand-ins are found in the compiled parameters
and swapped for the real values on every later call.

A value the function computes itself (``timezone.now()`` above all) would be compiled in for
good, so every argument must be a parameter, and a compiled time that is not a stand-in is refused.
"""

import functools
import re
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

#: Stand-ins: values no page ever asks for, each told apart by its index. Ints sit near the top of a
#: 32-bit positive integer column's range: Django compiles a value outside a column's range into
#: "no rows" (``EmptyResultSet``), which would then hold for every value.
INT_BASE = 2_147_000_000
TEXT_MARK = "\ue000prepared-{}\ue001"
#: SQLite receives times as text; PostgreSQL as datetimes.
SQL_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _stand_in(value, index: int):
    if isinstance(value, bool):
        raise TypeError("a prepared query takes no booleans: True and 1 cannot be told apart in its parameters")
    if isinstance(value, int):
        return INT_BASE + index
    if isinstance(value, str):
        return TEXT_MARK.format(index)
    if isinstance(value, datetime):
        return datetime(1901, 2, 3, 4, 5, 6, 1 + index, tzinfo=UTC)
    raise TypeError(f"a prepared query takes ints, strings, times and lists of them, not {type(value).__name__}")


class _Compiled:
    """One shape of a prepared query: its SQL, where each argument goes in its parameters, and how
    its rows become dicts (as ``ValuesIterable`` makes them)."""

    def __init__(
        self, queryset, stand_ins: dict, *, may_be_empty: bool, wrap: str = "{query}", literals=None, plan_once=False
    ):
        self.alias = queryset.db
        self.plan_once = plan_once
        self.adapt_time = connections[self.alias].ops.adapt_datetimefield_value
        query = queryset.query
        self.compiler = query.get_compiler(self.alias)
        try:
            sql, params = self.compiler.as_sql()
            self.sql = wrap.format(query=sql, **(literals or {}))
        except EmptyResultSet:
            if not may_be_empty:
                raise ImproperlyConfigured("a prepared query compiled to no rows for its stand-ins") from None
            self.sql = None  # an empty list: no rows, whatever the other values
            return
        places = {}
        for key, stand_in in stand_ins.items():
            places[stand_in] = (key, False)
            if isinstance(stand_in, datetime):
                places.setdefault(self.adapt_time(stand_in), (key, True))
        #: Per parameter: (argument key, whether to adapt it as a time), or (None, the constant).
        self.slots = []
        for param in params:
            place = places.get(param) if isinstance(param, (int, str, datetime)) else None
            if place is None and (isinstance(param, datetime) or (isinstance(param, str) and SQL_TIME.match(param))):
                raise ImproperlyConfigured(f"a time is compiled into a prepared query: {param!r}; pass it in")
            self.slots.append(place or (None, param))
        if missing := set(stand_ins) - {key for key, _ in self.slots if key is not None}:
            raise ImproperlyConfigured(f"prepared query arguments not found in its SQL: {sorted(map(str, missing))}")
        self.converters = self.compiler.get_converters(
            [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        )
        if query.selected:
            self.names = list(query.selected)
        else:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]

    def run(self, values: dict) -> list[dict]:
        if self.sql is None:
            return []
        params = [
            constant if key is None else (self.adapt_time(values[key]) if constant else values[key])
            for key, constant in self.slots
        ]
        connection = connections[self.alias]
        with connection.cursor() as cursor, _planned_once(connection) if self.plan_once else nullcontext():
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.compiler.has_extra_select:
            rows = [row[: self.compiler.col_count] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [dict(zip(self.names, row, strict=True)) for row in rows]


@contextmanager
def _planned_once(connection):
    """Have PostgreSQL prepare the statement run in this block, so it is planned once a connection.

    Django leaves psycopg's preparing off, and rightly for most queries: after five runs PostgreSQL
    may keep a generic plan, blind to the values. Where the best plan never depends on them (a
    story by its slug), planning again on every request cost as much as running the query.
    """
    raw = connection.connection if connection.vendor == "postgresql" else None
    if raw is None:
        yield
        return
    threshold, raw.prepare_threshold = raw.prepare_threshold, 0
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def _flatten(arguments: dict) -> dict:
    """Each argument, a list's items one by one: {(name, None): value, (name, 0): item, ...}."""
    flat = {}
    for name, value in arguments.items():
        if isinstance(value, (list, tuple)):
            flat |= {(name, i): item for i, item in enumerate(value)}
        else:
            flat[(name, None)] = value
    return flat


def prepared(build=None, *, literals: tuple[str, ...] = (), wrap: str = "{query}", plan_once: bool = False):
    """``build(**arguments)`` returns a ``values()`` queryset; the decorated function, called with the same
    keyword arguments (ints, strings, aware times, or lists of them), returns its rows as dicts. A list
    of another length is another shape, compiled once in its turn; so is each value of an argument
    named in ``literals``, which is passed to ``build`` as it is (a slice's bounds are SQL, not values).

    ``wrap`` is SQL around the queryset's, ``{query}``, for what the ORM cannot say: ordering the rows
    of a sliced query again (``SELECT * FROM ({query}) ... ORDER BY ... LIMIT {limit}``); it names the
    queryset's columns as ``values()`` does and may use the literals, by name.

    ``plan_once``: PostgreSQL prepares the statement and plans it once a connection; only for a query
    whose best plan does not depend on its values (see ``_planned_once``)."""
    if build is None:
        return functools.partial(prepared, literals=literals, wrap=wrap, plan_once=plan_once)
    shapes: dict[tuple, _Compiled] = {}

    @functools.wraps(build)
    def rows(**arguments) -> list[dict]:
        fixed = {name: arguments.pop(name) for name in literals}
        lengths = tuple((name, len(v) if isinstance(v, (list, tuple)) else -1) for name, v in sorted(arguments.items()))
        shape = (connections[DEFAULT_DB_ALIAS].vendor, lengths, tuple(sorted(fixed.items())))
        flat = _flatten(arguments)
        compiled = shapes.get(shape)
        if compiled is None:
            stand_ins = {key: _stand_in(value, index) for index, (key, value) in enumerate(flat.items())}
            built = {
                name: [stand_ins[(name, i)] for i in range(len(value))]
                if isinstance(value, (list, tuple))
                else stand_ins[(name, None)]
                for name, value in arguments.items()
            }
            may_be_empty = any(length == 0 for _, length in lengths)
            compiled = shapes[shape] = _Compiled(
                build(**built, **fixed),
                stand_ins,
                may_be_empty=may_be_empty,
                wrap=wrap,
                literals=fixed,
                plan_once=plan_once,
            )
        return compiled.run(flat)

    return rows


def columns(model, *, leave_out=()) -> list[str]:
    """A model's own columns, as ``values()`` names them, for rows that become instances (``instance``)."""
    return [field.attname for field in model._meta.concrete_fields if field.name not in leave_out]


def instance(model, row: dict, names: list[str], prefix: str = ""):
    """A model instance from a row's ``names`` columns (after ``prefix``, for a related model's), as a
    queryset would make it: the columns not read are deferred."""
    return model.from_db(DEFAULT_DB_ALIAS, names, [row[prefix + name] for name in names])
