"""The search service on the database in use (run the suite on SQLite and on PostgreSQL): both
engines must answer these the same way."""

import datetime as dt

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from minga.core.registry import manifest
from minga.core.search import registry, selectors, services, text
from minga.core.search.backends import backend
from minga.core.search.models import SearchDocument, ZeroResultQuery
from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.search.selectors import search
from minga.core.testing import approve_host

pytestmark = pytest.mark.django_db

_ids = iter(range(1, 10_000))


def add(government, title, *, summary="", body="", module="institution", kind=None, object_id=None, url=None):
    object_id = object_id or next(_ids)
    return services.index_entry(
        government=government,
        kind=kind or f"{module}.thing",
        module=module,
        object_id=object_id,
        entry=SearchEntry(title=title, url=url or f"/cosas/{object_id}/", summary=summary, body=body),
    )


def titles(government, query, **kwargs):
    found = search(government=government, query=query, count_zero_results=False, **kwargs)
    return sorted(result.title for group in found.groups for result in group.results)


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Ley Orgánica de Transparencia y Acceso a la Información Pública", "informacion"),
        ("Presupuesto participativo 2026", "presupuestos"),
        ("Alcaldía de Portoviejo", "alcaldia"),
    ],
)
def test_the_examples_of_the_brief(government, stored, query):
    add(government, stored)
    add(government, "Agenda cultural")
    assert titles(government, query) == [stored]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Informacion publica", "Información"),  # accent in the query only
        ("Información pública", "INFORMACIÓN"),
        ("Dirección de Obras Públicas", "direccion obras publicas"),
        ("Participación ciudadana", "participacion"),
        ("Cantón Montecristi", "canton"),
        ("Niñez y adolescencia", "ninez"),
        ("Niñez y adolescencia", "niñez"),
    ],
)
def test_accents_do_not_matter_either_way(government, stored, query):
    add(government, stored)
    assert titles(government, query) == [stored]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Presupuesto", "presupuestos"),
        ("Presupuestos", "presupuesto"),
        ("Proyectos viales", "proyecto vial"),
        ("Ordenanza", "ordenanzas"),
        ("Parroquias rurales", "parroquia rural"),
        ("Cantón", "cantones"),
        ("Autoridades", "autoridad"),
        ("Autoridad", "autoridades"),
        ("Direcciones", "dirección"),
    ],
)
def test_plural_and_singular_find_each_other(government, stored, query):
    add(government, stored)
    assert titles(government, query) == [stored]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Ejecución presupuestaria 2025", "presupuesto"),
        ("Contratación pública", "contrato"),
        ("Información de tránsito", "transito"),
    ],
)
def test_words_of_the_same_family_are_found(government, stored, query):
    """Stems of four letters or more match as prefixes, on both engines."""
    add(government, stored)
    add(government, "Agenda cultural")
    assert titles(government, query) == [stored]


def test_short_and_numeric_terms_match_whole(government):
    add(government, "Informe 2025")
    add(government, "Informe 20251")
    add(government, "Vía a Jama")
    add(government, "Viaje a Jama")
    assert titles(government, "informe 2025") == ["Informe 2025"]
    assert titles(government, "via") == ["Vía a Jama"]


def test_every_meaningful_word_must_match(government):
    add(government, "Presupuesto de obras")
    add(government, "Presupuesto de salud")
    assert titles(government, "presupuesto obras") == ["Presupuesto de obras"]
    # stop words do not have to appear in the text
    assert titles(government, "el presupuesto para las obras") == ["Presupuesto de obras"]


def test_summary_and_body_are_searched_and_titles_rank_first(government):
    add(government, "Agenda", body="Reunión sobre el presupuesto participativo")
    add(government, "Presupuesto participativo")
    add(government, "Rendición de cuentas", summary="Informe del presupuesto ejecutado")
    found = search(government=government, query="presupuesto", count_zero_results=False)
    assert [r.title for r in found.groups[0].results] == [
        "Presupuesto participativo",
        "Rendición de cuentas",
        "Agenda",
    ]
    scores = [r.score for r in found.groups[0].results]
    assert scores == sorted(scores, reverse=True)


