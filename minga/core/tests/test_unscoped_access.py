"""Government-owned rows are reached only through scoped managers.

This test reads every module under `minga/` (not migrations, not tests) as source and fails on
any unscoped access outside the short allowlist below: `_base_manager`, `scopes_disabled` /
`with_scopes_disabled`, django-scopes' own `scope()` and `.with_scope()` (which take any
government, or none: `None` means no filter at all), `.raw()`, `.extra()`, `RawSQL` and
database cursors. Reading the files
as text is not an import, so core may look at every app.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import minga

ROOT = Path(minga.__file__).resolve().parent
SKIPPED_DIRECTORIES = {"migrations", "tests", "__pycache__"}

HOW_TO_FIX = """\
Government-owned rows are read and written only through scoped managers.
  * One government's rows, whether or not a scope is active:
        Model.objects.for_government(government)
  * Code that works on one government (jobs, commands): run it inside
        with government_scope(government): ...      (minga.core.tenancy.scoping)
  * Raw SQL (cursors, .raw(), .extra(), RawSQL) only where the ORM cannot do it, with the
    government's id in the SQL, and listed in the allowlist with that reason.
  * Truly cross-government code (job queue, scheduler, maintenance, platform-operator pages,
    the audit chain, commands that create governments) may stay unscoped: add an entry
    "dotted.module:function_qualname": "why it must see every government" to ALLOWLIST in
    minga/core/tests/test_unscoped_access.py.
