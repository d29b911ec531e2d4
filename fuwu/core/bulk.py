"""Lean bulk inserts for the bulk paths (imports, demo data, audit events in bulk).

`bulk_insert` does what `QuerySet.bulk_create` does for new rows (a multi-row INSERT … RETURNING
the primary keys, which are set on the objects) and `insert_rows` does the same for plain dicts
of field values, without building model instances at all. Both prepare values with one small
function per field instead of Django's general SQL compiler, which spends most of a bulk insert
on per-value bookkeeping. Values go through the same `Field.pre_save`/`Field.get_db_prep_save`
wherever those can change them, so what is stored is identical. No signals, like `bulk_create`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router

# Fields whose database value is the Python value itself when that is a str, int or bool (or None):
# their get_db_prep_save only runs to_python/int()/bool() on it, which returns it unchanged.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_MAX_ROWS_PER_STATEMENT = 2000


_PLAIN_PRE_SAVE = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


def _computed_on_save(field: models.Field) -> bool:
    """Whether `pre_save` may change the value (auto_now, auto_now_add, files, custom fields)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return True
    return type(field).pre_save not in _PLAIN_PRE_SAVE


def _fields(model: type[models.Model]) -> list[models.Field]:
    pk = model._meta.pk
    return [f for f in model._meta.concrete_fields if not f.generated and f is not pk]


def _db_value(field: models.Field, connection) -> Callable[[Any], Any]:
    if isinstance(field, _PLAIN_FIELDS):

        def plain(value: Any) -> Any:
            return value if type(value) in _PLAIN_TYPES else field.get_db_prep_save(value, connection)

        return plain
    if isinstance(field, models.DateField):  # DateTimeField too. Bulk rows often share one timestamp:
        last: list = [object(), None]  # dates are immutable, so the same object converts the same.

        def dated(value: Any) -> Any:
            if value is not last[0]:
                last[:] = [value, field.get_db_prep_save(value, connection)]
            return last[1]

        return dated
    return lambda value: field.get_db_prep_save(value, connection)


def _unnest_types(fields: list[models.Field], connection) -> list[str] | None:
    """PostgreSQL: the array type of each column for INSERT … SELECT * FROM UNNEST(…), or None.

    The same rule as Django's own PostgreSQL bulk insert: one array parameter per column is far
    cheaper to parse and plan than thousands of VALUES placeholders.
    """
    if connection.vendor != "postgresql":
        return None
    for field in fields:
        target = field.target_field if field.is_relation else field
        if hasattr(field, "get_placeholder_sql") or target.get_internal_type() not in connection.data_types:
            return None
    return [field.db_type(connection).split("(")[0] for field in fields]


def _insert(model: type[models.Model], fields: list[models.Field], rows: Iterable[list], count: int) -> list:
    """INSERT the prepared `rows` (lists of database values) in statements of bounded size; their pks."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    returning = qn(model._meta.pk.column)
    unnest = _unnest_types(fields, connection)
    per_statement = max(1, min(connection.ops.bulk_batch_size(fields, [None] * count), _MAX_ROWS_PER_STATEMENT))
    pks: list = []
    batch: list[list] = []

    def flush(cursor) -> None:
        # Identifiers and types come from the model's metadata; every value is a parameter.
        if unnest:
            arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in unnest)
            sql = f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}) RETURNING {returning}"  # noqa: S608
            cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
        else:
            row_sql = f"({', '.join(['%s'] * len(fields))})"
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(batch))} RETURNING {returning}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])
        pks.extend(pk for (pk,) in cursor.fetchall())

    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == per_statement:
                flush(cursor)
                batch = []
        if batch:
            flush(cursor)
    return pks


def bulk_insert[M: models.Model](model: type[M], objs: Sequence[M]) -> Sequence[M]:
    """Insert new `objs` (no primary key yet) of `model`; sets their pk. Returns `objs`."""
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert:
        return model._default_manager.using(alias).bulk_create(objs)
    fields = _fields(model)
    getters: list[Callable[[models.Model], Any]] = []
    for field in fields:
        if _computed_on_save(field):
            getters.append(lambda obj, f=field: f.get_db_prep_save(f.pre_save(obj, True), connection))
        else:
            prep = _db_value(field, connection)
            getters.append(lambda obj, a=field.attname, p=prep: p(getattr(obj, a)))
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")
    pks = _insert(model, fields, ([get(obj) for get in getters] for obj in objs), len(objs))
    pk_attname = model._meta.pk.attname
    for obj, pk in zip(objs, pks, strict=True):
        setattr(obj, pk_attname, pk)
        obj._state.adding = False
        obj._state.db = alias
    return objs


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list:
    """Insert `rows` of `model`, each a mapping of attribute names (`customer_id`) to values.

    A field missing from a row gets its default, as a new instance would. Returns the new pks.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    unknown = set(rows[0]) - {f.attname for f in fields}
    if unknown:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}.")
    getters: list[Callable[[Mapping[str, Any]], Any]] = []
    for field in fields:
        if _computed_on_save(field):
            raise ValueError(f"{model.__name__}.{field.name} computes its value on save; use bulk_insert.")
        prep = _db_value(field, connection)
        if field.has_default() and callable(field.default):
            getters.append(lambda row, a=field.attname, f=field, p=prep: p(row[a] if a in row else f.get_default()))
        else:
            default = field.get_default()
            getters.append(lambda row, a=field.attname, d=default, p=prep: p(row.get(a, d)))
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = model._default_manager.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in objs]
    return _insert(model, fields, ([get(row) for get in getters] for row in rows), len(rows))
