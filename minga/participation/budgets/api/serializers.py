"""Public representations of participatory budgets, their projects and their published
results (never who voted)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ..models import Budget, Project


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class BudgetProjectSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="tally_id", help_text="The project's id on ballots and in the .pb file.")
    links = serializers.SerializerMethodField(help_text="Links to other records: {kind: [key]}.")
    url = serializers.SerializerMethodField(help_text="Address of the project's public page.")

    class Meta:
        model = Project
        fields = ["id", "slug", "title", "description", "cost", "position", "links", "url"]

    def get_links(self, project) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for link in project.links.all():
            found.setdefault(link.kind, []).append(link.key)
        return found

    def get_url(self, project) -> str:
        path = reverse(
            "participation:budget_project", kwargs={"slug": project.budget.process.slug, "project": project.slug}
        )
        return _absolute(self.context.get("request"), path)


class BudgetResultSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(help_text="When the result was published.")
    online_voters = serializers.IntegerField(help_text="Ballots cast online.")
    paper_voters = serializers.IntegerField(help_text="Paper ballots counted.")
    selected = serializers.ListField(
        child=serializers.CharField(), help_text="Project ids funded by the count, in the order they were funded."
    )
    funded = serializers.ListField(child=serializers.CharField(), help_text="Project ids funded after overrides.")
    overrides = serializers.ListField(
        child=serializers.DictField(), help_text="Official decisions against the count: project, action, justification."
    )
    outcome = serializers.DictField(help_text="The tally engine's outcome with the explanation of every project.")
    pabulib_url = serializers.CharField(help_text="Address of the election's .pb file.")


class BudgetSerializer(serializers.ModelSerializer):
    process = serializers.CharField(source="process.slug", help_text="The process's slug.")
    projects = serializers.SerializerMethodField(help_text="The projects on the ballot, in ballot order.")
    result = serializers.SerializerMethodField(help_text="The published result, or null.")
    url = serializers.SerializerMethodField(help_text="Address of the budget's public page.")

    class Meta:
        model = Budget
        fields = [
            "slug",
            "process",
            "title",
            "description",
            "territory_code",
            "territory_name",
            "amount",
            "ballot_kind",
            "min_projects",
            "max_projects",
            "total_points",
            "max_points",
            "method",
            "projects",
            "result",
            "url",
        ]

    def get_projects(self, budget) -> list[dict]:
        projects = [p for p in budget.projects.all()]
        for project in projects:
            project.budget = budget
        return BudgetProjectSerializer(projects, many=True, context=self.context).data

    def get_result(self, budget) -> dict | None:
        from .. import tallying

        result = getattr(budget, "published", None)
        if result is None:
            return None
        overrides = list(budget.overrides.all())
        request = self.context.get("request")
        path = reverse("participation:budget_pabulib", kwargs={"slug": budget.process.slug, "budget": budget.slug})
        return BudgetResultSerializer(
            {
                "published_at": result.published_at,
                "online_voters": result.online_voters,
                "paper_voters": result.paper_voters,
                "selected": result.outcome.get("selected") or [],
                "funded": tallying.winners(result, overrides),
                "overrides": [
                    {"project": o.project.tally_id, "action": o.action, "justification": o.justification}
                    for o in overrides
                ],
                "outcome": result.outcome,
                "pabulib_url": _absolute(request, path),
            }
        ).data

    def get_url(self, budget) -> str:
        path = reverse("participation:budget_detail", kwargs={"slug": budget.process.slug, "budget": budget.slug})
        return _absolute(self.context.get("request"), path)