"""

# "dotted.module:qualname" (methods as Class.method, nested functions as outer.inner,
# module level as <module>) -> why this code must reach rows without a government scope.
ALLOWLIST: dict[str, str] = {
    # Tenancy machinery, the audit chain, maintenance.
    "minga.core.tenancy.scoping:<module>": (
        "the one place django-scopes' switch is re-exported, for the functions listed here and tests"
    ),
    "minga.core.tenancy.scoping:government_scope": "the named helper: one government's scope, None refused",
    "minga.core.tenancy.middleware:GovernmentScopeMiddleware.__call__": "the request's government scope",
    "minga.core.tenancy.models:scoped_manager.GovernmentManager.for_government": (
        "the named helper: one government's rows, None refused"
    ),
    "minga.core.tenancy.models:scoped_manager.GovernmentManager.for_governments": (
        "the named helper: several governments' rows, None refused"
    ),
    "minga.core.audit.verification:one_snapshot": (
        "the audit chain: opens the read-only snapshot its verification reads in; reads no rows itself"
    ),
    "minga.core.progress.services:give_up_silent": (
        "crash recovery: progress records left running by a dead process, any government"
    ),
    "minga.core.verification.rolls:recover_loads": (
        "crash recovery: census rolls left loading by a dead process, any government"
    ),
    "minga.core.maintenance:refresh_planner_statistics": "maintenance: ANALYZE of the whole database, reads no rows",
    "minga.core.notifications.services:forget_person": (
        "an account is deleted: the person's own follows and notices go, in every government"
    ),
    # Search engines: SQL the ORM cannot express, bound to one government or to given ids.
    "minga.core.search.backends:SearchBackend.matches": (
        "full-text ranking SQL; bound to one government by d.government_id = %s"
    ),
    "minga.core.search.backends:SearchBackend.object_scores": (
        "full-text ranking SQL; bound to one government by d.government_id = %s"
    ),
    "minga.core.search.backends:SQLiteBackend.index": (
        "SQLite FTS5 rows keyed by the ids of documents the scoped search service passes in"
    ),
    "minga.core.search.backends:SQLiteBackend.remove": "SQLite FTS5 rows of the document ids the search service passes in",
    "minga.core.search.backends:SQLiteBackend.rebuild": (
        "rebuilds the FTS5 index of one government (government_id in the SQL) or of all (maintenance)"
    ),
    # Procurement: bulk SQL for imports of hundreds of thousands of processes.
    "minga.procurement.columns:ProcessColumns.load": (
        "one aggregated SELECT of a government's processes for NumPy; WHERE government_id = %s"
    ),
    "minga.procurement.wordlists:fts_index": (
        "full-text postings of processes the import just wrote for this government "
        "(government_id in the SQL on PostgreSQL, FTS5 rowid = process id on SQLite)"
    ),
    "minga.procurement.wordlists:fts_forget": (
        "removes one government's postings (government_id in the SQL) or the FTS5 rows of given process ids"
    ),
    "minga.procurement.wordlists:government_ids": (
        "one government's process ids (government_id in the SQL), to cut the word lists down to them"
    ),
    "minga.procurement.wordlists:term_ids": (
        "one government's postings (government_id in the SQL); on SQLite the FTS5 match is cut down to "
        "the government's ids before it leaves the engine"
    ),
    "minga.procurement.wordlists:matching_ids": (
        "SQLite FTS5 match over every government's ids, cut down to the government's own ids before "
        "it leaves the engine"
    ),
    "minga.procurement.services:_insert": (
        "bulk INSERT of the rows an import built for one government (its id is in every row)"
    ),
    "minga.procurement.services:_refresh_statistics": (
        "maintenance: ANALYZE of the procurement tables after a large import, reads no rows"
    ),
    "minga.procurement.group_flags:refresh_group_flags": (
        "bulk UPDATE by id of the processes just read through Process.objects.filter(government=...)"
    ),
    "minga.procurement.tasks:import_queued": "job entry point: finds the import run by id before knowing its government",
    "minga.procurement.importing:recover_jobs": "crash recovery: import runs left waiting or running by any government",
    "minga.budget.tasks:_government_of": "job entry point: finds the import by id before knowing its government",
    "minga.budget.importing:recover_jobs": "crash recovery: imports left being read or published by any government",
    "minga.geo.tasks:import_queued": "job entry point: finds the layer import by id before knowing its government",
    "minga.geo.importing:recover_jobs": "crash recovery: layer imports left waiting or running by any government",
    "minga.participation.budgets.voting:_store": (
        "raw SQL: the voter and the ballot in one PostgreSQL statement (the ORM writes one table a "
        "statement); the government's id is a parameter of both rows"
    ),
    "minga.participation.budgets.tasks:count_budget": (
        "job entry point: finds the budget by id before knowing its government"
    ),
    "minga.participation.budgets.counting:recover": (
        "crash recovery: budget counts left queued or running by a dead worker, any government"
    ),
}

# ---- catalog -------------------------------------------------------------------------------
ALLOWLIST.update(
    {
        "minga.catalog.interop.ckan_site:Site.scope": (
            "the platform's CKAN API: one scope over the active governments the site lists, for a harvester"
        ),
        "minga.participation.events.services:send_reminders": (
            "hourly job: finds tomorrow's registrations of every government, then claims each one through "
            "its own government's manager"
        ),
        "minga.catalog.tasks:load_resource": "job entry point: finds the resource by id before knowing its government",
        "minga.catalog.tasks:refresh_resource": "job entry point: finds the resource by id before knowing its government",
        "minga.catalog.tables.load_recovery:fail_interrupted": "crash recovery: loads left running by any government",
        "minga.catalog.tables.load_recovery:fail_interrupted_loads": (
            "crash recovery: loads left running by any government"
        ),
        "minga.catalog.tables.load_recovery:recorded_version": (
            "datastore repair across governments: the version the catalog recorded for a resource id"
        ),
        "minga.catalog.tables.load_recovery:_recorded_unless_busy.recorded": (
            "datastore repair across governments: the version the catalog recorded for a resource id"
        ),
        "minga.catalog.tables.load_recovery:_recorded_subquery": (
            "datastore repair across governments: subquery over the outer resource's loads"
        ),
        "minga.catalog.tables.load_recovery:repair_tables": (
            "crash recovery: compares every datastore table with the catalog, all governments"
        ),
        "minga.catalog.refresh.services:claim_due": "scheduler: claims the due resources of every government",
        "minga.catalog.refresh.sources:_rows_postgres": "reads an external source database, not this platform's tables",
        "minga.catalog.datasets.selectors:search_catalog": (
            ".extra() restricts an already government-filtered queryset to the search hits' ids"
        ),
        "minga.catalog.usage.services:refresh_recent": "scheduler: the daily pass over every government's used datasets",
    }
)

# Packages allowed as a whole. Each key lists the dotted names the package has lived under.
ALLOWED_PACKAGES: dict[tuple[str, ...], str] = {
    ("minga.datastore", "minga.catalog.datastore"): (
        "the datastore library works on the resource tables the catalog names (with its own "
        "connection and SQL), not on government-owned model tables"
    ),
}


@dataclass(frozen=True)
class Use:
    path: str
    module: str
    function: str
    line: int
    what: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.function}"

    def __str__(self) -> str:
        return f"{self.path}:{self.function}:{self.line}: {self.what}"


class _Finder(ast.NodeVisitor):
    UNSCOPED_NAMES = {"scopes_disabled", "with_scopes_disabled", "RawSQL"}

    def __init__(self, path: str, module: str):
        self.path = path
        self.module = module
        self.stack: list[str] = []
        self.uses: list[Use] = []
        # names bound at module level by importing one of UNSCOPED_NAMES, and the uses seen
        self.imported: dict[str, tuple[str, int]] = {}
        self.aliases: dict[str, str] = {}
        self.used_names: set[str] = set()

    def _add(self, node: ast.AST, what: str) -> None:
        function = ".".join(self.stack) or "<module>"
        self.uses.append(Use(self.path, self.module, function, node.lineno, what))

    def _scoped(self, node, name: str) -> None:
        self.stack.append(name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.stack.append(node.name)
        for child in [node.args, *node.body]:
            self.visit(child)
        if node.returns is not None:
            self.visit(node.returns)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._scoped(node, node.name)

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name in self.UNSCOPED_NAMES or (node.module == "django_scopes" and alias.name == "scope"):
                bound = alias.asname or alias.name
                if self.stack:
                    self._add(node, f"imports {alias.name}")
                    self.used_names.add(bound)
                else:
                    self.imported[bound] = (alias.name, node.lineno)
                self.aliases[bound] = alias.name

    def visit_Name(self, node):
        if node.id in self.aliases or node.id in self.UNSCOPED_NAMES:
            self.used_names.add(node.id)
            self._add(node, self.aliases.get(node.id, node.id))

    def visit_Attribute(self, node):
        if node.attr == "_base_manager":
            self._add(node, "_base_manager")
        elif node.attr in self.UNSCOPED_NAMES:
            self._add(node, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute):
            if node.func.attr in {"raw", "extra"}:
                self._add(node, f".{node.func.attr}()")
            elif node.func.attr == "with_scope":
                self._add(node, ".with_scope() (any scope, None included: use for_government / for_governments)")
            elif node.func.attr in {"cursor", "Cursor"}:
                self._add(node, "database cursor")
        elif isinstance(node.func, ast.Name) and node.func.id == "Cursor":
            self._add(node, "database cursor")
        self.generic_visit(node)

    def finish(self) -> list[Use]:
        # A module-level import that nothing in the module uses re-exports the switch.
        for bound, (name, line) in self.imported.items():
            if bound not in self.used_names:
                self.uses.append(Use(self.path, self.module, "<module>", line, f"re-exports {name}"))
        return sorted(self.uses, key=lambda use: use.line)


def find_uses(source: str, path: str = "<string>", module: str = "example") -> list[Use]:
    finder = _Finder(path, module)
    finder.visit(ast.parse(source, filename=path))
    return finder.finish()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_uses() -> list[Use]:
    uses = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts[:-1]):
            continue
        relative = str(path.relative_to(ROOT.parent))
        uses.extend(find_uses(path.read_text(encoding="utf-8"), relative, _module_name(path)))
    return uses


def _allowed_package(module: str) -> tuple[str, ...] | None:
    for names in ALLOWED_PACKAGES:
        if any(module == name or module.startswith(name + ".") for name in names):
            return names
    return None


def check(uses: list[Use], allowlist: dict[str, str], packages=ALLOWED_PACKAGES) -> tuple[list[Use], list[str]]:
    """The uses not allowed, and the allowlist entries that match no use."""
    violations = [
        use
        for use in uses
        if use.key not in allowlist
        and not any(use.module == name or use.module.startswith(name + ".") for names in packages for name in names)
    ]
    used_keys = {use.key for use in uses}
    stale = [key for key in allowlist if key not in used_keys]
    for names in packages:
        if not any(use.module == n or use.module.startswith(n + ".") for use in uses for n in names):
            stale.append(" / ".join(names))
    return violations, stale


def test_no_unscoped_access_outside_the_allowlist():
    violations, stale = check(all_uses(), ALLOWLIST)
    message = []
    if violations:
        message.append("Unscoped access outside the allowlist:")
        message.extend(f"  {use}" for use in violations)
        message.append("")
        message.append(HOW_TO_FIX)
    if stale:
        message.append("Allowlist entries that no longer match any use (delete them, keep the list short and true):")
        message.extend(f"  {key}" for key in stale)
    assert not message, "\n".join(message)


def test_every_allowlist_entry_gives_a_reason():
    for key, reason in [*ALLOWLIST.items(), *ALLOWED_PACKAGES.items()]:
        assert isinstance(reason, str) and len(reason.split()) >= 3, key
    for key in ALLOWLIST:
        module, _, function = key.partition(":")
        assert module.startswith("minga") and function, key


VIOLATION = """
from django_scopes import scopes_disabled as everything
from django.db import connection
from django.db.models.expressions import RawSQL


