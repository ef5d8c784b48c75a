"""Serializers of the budget API. Amounts are decimal strings (no float rounding); balances
and rates are derived from the stages, like on the pages."""

from __future__ import annotations

from rest_framework import serializers

AMOUNT = {"max_digits": 20, "decimal_places": 2, "allow_null": True}


class StagesSerializer(serializers.Serializer):
    asignado = serializers.DecimalField(**AMOUNT)
    reformas = serializers.DecimalField(**AMOUNT)
    codificado = serializers.DecimalField(**AMOUNT)
    certificado = serializers.DecimalField(**AMOUNT, help_text="Null for income lines.")
    comprometido = serializers.DecimalField(**AMOUNT, help_text="Null for income lines.")
    devengado = serializers.DecimalField(**AMOUNT)
    pagado = serializers.DecimalField(**AMOUNT, help_text="Paid (expenses) or collected (income).")
    saldo_por_comprometer = serializers.DecimalField(**AMOUNT, help_text="codificado − comprometido")
    saldo_por_devengar = serializers.DecimalField(**AMOUNT, help_text="codificado − devengado")
    saldo_por_pagar = serializers.DecimalField(**AMOUNT, help_text="devengado − pagado")
    execution_rate = serializers.DecimalField(**AMOUNT, help_text="% ejecución: devengado / codificado × 100")
    commitment_rate = serializers.DecimalField(**AMOUNT, help_text="comprometido / codificado × 100")
    payment_rate = serializers.DecimalField(**AMOUNT, help_text="pagado / devengado × 100")

    def to_representation(self, instance):
        return super().to_representation(instance.as_dict())


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    notes = serializers.CharField()
    cutoffs = serializers.ListField(child=serializers.CharField(), help_text="Published cut-offs, YYYY-MM.")
    latest_cutoff = serializers.CharField()
    expense = StagesSerializer(help_text="Totals of the expense cédula at the latest cut-off.")
    income = StagesSerializer(help_text="Totals of the income cédula at the latest cut-off.")
    url = serializers.CharField()


class LineSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="<year>:<partida>, the key other modules link with.")
    partida = serializers.CharField()
    description = serializers.CharField()
    direction = serializers.CharField(help_text="income, expense or financing")
    nature = serializers.CharField()
    group = serializers.CharField()
    subgroup = serializers.CharField()
    item = serializers.CharField()
    programme_code = serializers.CharField()
    programme_name = serializers.CharField()
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    unit = serializers.CharField()
    funding_code = serializers.CharField()
    funding_name = serializers.CharField()
    dpa_code = serializers.CharField()
    location = serializers.CharField()
    cutoff = serializers.CharField()
    stages = StagesSerializer()
    url = serializers.CharField()

    def to_representation(self, execution):
        line = execution.line
        return {
            "key": line.key,
            "partida": line.partida,
            "description": line.description,
            "direction": line.direction,
            "nature": line.nature_code,
            "group": line.group_code,
            "subgroup": line.subgroup_code,
            "item": line.item_code,
            "programme_code": line.programme_code,
            "programme_name": line.programme_name,
            "project_code": line.project_code,
            "project_name": line.project_name,
            "unit": line.unit_name,
            "funding_code": line.funding_code,
            "funding_name": line.funding_name,
            "dpa_code": line.dpa_code,
            "location": line.location_name,
            "cutoff": self.context.get("cutoff_key") or execution.cutoff.key,
            "stages": StagesSerializer(execution.stages).data,
            "url": self.context["request"].build_absolute_uri(self.context["line_url"](line)),
        }


class HistorySerializer(serializers.Serializer):
    cutoff = serializers.CharField()
    stages = StagesSerializer()


class LineDetailSerializer(LineSerializer):
    history = HistorySerializer(many=True, help_text="The line at each published cut-off, oldest first.")


class AggregateRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    share = serializers.DecimalField(**AMOUNT, help_text="Share of the codificado of all rows, in percent.")
    stages = StagesSerializer()


class AggregateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cutoff = serializers.CharField()
    side = serializers.CharField()
    by = serializers.CharField()
    parent = serializers.CharField()
    totals = StagesSerializer()
    rows = AggregateRowSerializer(many=True)
