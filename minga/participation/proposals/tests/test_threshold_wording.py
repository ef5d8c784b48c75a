"""Supports as a person reads them: a proposal past the threshold does not still say it "needs"
the supports it already has, and the map's list says that its number counts supports."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from ..models import Proposal
from . import factories

pytestmark = pytest.mark.django_db


def test_the_supports_box_says_whether_the_threshold_was_reached(client, government):
    process = factories.supporting_process(government, settings={"support_threshold": 2})
    proposal = factories.proposal(government, process)
    url = gov_url(government, "participation:proposal_detail", slug=process.slug, pk=proposal.pk)
    for count, wording in ((1, "Necesita 2 para pasar"), (2, "Alcanzó los 2 que necesitaba"), (9, "Alcanzó los 2")):
        with government_scope(government):
            Proposal.objects.for_government(government).filter(pk=proposal.pk).update(supports_count=count)
        html = client.get(url).content.decode()
        assert wording in html, (count, wording)
        assert ("Necesita 2" in html) == (count < 2)


def test_the_map_list_says_what_its_number_counts(client, government):
    process = factories.supporting_process(government)
    proposal = factories.proposal(government, process, latitude="-0.95", longitude="-80.73")
    with government_scope(government):
        Proposal.objects.for_government(government).filter(pk=proposal.pk).update(supports_count=7)
    html = client.get(gov_url(government, "participation:proposal_map", slug=process.slug)).content.decode()
    assert "· 7 apoyos)" in html