def test_a_government_never_finds_another_governments_documents(government, other_government):
    add(government, "Presupuesto de Manabí")
    add(other_government, "Presupuesto del Azuay")
    assert titles(government, "presupuesto") == ["Presupuesto de Manabí"]
    assert titles(other_government, "presupuesto") == ["Presupuesto del Azuay"]
    assert titles(other_government, "manabi") == []


def test_results_are_grouped_by_module_with_totals_and_a_limit(government):
    for n in range(7):
        add(government, f"Unidad de agua {n}", module="institution")
    add(government, "Agua potable: proyecto", module="pruebas")
    add(government, "Sin relación", module="pruebas")
    found = search(government=government, query="agua", limit_per_group=5, count_zero_results=False)
    by_module = {group.module: group for group in found.groups}
    assert set(by_module) == {"institution", "pruebas"}
    assert by_module["institution"].total == 7 and len(by_module["institution"].results) == 5
    assert by_module["institution"].has_more
    assert by_module["pruebas"].total == 1 and not by_module["pruebas"].has_more
    assert by_module["institution"].label == manifest("institution").label
    assert by_module["pruebas"].label == "pruebas"  # no manifest: its key
    assert found.total == 8


def test_groups_can_be_narrowed_and_paged(government):
    for n in range(7):
        add(government, f"Unidad de agua {n}", module="institution")
    add(government, "Agua potable", module="works")
    only = search(government=government, query="agua", modules=["works"], count_zero_results=False)
    assert [group.module for group in only.groups] == ["works"]
    second_page = search(
        government=government,
        query="agua",
        modules=["institution"],
        limit_per_group=5,
        offset=5,
        count_zero_results=False,
    )
    assert len(second_page.groups[0].results) == 2 and second_page.groups[0].total == 7


def test_modules_switched_off_are_not_searched(government):
    add(government, "Unidad de agua", module="institution")
    government.modules = {"institution": {"enabled": False}}
    government.save()
    assert titles(government, "agua") == []


def test_links_are_made_from_government_relative_paths(government, other_government):
    add(government, "Presupuesto", url="/presupuesto/2026/")
    approve_host(other_government, "azuay.example.org")
    add(other_government, "Presupuesto", url="/presupuesto/2026/")
    (ours,) = search(government=government, query="presupuesto").groups[0].results
    (theirs,) = search(government=other_government, query="presupuesto").groups[0].results
    assert ours.link == "/g/manabi/presupuesto/2026/"
    assert theirs.link == "//azuay.example.org/presupuesto/2026/"


@pytest.mark.parametrize("url", ["https://example.org/x", "//example.org/x", "cosas/1/"])
def test_entries_need_a_government_relative_path(government, url):
    with pytest.raises(ValueError):
        add(government, "Presupuesto", url=url)


def test_updating_an_entry_replaces_its_text(government):
    add(government, "Presupuesto", object_id="7")
    add(government, "Agenda", object_id="7")
    assert titles(government, "presupuesto") == []
    assert titles(government, "agenda") == ["Agenda"]
    with scopes_disabled():
        assert SearchDocument.objects.count() == 1


def test_removing_an_object_removes_it_from_results(government):
    add(government, "Presupuesto 2026", kind="institution.unit", object_id="3")
    add(government, "Presupuesto 2025", kind="institution.unit", object_id="4")
    services.remove_object(kind="institution.unit", object_id=3, government=government)
    assert titles(government, "presupuesto") == ["Presupuesto 2025"]
    with scopes_disabled():
        assert not SearchDocument.objects.filter(object_id="3").exists()


def test_another_government_cannot_remove_a_document(government, other_government):
    add(government, "Presupuesto", kind="institution.unit", object_id="3")
    services.remove_object(kind="institution.unit", object_id=3, government=other_government)
    assert titles(government, "presupuesto") == ["Presupuesto"]


