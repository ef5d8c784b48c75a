"""The back-office page of a process's results says nothing misleading: no "overall progress:
0 %" while the process has no results, and no "public page" link for a draft process (its
public page answers 404)."""

from __future__ import annotations

import pytest

from minga.core.testing import gov_url, login_verified

from ...tests import factories as process_factories
from . import factories

pytestmark = pytest.mark.django_db


def _page(client, government, process) -> str:
    return client.get(gov_url(government, "participation:office_process_results", pk=process.pk)).content.decode()


def test_no_overall_progress_without_results_and_no_public_link_for_a_draft(client, government, editor):
    login_verified(client, editor)
    draft = process_factories.process(government, slug="borrador", is_published=False)
    page = _page(client, government, draft)
    assert "Avance general" not in page
    assert gov_url(government, "participation:results_tree", slug="borrador") not in page

    published = process_factories.process(government, slug="publicado")
    factories.result(government, published, title="Vialidad", status="ejecucion", progress=40)
    page = _page(client, government, published)
    assert "Avance general: 40&nbsp;%" in page
    assert gov_url(government, "participation:results_tree", slug="publicado") in page


def test_the_list_says_what_is_published(client, government, editor):
    """A column titled just "Publicado" read as if the results were; it is the process."""
    login_verified(client, editor)
    process_factories.process(government, slug="con-resultados", is_published=False)
    html = client.get(gov_url(government, "participation:office_results")).content.decode()
    assert '<th scope="col">Proceso publicado</th>' in html and '<th scope="col">Publicado</th>' not in html