class Publisher:
    def rename(self, government, unit):
        return Unit._base_manager.get(pk=unit.pk)


def report():
    with everything():
        pass
    with connection.cursor() as cursor:
        cursor.execute("select 1")
    Unit.objects.raw("select * from institution_unit")
    Unit.objects.extra(where=["1=1"]).annotate(x=RawSQL("1", []))


def allowed_job():
    return Job._base_manager.all()
"""


def test_the_checker_reports_a_deliberate_violation():
    uses = find_uses(VIOLATION, "minga/example.py", "minga.example")
    violations, stale = check(uses, {"minga.example:allowed_job": "the job queue"}, packages={})
    reported = {(use.function, use.what) for use in violations}
    assert ("Publisher.rename", "_base_manager") in reported
    assert ("report", "scopes_disabled") in reported
    assert ("report", "database cursor") in reported
    assert ("report", ".raw()") in reported
    assert ("report", ".extra()") in reported
    assert ("report", "RawSQL") in reported
    assert not any(use.function == "allowed_job" for use in violations)
    assert stale == []
    assert "minga/example.py:Publisher.rename:9: _base_manager" in {str(use) for use in violations}


def test_the_checker_reports_django_scopes_own_scope_and_with_scope():
    source = (
        "from django_scopes import scope\n"
        "def widen(governments):\n"
        "    with scope(government=governments):\n"
        "        return list(Dataset.objects.all())\n"
        "def anyone(government):\n"
        "    return Dataset.objects.with_scope(government=government)\n"
    )
    reported = {(use.function, use.what.split(" ")[0]) for use in find_uses(source, "minga/y.py", "minga.y")}
    assert ("widen", "scope") in reported
    assert ("anyone", ".with_scope()") in reported


def test_the_checker_reports_stale_entries_and_re_exports():
    uses = find_uses("from django_scopes import scopes_disabled\n", "minga/x.py", "minga.x")
    assert [(use.function, use.what) for use in uses] == [("<module>", "re-exports scopes_disabled")]
    violations, stale = check([], {"minga.x:gone": "a function that was removed"}, packages={("minga.lib",): "r"})
    assert violations == []
    assert stale == ["minga.x:gone", "minga.lib"]