@pytest.mark.parametrize(
    "query",
    [
        '"presupuesto',
        "presupuesto*",
        "presupuesto NEAR agenda",
        "NEAR(presupuesto agenda)",
        "-presupuesto",
        "presupuesto -agenda",
        "(presupuesto OR agenda)",
        "presupuesto AND NOT agenda",
        "title:presupuesto",
        "presupuesto'; DROP TABLE core_searchdocument; --",
        "presupuesto & agenda | !obra <-> x:*",
        "^presupuesto",
        "{title}: presupuesto",
        "%_\\",
        "presupuesto \x00",
    ],
)
def test_query_syntax_characters_are_just_text(government, query):
    add(government, "Presupuesto participativo")
    found = search(government=government, query=query)
    assert all(result.title == "Presupuesto participativo" for group in found.groups for result in group.results)


def test_empty_short_and_stop_word_queries_find_nothing_and_are_not_counted(government):
    add(government, "De la agenda")
    for query in ["", "   ", "a", "de la", "*", "-"]:
        assert not search(government=government, query=query)
    assert ZeroResultQuery.objects.count() == 0


def test_searches_without_results_are_counted_per_query_and_day(government, other_government):
    add(government, "Presupuesto")
    day = dt.date(2026, 3, 2)
    search(government=government, query="Parqueaderos", today=day)
    search(government=government, query="  parqueaderos ", today=day)
    search(government=government, query="PARQUEADEROS", today=day)
    search(government=government, query="parqueaderos", today=day + dt.timedelta(days=1))
    search(government=other_government, query="parqueaderos", today=day)
    search(government=government, query="presupuesto", today=day)  # found something
    search(government=government, query="parqueaderos", modules=["institution"], today=day)  # narrowed
    rows = {(row.government_id, row.query, row.day): row.count for row in ZeroResultQuery.objects.all()}
    assert rows == {
        (government.pk, "parqueaderos", day): 3,
        (government.pk, "parqueaderos", day + dt.timedelta(days=1)): 1,
        (other_government.pk, "parqueaderos", day): 1,
    }


def test_counted_searches_hold_no_personal_data(government):
    search(government=government, query="Cédula 1712345678 de Juana", today=dt.date(2026, 3, 2))
    (row,) = ZeroResultQuery.objects.all()
    assert row.query == "cedula # de juana"
    fields = {f.name for f in ZeroResultQuery._meta.get_fields()}
    assert fields == {"id", "government", "query", "day", "count"}


def test_counting_is_an_atomic_increment(government):
    day = dt.date(2026, 3, 2)
    first = services.zero_result_record(government=government, query="parque", day=day)
    ZeroResultQuery.objects.filter(pk=first.pk).update(count=10)  # another process counted meanwhile
    second = services.zero_result_record(government=government, query="parque", day=day)
    assert second.pk == first.pk and second.count == 11


def test_demand_lists_the_most_frequent_queries_of_the_last_90_days(government, other_government):
    today = dt.date(2026, 6, 30)
    for query, day, count in [
        ("parque", today, 3),
        ("parque", today - dt.timedelta(days=10), 4),
        ("bus", today - dt.timedelta(days=89), 5),
        ("viejo", today - dt.timedelta(days=90), 50),
    ]:
        ZeroResultQuery.objects.create(government=government, query=query, day=day, count=count)
    ZeroResultQuery.objects.create(government=other_government, query="ajeno", day=today, count=99)
    demand = selectors.zero_result_demand(government=government, today=today)
    assert [(d.query, d.searches, d.days) for d in demand] == [("parque", 7, 2), ("bus", 5, 1)]


class Thing:
    def __init__(self, pk, government, title, public=True):
        self.pk, self.government, self.title, self.public = pk, government, title, public


@pytest.fixture
def things(monkeypatch):
    """A module registration over plain objects, in place of the modules' real ones."""
    store: list[Thing] = []
    registration = SearchRegistration(
        kind="demo.thing",
        module="demo",
        label="Things",
        queryset=lambda government: [t for t in store if t.government == government and t.public],
        entry=lambda thing: SearchEntry(title=thing.title, url=f"/cosas/{thing.pk}/", summary="Una cosa"),
    )
    monkeypatch.setattr(registry, "registrations", lambda: {"demo.thing": registration})
    return store


