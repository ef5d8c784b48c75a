"""The guarded XLSX reader every import uses: zip bombs, lying zip directories, parts read
whole, and worksheets that declare far more cells than they hold."""

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from minga.core import xlsx
from minga.core.testing import xlsx_with_padded_sheet, xlsx_with_part


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(data: bytes, **kwargs):
    return list(xlsx.iter_rows(io.BytesIO(data), **kwargs))


def _sheet(xml_rows: bytes, dimension: bytes = b"A1:B2") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension + b'"/><sheetData>' + xml_rows + b"</sheetData></worksheet>"
    )


def test_rows_of_an_ordinary_workbook():
    assert _rows(_workbook([["Cantón", "Monto"], ["Manta", 12.5]])) == [(1, ("Cantón", "Monto")), (2, ("Manta", 12.5))]


def test_a_worksheet_that_inflates_a_thousandfold_is_refused_before_opening(monkeypatch):
    import openpyxl

    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    bomb = xlsx_with_padded_sheet(_workbook([["a"], [1]]), 50)
    assert len(bomb) < 100_000
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(bomb)
    assert error.value.code == "zip_bomb" and "zip" in str(error.value) and opened == []


def test_total_declared_size_is_capped(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(_workbook([["a"], [1]]))
    assert error.value.code == "xlsx_too_large"
    assert _rows(_workbook([["a"], [1]]), max_uncompressed=10**6) == [(1, ("a",)), (2, (1,))]


def test_parts_read_whole_are_capped_apart_from_the_streamed_worksheets(settings):
    settings.XLSX_MAX_PART_BYTES = 100_000
    strings = xlsx_with_part(
        _workbook([["a"]]), "xl/sharedStrings.xml", [b"<sst>", b"<si><t>x</t></si>" * 10_000, b"</sst>"]
    )
    with pytest.raises(xlsx.XlsxError) as error:
        xlsx.check_archive(io.BytesIO(strings))
    assert error.value.code == "xlsx_too_large" and "sharedStrings" in str(error.value)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, 8000))
    big_sheet = xlsx_with_part(_workbook([["a"]]), "xl/worksheets/sheet1.xml", [_sheet(rows, b"A1:A7999")])
    assert len(_rows(big_sheet)) == 7999


def test_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(xlsx.MAX_ENTRIES + 1):
            archive.writestr(f"x/{number}", b"")
    with pytest.raises(xlsx.XlsxError) as error:
        xlsx.check_archive(buffer)
    assert error.value.code == "zip_bomb"


def test_a_directory_that_understates_a_part_is_never_read_past_it():
    """The directory says the worksheet is 1,000 bytes; it inflates to 5 MB. zipfile stops at
    the declared size and the CRC check fails: an unreadable workbook, not 5 MB of XML."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, 120_000))
    data = bytearray(xlsx_with_part(_workbook([["a"]]), "xl/worksheets/sheet1.xml", [_sheet(rows, b"A1:A119999")]))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        offset = data.find(signature)
        while data[offset + name_at : offset + name_at + len(name)] != name:
            offset = data.find(signature, offset + 4)
        if struct.unpack("<I", data[offset + size_at : offset + size_at + 4])[0] == 0xFFFFFFFF:
            pytest.skip("the part was written with a ZIP64 size")
        data[offset + size_at : offset + size_at + 4] = struct.pack("<I", 1000)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).file_size == 1000
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(bytes(data))
    assert error.value.code == "invalid_xlsx"


def test_a_declared_width_does_not_pad_rows():
    sheet = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', b"A1:XFD1048576")
    assert _rows(xlsx_with_part(_workbook([["a"]]), "xl/worksheets/sheet1.xml", [sheet])) == [(1, (1,))]


def test_cells_far_to_the_right_or_below_stop_the_reading():
    wide = _sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>')
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(xlsx_with_part(_workbook([["a"]]), "xl/worksheets/sheet1.xml", [wide]))
    assert error.value.code == "xlsx_too_large"
    far = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="900000000"><c r="A900000000"><v>2</v></c></row>')
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(xlsx_with_part(_workbook([["a"]]), "xl/worksheets/sheet1.xml", [far]))
    assert error.value.code == "xlsx_too_large"
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(_workbook([[1, 2, 3]] * 10), max_cells=20)
    assert error.value.code == "xlsx_too_large"


def test_not_a_workbook():
    with pytest.raises(xlsx.XlsxError) as error:
        _rows(b"a,b\n1,2\n")
    assert error.value.code == "invalid_xlsx"
