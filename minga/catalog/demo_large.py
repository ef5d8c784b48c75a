"""A large table for trying the datastore at scale: `minga demo --large` adds one dataset with a
1,000,000-row, 15-column CSV to the first demo government and loads it; the catalog
benchmarks (bench/catalog/) load and query the very same file.

The file is written the way a Spanish-language spreadsheet exports it: `;` between cells,
decimal comma with thousands dot, dd/mm/yyyy dates, latin-1, accents in names, a code column
whose leading zeros make it text, empty cells and "N/D", and a closing TOTAL row. It comes
from a random generator with a fixed seed, so every run writes the same bytes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

ROWS = 1_000_000
SEED = "minga-large-2026"
SLUG = "contratos-y-pagos-historico"
TITLE = "Contratos y pagos: histórico de 1.000.000 registros"

HEADER = [
    "N.º",
    "Código de proceso",
    "Fecha de adjudicación",
    "Cantón",
    "Parroquia",
    "Tipo de contratación",
    "Objeto",
    "Proveedor",
    "RUC proveedor",
    "Monto adjudicado (USD)",
    "IVA (USD)",
    "Cantidad",
    "Avance (%)",
    "Fecha de pago",
    "Pagado",
]
CANTONS = [
    "Portoviejo", "Manta", "Chone", "El Carmen", "Jipijapa", "Montecristi", "Sucre", "Rocafuerte",
    "Santa Ana", "Pedernales", "Tosagua", "Bolívar", "Junín", "Paján", "Pichincha", "24 de Mayo",
    "Flavio Alfaro", "Jama", "Jaramijó", "Olmedo", "Puerto López", "San Vicente",
]  # fmt: skip
PARISH_NAMES = [
    "Abdón Calderón", "Alhajuela", "Crucita", "Pueblo Nuevo", "Riochico", "San Plácido", "Chirijos",
    "Calderón", "Colón", "Andrés de Vera", "Francisco Pacheco", "Simón Bolívar", "Canuto", "Convento",
    "Eloy Alfaro", "Boyacá", "Membrillal", "La Unión", "Lodana", "Honorato Vásquez", "San Isidro",
]  # fmt: skip
KINDS = [
    "Ínfima cuantía", "Subasta inversa electrónica", "Menor cuantía", "Cotización", "Licitación",
    "Catálogo electrónico", "Régimen especial", "Consultoría",
]  # fmt: skip
OBJECTS = [
    "Mantenimiento vial", "Adquisición de materiales de construcción", "Servicio de limpieza",
    "Construcción de alcantarillado", "Reparación de puente", "Compra de combustible",
    "Asfaltado de calles", "Equipamiento de centro de salud", "Señalización de vías",
    "Dotación de agua potable", "Capacitación a productores", "Alquiler de maquinaria pesada",
]  # fmt: skip
SURNAMES = ["Zambrano", "Mendoza", "Vélez", "Cedeño", "Loor", "Muñoz", "García", "Intriago", "Alcívar", "Bravo"]
COMPANY = ["Constructora", "Servicios", "Comercial", "Ingeniería", "Distribuidora", "Consorcio"]


def _number(value: float, decimals: int = 2) -> str:
    """1234567.891 → "1.234.567,89" (Spanish-language spreadsheets)."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def generate_rows(rows: int = ROWS, *, seed: str = SEED):
    """The data rows as lists of cell text, then the closing total row."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    parishes = [(c, p) for c in CANTONS for p in rng.sample(PARISH_NAMES, 4)]
    suppliers = []
    for number in range(2000):
        name = f"{rng.choice(COMPANY)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)} {number + 1}"
        province = rng.choice(("13", "13", "13", "09", "17", "01", "08"))
        suppliers.append((name, f"{province}{rng.randrange(10**8):08d}001"))
    start = dt.date(2015, 1, 1).toordinal()
    total_amount = 0.0
    for number in range(1, rows + 1):
        canton, parish = rng.choice(parishes)
        supplier, ruc = suppliers[int(rng.paretovariate(1.2)) % len(suppliers)]
        kind = rng.choice(KINDS)
        amount = round(rng.lognormvariate(8.5, 1.6), 2)
        total_amount += amount
        awarded = dt.date.fromordinal(start + rng.randrange(3650))
        progress = rng.random()
        paid = progress > 0.95 or (progress > 0.6 and rng.random() < 0.5)
        payment = awarded + dt.timedelta(days=rng.randrange(20, 400)) if paid else None
        yield [
            str(number),
            f"{kind[:3].upper()}-{awarded.year}-{number:07d}",
            awarded.strftime("%d/%m/%Y"),
            canton,
            parish,
            kind,
            f"{rng.choice(OBJECTS)} en {parish}",
            supplier,
            ruc,
            _number(amount),
            _number(amount * 0.15) if rng.random() > 0.1 else "N/D",
            str(rng.randrange(1, 500)),
            _number(min(progress * 105, 100), 1),
            payment.strftime("%d/%m/%Y") if payment else "",
            "Sí" if paid else "No",
        ]
    yield ["TOTAL", "", "", "", "", "", "", "", "", _number(total_amount), "", "", "", "", ""]


def write_csv(path: Path, rows: int = ROWS, *, seed: str = SEED) -> Path:
    """Write the file (latin-1, `;`, CRLF) unless an identical one is already there."""
    path = Path(path)
    done = path.with_name(path.name + ".done")
    stamp = f"{rows}:{seed}:v1"
    if path.exists() and done.exists() and done.read_text() == stamp:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="latin-1", newline="") as handle:
        handle.write(";".join(HEADER) + "\r\n")
        lines = []
        for cells in generate_rows(rows, seed=seed):
            lines.append(";".join(cells))
            if len(lines) >= 10_000:
                handle.write("\r\n".join(lines) + "\r\n")
                lines.clear()
        if lines:
            handle.write("\r\n".join(lines) + "\r\n")
    partial.replace(path)
    done.write_text(stamp)
    return path


def seed_large(government, *, now: dt.datetime, stdout=None, rows: int | None = None) -> None:
    """Create (once) the large dataset in ``government`` and load its table (once)."""
    from django.conf import settings
    from django.core.files import File

    from minga.core.progress.terminal import terminal_progress

    from .datasets import services
    from .datasets.models import Dataset, Theme
    from .tables import services as table_services
    from .tables.models import ResourceLoad

    rows = rows or getattr(settings, "DEMO_LARGE_ROWS", ROWS)
    dataset = Dataset.objects.filter(government=government, slug=SLUG).first()
    if dataset is None:
        services.licences_ensure_defaults(actor=None, government=government)
        path = write_csv(Path(settings.VAR_DIR) / "demo-large" / f"{SLUG}.csv", rows)
        dataset = services.dataset_create(
            actor=None,
            government=government,
            title=TITLE,
            slug=SLUG,
            summary="Procesos de contratación generados para probar consultas, filtros y descargas de tablas grandes.",
            description="Datos generados para la demostración: no son cifras oficiales.",
            publisher="Dirección de Compras Públicas",
            themes=list(Theme.objects.filter(government=government, slug="contratacion")),
            tags=["contratación", "demostración"],
            frequency="NEVER",
            is_published=True,
            now=now,
        )
        with path.open("rb") as handle:
            services.resource_add(
                actor=None,
                government=government,
                dataset=dataset,
                title="Contratos y pagos (CSV)",
                description="Separado por punto y coma, coma decimal, fechas DD/MM/AAAA, latin-1, con fila de TOTAL.",
                file=File(handle, name=f"{SLUG}.csv"),
                now=now,
            )
        # The storage keeps its own copy.
        for leftover in path.parent.glob(f"{SLUG}.csv*"):
            leftover.unlink()
    for resource in dataset.resources.all():
        loaded = ResourceLoad.objects.filter(
            government=government, resource=resource, status=ResourceLoad.Status.SUCCEEDED
        ).exists()
        if loaded:
            message = "large table already loaded"
        else:
            with terminal_progress(stdout, f"catalog · {government.slug}: large table") as shown:
                load = table_services.resource_load_run(
                    government=government, resource=resource, now=now, terminal=shown
                )
            message = f"large table {load.status}, {load.row_count or 0} rows"
        if stdout is not None:
            stdout.write(f"  catalog · {government.slug}: {message}")
