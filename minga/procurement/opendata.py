"""The contracting processes as an open-data table the catalog publishes (and reloads after
every import): one row per process with its main fields."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataFile, OpenDataTable
from minga.core.tenancy.scoping import government_scope

from . import ocds_out, selectors

COLUMNS = (
    ("ocid", "OCID", "Identificador Open Contracting del proceso.", "text", ""),
    ("titulo", "Título", "Objeto del proceso (tender.title).", "text", ""),
    ("entidad_contratante", "Entidad contratante", "Nombre de la entidad compradora.", "text", ""),
    ("tipo_procedimiento", "Tipo de procedimiento", "Procedimiento LOSNCP reconocido.", "text", ""),
    ("detalle_procedimiento", "Detalle publicado", "procurementMethodDetails tal como se publicó.", "text", ""),
    ("estado", "Estado", "Etapa más avanzada del proceso.", "text", ""),
    ("anio", "Año", "Año del proceso.", "integer", ""),
    ("fecha_ultima_publicacion", "Última publicación", "Fecha de la última entrega (release).", "datetime", ""),
    ("presupuesto_referencial", "Presupuesto referencial", "tender.value.amount.", "number", "USD"),
    ("monto_adjudicado", "Monto adjudicado", "Suma de las adjudicaciones.", "number", "USD"),
    ("monto_contratado", "Monto contratado", "Suma de los contratos.", "number", "USD"),
    ("proveedores", "Proveedores", "Proveedores adjudicados, separados por punto y coma.", "text", ""),
    ("numero_oferentes", "Número de oferentes", "Oferentes que participaron, cuando se publica.", "integer", ""),
    ("alertas", "Alertas", "Número de alertas (banderas rojas) activadas.", "integer", ""),
)


BULK_FILE = "contratacion-ocds.json"


def process_row(process) -> list:
    return [
        process.ocid,
        process.title,
        process.buyer.name if process.buyer_id else "",
        process.procedure.name if process.procedure_id else "",
        process.method_details,
        process.get_stage_display(),
        process.year,
        process.date,
        process.tender_amount,
        process.award_amount,
        process.contract_amount,
        process.supplier_names,
        process.number_of_tenderers,
        process.flag_count,
    ]


def tables(government) -> list[OpenDataTable]:
    def rows():
        with government_scope(government):
            found = selectors.processes(government).select_related("buyer", "procedure").order_by("pk")
            for process in found.iterator(chunk_size=2000):
                yield process_row(process)

    def bulk_ocds() -> bytes:
        with government_scope(government):
            return ocds_out.bulk_package(government)

    with government_scope(government):
        bulk_fits = selectors.processes(government).count() <= settings.PROCUREMENT_BULK_OCDS_MAX_PROCESSES
    bulk = OpenDataFile(BULK_FILE, _("Every process as an OCDS 1.1 record package"), bulk_ocds, "JSON")

    return [
        OpenDataTable(
            key="procurement.processes",
            module="procurement",
            title=_("Contracting processes of %(name)s") % {"name": government.short_name or government.name},
            summary=_(
                "Every contracting process the government published in OCDS, with buyer, procedure, amounts and red flags."
            ),
            description=_(
                "One row per contracting process (OCID), compiled from the government's OCDS releases: "
                "procedure type, status, estimated, awarded and contracted amounts, suppliers and the "
                "number of red flags raised."
            ),
            columns=tuple(
                OpenDataColumn(name, label, description, kind, unit) for name, label, description, kind, unit in COLUMNS
            ),
            rows=rows,
            theme="GOVE",
            keywords=("contratación pública", "OCDS", "SERCOP", "proveedores"),
            frequency="MONTHLY",
            files=(bulk,) if bulk_fits else (),
        )
    ]
