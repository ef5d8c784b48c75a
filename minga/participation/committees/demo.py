"""Demo oversight committees: one on a demo public work (when the works module has one), one on
the last participatory budget process, each with members and a report."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from minga.core.registry import search_links

from ..processes.models import Process
from .models import Committee, Member, Report

MEMBERS = (
    ("María Zambrano", "Coordinadora", "Comité barrial San Pablo"),
    ("José Cedeño", "Secretario", ""),
    ("Ana Mendoza", "Vocal", "Asociación de mujeres emprendedoras"),
)


def _pdf(title: str) -> bytes:
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    if Committee.objects.for_government(government).exists():
        return
    specs = []
    works = search_links(government, "works.project", "", 1)
    if works:
        specs.append(("works.project", works[0].key, works[0].title, "Veeduría ciudadana de la obra"))
    budget = (
        Process.objects.for_government(government)
        .filter(is_published=True, kind=Process.Kind.PARTICIPATORY_BUDGET, ends_at__lt=now)
        .order_by("-ends_at")
        .first()
    )
    if budget is not None:
        specs.append(("participation.process", budget.slug, budget.title, "Veeduría del presupuesto participativo"))
    today = timezone.localtime(now).date()
    for index, (kind, key, title, name) in enumerate(specs):
        committee = Committee.objects.create(
            government=government,
            slug=f"veeduria-demo-{index + 1}",
            name=f"{name}: {title}"[:200],
            description="Conformada en asamblea por ciudadanas y ciudadanos del sector para vigilar la ejecución.",
            object_kind=kind,
            object_key=key,
            object_title=title[:300],
            starts_on=today - dt.timedelta(days=120 + 60 * index),
            ends_on=today + dt.timedelta(days=240),
            status=Committee.Status.ACTIVE,
        )
        Member.objects.bulk_create(
            [
                Member(government=government, committee=committee, name=n, role=r, organisation=o, position=p)
                for p, (n, r, o) in enumerate(MEMBERS, start=1)
            ]
        )
        report = Report(
            government=government,
            committee=committee,
            title="Primer informe de veeduría",
            presented_on=today - dt.timedelta(days=30),
        )
        report.file.save(f"informe-{committee.slug}.pdf", ContentFile(_pdf("Primer informe de veeduria")), save=False)
        report.save()
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: {len(specs)} oversight committees")
