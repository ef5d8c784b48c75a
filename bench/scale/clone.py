"""Every GAD of Ecuador on one deployment: about 1,045 governments made in bulk from one demo
government's content, in a few SQL statements (PostgreSQL only).

The new governments are made with the platform's own service (`government_create`), with real
INEC-shaped DPA codes: 24 provinces, 221 cantons, about 800 parishes (the demo's three keep
their codes). Their content is a copy of one template government's rows, table by table:
`INSERT … SELECT` from the template's rows joined with the list of copies, every primary key
and every foreign key between copied tables shifted by `copy number × STRIDE`, the government
column set to the copy's government. Tables without a government column are copied through the
foreign key that leads to one (a process's suppliers through the process, and so on); the
tables a module keeps for the whole platform are left alone. Small tables are copied whole,
large ones in part (a share by primary key), never keeping a row whose parent was left out;
so the foreign-key triggers are off while the copy runs and the order of the tables does not
matter.

What the copies do not get: the datastore's physical tables (a copy's resource points at the
template's table name, so its table pages are not part of the measured set), audit entries and
memberships. The global search rows are copied whole (their object ids shifted), so a few
of them name rows the share left out; the contracting search's word lists are built for each
copy by the module's own indexing function (bench/scale/populate.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from minga.core.search.models import SearchDocument
from minga.core.tenancy.models import Government

DOMAIN_APPS = ("institution", "catalog", "budget", "works", "geo", "procurement")
STRIDE = 1_000_000  # ids of the template stay below this; copy k adds k × STRIDE


@dataclass(frozen=True)
class Plan:
    province_codes: list[str]
    canton_codes: list[str]
    parish_codes: list[str]


def dpa_plan(*, provinces: int = 24, cantons: int = 221, parishes: int = 800, taken: set[str]) -> Plan:
    """INEC-shaped codes: PP, PPCC, PPCCNN; spread evenly; never a code the demo holds."""
    province_codes = [f"{number:02d}" for number in range(1, provinces + 1)]
    canton_codes: list[str] = []
    per_province = -(-cantons // provinces)
    for province in province_codes:
        for number in range(1, per_province + 1):
            if len(canton_codes) < cantons:
                canton_codes.append(f"{province}{number:02d}")
    parish_codes: list[str] = []
    per_canton = -(-parishes // len(canton_codes))
    for canton in canton_codes:
        for number in range(50, 50 + per_canton):
            if len(parish_codes) < parishes:
                parish_codes.append(f"{canton}{number:02d}")
    return Plan(
        [c for c in province_codes if c not in taken],
        [c for c in canton_codes if c not in taken],
        [c for c in parish_codes if c not in taken],
    )


def make_governments(*, actor, plan: Plan) -> list[Government]:
    from minga.core.tenancy.services import government_create

    made = []
    for level, codes, label in (
        ("province", plan.province_codes, "Gobierno Provincial"),
        ("canton", plan.canton_codes, "GAD Municipal"),
        ("parish", plan.parish_codes, "GAD Parroquial"),
    ):
        for code in codes:
            made.append(
                government_create(
                    actor=actor,
                    name=f"{label} {code}",
                    short_name=f"{label.split()[-1]} {code}",
                    slug=f"gad-{code}",
                    level=level,
                    dpa_code=code,
                    is_demo=True,
                )
            )
    return made


def _government_field(model) -> models.ForeignKey | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Government:
            return field
    return None


def copied_models() -> list[type[models.Model]]:
    chosen = [SearchDocument]
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                chosen.append(model)
    return chosen


def _owner_condition(model, chosen: set, template_id: int, depth: int = 0) -> str | None:
    """SQL condition selecting the template's rows of `model`, or None for platform tables."""
    qn = connection.ops.quote_name
    government = _government_field(model)
    if government is not None:
        return f"{qn(model._meta.db_table)}.{qn(government.column)} = {int(template_id)}"
    if depth > 4:
        return None
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model in chosen and field.related_model is not model:
            target = field.related_model
            inner = _owner_condition(target, chosen, template_id, depth + 1)
            if inner is not None:
                return (
                    f"{qn(model._meta.db_table)}.{qn(field.column)} IN (SELECT {qn(target._meta.pk.column)} "
                    f"FROM {qn(target._meta.db_table)} WHERE {inner})"
                )
    return None


class Selection:
    """Which of the template's rows each copy gets: every row of a small table, a share of the
    rows of a large one (by primary key), and never a row whose parent was left out."""

    def __init__(self, chosen: set, template_id: int, *, share_percent: int, small: int, cursor):
        self.chosen, self.template_id, self.share, self.small = chosen, template_id, share_percent, small
        self.cursor = cursor
        self._conditions: dict = {}
        self.sampled: set[str] = set()

    def condition(self, model) -> str | None:
        if model in self._conditions:
            return self._conditions[model]
        self._conditions[model] = None  # guards against cycles
        owner = _owner_condition(model, self.chosen, self.template_id)
        if owner is None:
            return None
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        parts = [owner]
        self_referencing = any(
            isinstance(field, models.ForeignKey) and field.related_model is model
            for field in model._meta.concrete_fields
        )
        # The search index is copied whole: a copy's dataset, unit or work is found as in the template.
        if _is_integer(model._meta.pk) and not self_referencing and model is not SearchDocument:
            self.cursor.execute(f"SELECT count(*) FROM {table} WHERE {owner}")
            if self.cursor.fetchone()[0] > self.small:
                parts.append(f"{table}.{qn(model._meta.pk.column)} % 100 < {self.share}")
                self.sampled.add(model._meta.db_table)
        for field in model._meta.concrete_fields:
            target = field.related_model if isinstance(field, models.ForeignKey) else None
            if target is None or target is model or target not in self.chosen or target is Government:
                continue
            inner = self.condition(target)
            if inner is None:
                continue
            column = f"{table}.{qn(field.column)}"
            parts.append(
                f"({column} IS NULL OR {column} IN (SELECT {qn(target._meta.pk.column)} "
                f"FROM {qn(target._meta.db_table)} WHERE {inner}))"
            )
        self._conditions[model] = " AND ".join(f"({part})" for part in parts)
        return self._conditions[model]


