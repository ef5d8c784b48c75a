"""Public representations of contracting processes, suppliers and buyers."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .. import selectors
from ..models import Buyer, Process, Supplier


def _absolute(request, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


class BuyerSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Address of the buyer's public page.")

    class Meta:
        model = Buyer
        fields = ["id", "identifier", "name", "url"]

    def get_url(self, buyer) -> str:
        return _absolute(self.context.get("request"), "procurement:buyer_detail", pk=buyer.pk)


class SupplierSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Address of the supplier's public page.")

    class Meta:
        model = Supplier
        fields = ["id", "identifier", "name", "url"]

    def get_url(self, supplier) -> str:
        return _absolute(self.context.get("request"), "procurement:supplier_detail", pk=supplier.pk)


class SupplierYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Processes awarded that year.")
    total = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="Amount awarded that year (USD).")
    share = serializers.DecimalField(
        max_digits=9, decimal_places=4, allow_null=True, help_text="Percent of everything awarded that year."
    )


class SupplierDetailSerializer(SupplierSerializer):
    years = serializers.SerializerMethodField(help_text="Totals by year and share of the government's spending.")

    class Meta(SupplierSerializer.Meta):
        fields = [*SupplierSerializer.Meta.fields, "registered_on", "years"]

    def get_years(self, supplier) -> list[dict]:
        rows = selectors.supplier_years(supplier.government, supplier)
        return SupplierYearSerializer(
            [{**row, "share": round(row["share"], 4) if row["share"] is not None else None} for row in rows], many=True
        ).data


class ProcessSerializer(serializers.ModelSerializer):
    buyer = BuyerSerializer(read_only=True)
    procedure = serializers.SerializerMethodField(help_text="Code and name of the recognised procedure type, or null.")
    status = serializers.CharField(source="stage", help_text="Furthest stage reached.")
    suppliers = serializers.SerializerMethodField(help_text="Names of the awarded suppliers.")
    url = serializers.SerializerMethodField(help_text="Address of the process page.")

    class Meta:
        model = Process
        fields = [
            "ocid",
            "title",
            "buyer",
            "procedure",
            "method",
            "method_details",
            "main_category",
            "status",
            "year",
            "date",
            "tender_start",
            "tender_end",
            "award_date",
            "budget_amount",
            "tender_amount",
            "award_amount",
            "contract_amount",
            "amount",
            "number_of_tenderers",
            "suppliers",
            "flag_count",
            "url",
        ]

    def get_procedure(self, process) -> dict | None:
        if process.procedure_id is None:
            return None
        return {"code": process.procedure.code, "name": process.procedure.name}

    def get_suppliers(self, process) -> list[str]:
        return [name for name in process.supplier_names.split("; ") if name]

    def get_url(self, process) -> str:
        return _absolute(self.context.get("request"), "procurement:process_detail", ocid=process.ocid)


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["fired", "clear", "no_data", "not_applicable"])
    reason = serializers.CharField(help_text="Why, with the figures and thresholds used.")


class ProcessDetailSerializer(ProcessSerializer):
    description = serializers.CharField()
    flags = serializers.SerializerMethodField(help_text="Every indicator with its state; no_data differs from clear.")
    budget_lines = serializers.SerializerMethodField(help_text="Budget lines (year:partida) the process spends.")
    compiled_release = serializers.JSONField(source="compiled", help_text="The OCDS compiled release.")

    class Meta(ProcessSerializer.Meta):
        fields = [*ProcessSerializer.Meta.fields, "description", "flags", "budget_lines", "compiled_release"]

    def get_flags(self, process) -> list[dict]:
        return FlagSerializer(
            [
                {"code": f.code, "name": f.name, "state": f.state, "reason": f.reason}
                for f in selectors.flag_views(process)
            ],
            many=True,
        ).data

    def get_budget_lines(self, process) -> list[str]:
        return selectors.process_budget_keys(process)


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value to send in the facet's parameter.")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Processes with this value among those matching the other filters.")


class FacetSerializer(serializers.Serializer):
    param = serializers.CharField(help_text="The query parameter this facet sets (procedimiento, estado, …).")
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


@extend_schema_serializer(many=False)
class ProcessSearchPageSerializer(serializers.Serializer):
    """One page of the search (count, next, previous, results) with its facet counts, which
    `facetas=0` leaves out."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = FacetSerializer(many=True, required=False)
    results = ProcessSerializer(many=True)