def test_index_object_uses_the_registration_and_follows_publication(government, things):
    thing = Thing(1, government, "Plan de desarrollo")
    things.append(thing)
    document = services.index_object(kind="demo.thing", obj=thing)
    assert document.module == "demo" and document.url == "/cosas/1/"
    found = search(government=government, query="desarrollo")
    assert found.groups[0].label == "Things"
    thing.public = False
    assert services.index_object(kind="demo.thing", obj=thing) is None
    assert titles(government, "desarrollo") == []


def test_index_object_of_an_unknown_kind_fails(government, things):
    with pytest.raises(LookupError):
        services.index_object(kind="demo.nothing", obj=Thing(1, government, "x"))


def test_reindex_rebuilds_from_the_registrations(government, other_government, things):
    things.extend([Thing(1, government, "Plan de desarrollo"), Thing(2, other_government, "Plan vial")])
    add(government, "Documento huérfano", kind="gone.kind", module="gone")
    assert titles(government, "plan") == []  # registered objects are not indexed yet
    assert services.reindex() == 2
    assert titles(government, "plan") == ["Plan de desarrollo"]
    assert titles(other_government, "plan") == ["Plan vial"]
    assert titles(government, "huerfano") == []  # nobody registers its kind any more
    things[0].title = "Plan de movilidad"
    assert services.reindex(government) == 1
    assert titles(government, "movilidad") == ["Plan de movilidad"]
    assert titles(other_government, "plan") == ["Plan vial"]


def test_reindex_command(government, things, capsys):
    from django.core.management import call_command

    things.append(Thing(1, government, "Plan de desarrollo"))
    call_command("search_reindex")
    assert titles(government, "desarrollo") == ["Plan de desarrollo"]
    call_command("search_reindex", "--government", government.slug)
    assert "1" in capsys.readouterr().out


def test_sqlite_index_is_rebuilt_after_losing_rows(government, things):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite keeps a separate index")
    thing = Thing(1, government, "Presupuesto")
    things.append(thing)
    services.index_object(kind="demo.thing", obj=thing)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_search_fts")
    assert titles(government, "presupuesto") == []
    services.reindex(government)
    assert titles(government, "presupuesto") == ["Presupuesto"]


def _engine_terms(value: str) -> list[str]:
    """What the engine in use indexes for a text: PostgreSQL's minga_spanish lexemes, or the
    Python normalisation the SQLite engine stores."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT lexeme FROM unnest(to_tsvector('minga_spanish', %s)) ORDER BY lexeme", [value])
            return [row[0] for row in cursor.fetchall()]
    return sorted(set(text.terms(value)))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Información", "informacion"),
        ("ALCALDÍA", "alcaldia"),
        ("presupuestos", "Presupuesto"),
        ("Participación ciudadana", "participacion ciudadanos"),
        ("niñez", "ninez"),
        ("la dirección de las obras", "direccion obras"),
    ],
)
def test_each_engine_reduces_variants_to_the_same_terms(one, other):
    """Stems may differ between Snowball versions (PostgreSQL's own and the Python package),
    which does not matter: each engine indexes and queries with the same one. What matters is
    that both forget accents, case, plurals and stop words."""
    assert _engine_terms(one) == _engine_terms(other) != []
    assert backend().vendor == connection.vendor


def test_stop_words_are_the_ones_postgresql_drops():
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's Spanish stop words")
    sample = sorted(text.STOP_WORDS) + ["más", "está", "él", "sí", "tendría"]
    dropped = [word for word in sample if not _engine_terms(word)]
    assert sorted(dropped) == sorted(word for word in sample if not text.terms(word))


def test_indexing_belongs_to_the_callers_transaction(government):
    from django.db import transaction

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        add(government, "Presupuesto")
        assert titles(government, "presupuesto") == ["Presupuesto"]
        raise Abort
    assert titles(government, "presupuesto") == []
