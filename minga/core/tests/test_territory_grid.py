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
