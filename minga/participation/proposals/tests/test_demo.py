"""The demo: 60 proposals across the demo participatory budgets, with supports whose counts
match the rows, evaluations, one merge and comments; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from ... import demo
from ..models import Proposal, Status, Support

pytestmark = pytest.mark.django_db


def test_demo_proposals(government):
    now = timezone.now().replace(second=0, microsecond=0)
    with government_scope(government):
        demo.seed(government, now=now, stdout=io.StringIO())
        demo.seed(government, now=now, stdout=io.StringIO())
        proposals = Proposal.objects.all()
        assert proposals.count() == 60
        assert proposals.filter(status=Status.MERGED).count() == 1
        assert proposals.filter(status__in=[Status.FEASIBLE, Status.NOT_FEASIBLE]).count() >= 4
        assert proposals.filter(comments_count__gt=0).exists()
        counts = dict(Support.objects.values("proposal_id").annotate(n=Count("pk")).values_list("proposal_id", "n"))
        for proposal in proposals:
            assert proposal.supports_count == counts.get(proposal.pk, 0), proposal.pk
