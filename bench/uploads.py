"""Memory and time of uploads built to amplify: pictures that declare far more pixels than
their file size suggests, and an XLSX cédula whose worksheet inflates a thousandfold. Each
case runs in a fresh process and reports the growth of its peak memory (getrusage maxrss).
Run with `python bench/uploads.py` (any checkout: it only calls the works' photo cleaner and
the budget's cédula reader)."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def bomb_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x7f\xa0\xc8" * width
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def camera_jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((width // 64, height // 64), 40).convert("RGB").resize((width, height))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=90)
    return output.getvalue()


def bomb_cedula(megabytes: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CÉDULA DE GASTOS"])
    sheet.append(["Partida", "Denominación", "Asignado", "Codificado", "Devengado"])
    sheet.append(["730811", "Insumos", 100, 100, 70])
    plain = io.BytesIO()
    workbook.save(plain)
    name = "xl/worksheets/sheet1.xml"
    output = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
        head, tag, tail = source.read(name).rpartition(b"</sheetData>")
        with target.open(name, "w") as part:
            part.write(head)
            for _ in range(megabytes):
                part.write(b" " * 1024 * 1024)
            part.write(tag + tail)
    return output.getvalue()


CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minga.settings.test")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
kind, path, copies = sys.argv[2], sys.argv[3], int(sys.argv[4])
data = open(path, "rb").read()
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if kind == "photo":
    from django.conf import settings
    from minga.works.photos import clean_photo
    settings.IMAGE_UPLOAD_MAX_BYTES = max(settings.IMAGE_UPLOAD_MAX_BYTES, len(data))
    def run(n):
        try:
            clean_photo(SimpleUploadedFile(f"foto{n}" + os.path.splitext(path)[1], data), keep_position=False)
            return "accepted"
        except ValidationError:
            return "refused"
else:
    from minga.budget import cedula
    def run(n):
        try:
            cedula.read_table(data, "cedula.xlsx")
            return "accepted"
        except cedula.CedulaFileError:
            return "refused"
before, start = rss(), time.perf_counter()
outcomes = [run(n) for n in range(copies)]
print(json.dumps({"grew_mb": round(rss() - before), "seconds": round(time.perf_counter() - start, 2),
                  "outcomes": sorted(set(outcomes))}))
"""


def main() -> None:
    cases = [
        ("three 8,900 × 8,900 PNG photos", "photo", ".png", lambda: bomb_png(8_900, 8_900), 3),
        ("one 7,745 × 5,164 camera JPEG (40 MP)", "photo", ".jpg", lambda: camera_jpeg(7_745, 5_164), 1),
        ("one 6,324 × 6,324 PNG (40 MP)", "photo", ".png", lambda: bomb_png(6_324, 6_324), 1),
        ("a cédula XLSX inflating to 400 MB", "cedula", ".xlsx", lambda: bomb_cedula(400), 1),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for label, kind, suffix, make, copies in cases:
            path = Path(folder) / f"case{suffix}"
            path.write_bytes(make())
            result = subprocess.run(
                [sys.executable, "-W", "ignore", "-c", CHILD, str(REPO), kind, str(path), str(copies)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            size = path.stat().st_size / 1024
            print(
                f"{label}: file {size:,.0f} KB; peak memory +{figures['grew_mb']} MB; "
                f"{figures['seconds']} s; {', '.join(figures['outcomes'])}"
            )


if __name__ == "__main__":
    main()