def _shifted(expression: str, field) -> str:
    if isinstance(field, (models.BigAutoField, models.AutoField, models.BigIntegerField, models.IntegerField)):
        return f"({expression} + c.k * {STRIDE})"
    if isinstance(field, models.UUIDField):
        return f"md5({expression}::text || ':' || c.k)::uuid"
    return f"({expression} || ':' || c.k)"


def _globally_unique(model, chosen: set) -> set[str]:
    """Plain columns of the unique sets that do not already differ between copies (a set with
    the government or a shifted key in it does): they get a per-copy suffix."""
    sets = [[field.name] for field in model._meta.concrete_fields if field.unique and not field.primary_key]
    sets += [list(names) for names in model._meta.unique_together]
    sets += [list(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    found = set()
    if model is SearchDocument:  # its object ids are shifted like the keys they name
        return found
    for names in sets:
        fields = [model._meta.get_field(name) for name in names]
        if any(
            isinstance(field, models.ForeignKey)
            and (field.related_model is Government or field.related_model in chosen)
            for field in fields
        ):
            continue
        plain = [field for field in fields if not isinstance(field, models.ForeignKey)]
        # One column of the set is enough to tell the copies apart: an identifier if there is one.
        plain.sort(
            key=lambda field: (not isinstance(field, models.UUIDField), not isinstance(field, models.IntegerField))
        )
        if plain:
            found.add(plain[0].column)
    return found


def _distinct(expression: str, field) -> str:
    if isinstance(field, models.UUIDField):
        return f"md5({expression}::text || ':' || c.k)::uuid"
    if isinstance(field, (models.IntegerField, models.BigIntegerField)):
        return f"({expression} + c.k * {STRIDE})"
    if isinstance(field, models.CharField) and field.max_length:
        suffix = "'-' || c.k"
        return f"(left({expression}, {field.max_length - 6}) || {suffix})"
    return f"({expression} || '-' || c.k)"


def _select_list(model, chosen: set) -> list[tuple[str, str]]:
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = []
    unique = _globally_unique(model, chosen)
    for field in model._meta.concrete_fields:
        source = f"{table}.{qn(field.column)}"
        if field.column in unique and not field.primary_key:
            value = _distinct(source, field)
        elif field.primary_key and not isinstance(field, models.ForeignKey):
            value = _shifted(source, field)
        elif isinstance(field, models.ForeignKey) and field.related_model is Government:
            value = "c.government_id"
        elif isinstance(field, models.ForeignKey) and field.related_model in chosen:
            value = _shifted(source, field.target_field)
        else:
            value = source
        columns.append((qn(field.column), value))
    if model is SearchDocument:  # unique (kind, object_id): object ids are the shifted keys
        columns = [
            (name, f"(({table}.object_id)::bigint + c.k * {STRIDE})::text" if name == qn("object_id") else value)
            for name, value in columns
        ]
    return columns


def copy_content(
    template: Government, copies: list[Government], *, share_percent: int = 5, small: int = 100, stdout=None
) -> dict[str, int]:
    """Copy the template's rows to every government in `copies`: whole tables of up to `small`
    rows, `share_percent` % of larger ones; returns rows written per table."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the scale benchmark runs on PostgreSQL")
    chosen_list = copied_models()
    chosen = set(chosen_list)
    qn = connection.ops.quote_name
    written: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # The selection never keeps a row whose parent it left out, so the foreign-key triggers
        # (millions of deferred checks at commit) are switched off for this transaction only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("CREATE TEMP TABLE bench_copies (k integer, government_id bigint) ON COMMIT DROP")
        rows = [(number, government.pk) for number, government in enumerate(copies, start=1)]
        cursor.executemany("INSERT INTO bench_copies VALUES (%s, %s)", rows)
        selection = Selection(chosen, template.pk, share_percent=share_percent, small=small, cursor=cursor)
        for model in chosen_list:
            condition = selection.condition(model)
            if condition is None:
                continue
            table = qn(model._meta.db_table)
            pk = model._meta.pk
            if _is_integer(pk):
                cursor.execute(f"SELECT coalesce(max({qn(pk.column)}), 0) FROM {table}")
                if cursor.fetchone()[0] >= STRIDE:
                    raise RuntimeError(f"{model._meta.db_table}: ids reach {STRIDE}; raise STRIDE")
            columns = _select_list(model, chosen)
            sql = (
                f"INSERT INTO {table} ({', '.join(name for name, _ in columns)}) "
                f"SELECT {', '.join(value for _, value in columns)} FROM {table} CROSS JOIN bench_copies c "
                f"WHERE {condition}"
            )
            cursor.execute(sql)
            written[model._meta.db_table] = cursor.rowcount
            if stdout and cursor.rowcount:
                stdout.write(f"  {model._meta.db_table}: {cursor.rowcount:,} rows\n")
        for model in chosen_list:
            pk = model._meta.pk
            if _is_integer(pk) and model._meta.db_table in written:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT max({qn(pk.column)}) FROM {qn(model._meta.db_table)}))",
                    [model._meta.db_table, pk.column],
                )
    return written


def _is_integer(field) -> bool:
    return isinstance(field, (models.AutoField, models.BigAutoField)) or (
        isinstance(field, (models.IntegerField, models.BigIntegerField)) and not isinstance(field, models.ForeignKey)
    )
