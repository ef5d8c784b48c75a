"""The tile-grid map's names: cut to fit a tile, never into two names that read alike."""

from minga.core.ui.maps import SHORT_NAME_CHARS, TerritoryValue, territory_grid


def _shown(items):
    return {tile["code"]: tile["short"] for tile in territory_grid(items, str)["tiles"]}


def test_long_names_are_cut_to_fit():
    shown = _shown([TerritoryValue("1301", "Portoviejo", 1.0), TerritoryValue("1302", "Bolívar de Calceta", 2.0)])
    assert shown["1301"] == "Portoviejo"
    assert shown["1302"].endswith("…") and len(shown["1302"]) <= SHORT_NAME_CHARS


def test_names_that_would_read_alike_show_their_codes():
    shown = _shown(
        [
            TerritoryValue("130150", "San Vicente de Paúl", 1.0),
            TerritoryValue("130151", "San Vicente del Río", 2.0),
            TerritoryValue("130152", "Riochico", 3.0),
        ]
    )
    assert shown["130150"] != shown["130151"]
    assert shown["130150"].endswith("130150") and shown["130151"].endswith("130151")
    assert shown["130152"] == "Riochico"


def test_counts_get_whole_number_classes_and_fractions_keep_theirs():
    from django.utils import translation

    from minga.core.ui.charts import format_number
    from minga.core.ui.maps import ProvinceValue, province_grid

    with translation.override("es"):
        counts = {
            "13": ProvinceValue("13", "x", 3133),
            "09": ProvinceValue("09", "x", 15000),
            "01": ProvinceValue("01", "x", 7000),
        }
        texts = [entry["text"] for entry in province_grid(counts, format_number)["legend"]]
        assert texts[0] == "3.133 – 5.506" and texts[-1] == "12.627 – 15.000"
        assert all("," not in text for text in texts)  # no "3.133,60 visitors"
        few = {"13": ProvinceValue("13", "x", 1), "09": ProvinceValue("09", "x", 3)}
        assert [entry["text"] for entry in province_grid(few, format_number)["legend"]] == ["1", "2", "3"]
        shares = {"13": ProvinceValue("13", "x", 0.5), "09": ProvinceValue("09", "x", 3.0)}
        assert province_grid(shares, format_number)["legend"][0]["text"] == "0,50 – 1"
