"""What the portal-wide search finds of this module: buyers and suppliers, a few hundred per
government. The contracting search's own word lists are procurement.wordlists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .models import Buyer, Supplier


def _buyers(government):
    return Buyer.objects.filter(government=government)


def _buyer_entry(buyer: Buyer) -> SearchEntry:
    return SearchEntry(
        title=buyer.name,
        url=government_path("procurement:buyer_detail", pk=buyer.pk),
        summary=str(_("Buying entity")),
        body=buyer.identifier,
    )


def _suppliers(government):
    return Supplier.objects.filter(government=government)


def _supplier_entry(supplier: Supplier) -> SearchEntry:
    return SearchEntry(
        title=supplier.name,
        url=government_path("procurement:supplier_detail", pk=supplier.pk),
        summary=str(_("Supplier of the government")),
        body=supplier.identifier,
    )


REGISTRATIONS = (
    SearchRegistration(
        kind="procurement.buyer", module="procurement", label=_("Buyers"), queryset=_buyers, entry=_buyer_entry
    ),
    SearchRegistration(
        kind="procurement.supplier",
        module="procurement",
        label=_("Suppliers"),
        queryset=_suppliers,
        entry=_supplier_entry,
    ),
)
