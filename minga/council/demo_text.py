"""Generated text for the demo's acts: short, realistic-shaped ordinances and resolutions
(exposición de motivos, considerandos, títulos, capítulos, artículos and disposiciones), and
the edits that make their later versions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DemoUnit:
    kind: str
    number: str = ""
    heading: str = ""
    body: str = ""


PREAMBLE = (
    "EL {body}\n\n"
    "CONSIDERANDO:\n\n"
    "Que, el artículo 238 de la Constitución de la República reconoce la autonomía política, administrativa y "
    "financiera de los gobiernos autónomos descentralizados;\n\n"
    "Que, {{faculty}};\n\n"
    "Que, es necesario regular {topic} en el territorio {{adj}};\n\n"
    "En ejercicio de sus atribuciones, EXPIDE la siguiente:"
)


def ordinance_units(topic: str, subject: str, province: str, body: str) -> list[DemoUnit]:
    return [
        DemoUnit("preamble", body=PREAMBLE.format(topic=topic, body=body.upper())),
        DemoUnit("title", "I", "DISPOSICIONES PRELIMINARES"),
        DemoUnit("chapter", "I", "OBJETO Y ÁMBITO"),
        DemoUnit("article", "1", "Objeto", f"La presente ordenanza tiene por objeto regular {topic}."),
        DemoUnit(
            "article",
            "2",
            "Ámbito",
            f"Esta ordenanza se aplica en toda la circunscripción territorial de {province}.",
        ),
        DemoUnit(
            "article",
            "3",
            "Principios",
            "Se aplicarán los principios de participación ciudadana, transparencia, equidad territorial y "
            "sostenibilidad ambiental.",
        ),
        DemoUnit("title", "II", "GESTIÓN"),
        DemoUnit("chapter", "I", "COMPETENCIAS Y FINANCIAMIENTO"),
        DemoUnit(
            "article",
            "4",
            "Órgano responsable",
            f"La Dirección de {subject} del {{government}} será responsable de la aplicación de esta "
            "ordenanza y coordinará con {others}.",
        ),
        DemoUnit(
            "article",
            "5",
            "Financiamiento",
            "Las acciones previstas se financiarán con recursos del presupuesto {adj} y con los aportes de "
            "cooperación que se obtengan.",
        ),
        DemoUnit(
            "article",
            "6",
            "Informe anual",
            "El órgano responsable presentará al Consejo un informe anual de cumplimiento, que se publicará en el "
            "portal institucional.",
        ),
        DemoUnit(
            "general",
            "PRIMERA",
            body="Los casos no previstos en esta ordenanza serán resueltos por el {council}.",
        ),
        DemoUnit(
            "transitory",
            "PRIMERA",
            body="En el plazo de noventa días, el ejecutivo {adj} expedirá el reglamento de esta ordenanza.",
        ),
        DemoUnit(
            "final",
            "ÚNICA",
            body="La presente ordenanza entrará en vigencia a partir de su publicación en la Gaceta Oficial y en el "
            "dominio web institucional.",
        ),
    ]


# The words of each level of government, filled into the demo's titles and texts where
# "{name}" stands (fill_units, fill_text).
LEVEL_WORDS = {
    "province": {
        "adj": "provincial",
        "adjs": "provinciales",
        "government": "Gobierno Provincial",
        "council": "Consejo Provincial",
        "faculty": "el artículo 7 del COOTAD reconoce la facultad normativa de los consejos provinciales",
        "others": "los gobiernos municipales y parroquiales",
        "peer": "la provincia de Esmeraldas",
    },
    "canton": {
        "adj": "municipal",
        "adjs": "municipales",
        "government": "Gobierno Municipal",
        "council": "Concejo Municipal",
        "faculty": "el artículo 7 del COOTAD reconoce la facultad normativa de los concejos municipales",
        "others": "la prefectura y los gobiernos parroquiales",
        "peer": "el cantón Esmeraldas",
    },
    "parish": {
        "adj": "parroquial",
        "adjs": "parroquiales",
        "government": "Gobierno Parroquial",
        "council": "Junta Parroquial",
        "faculty": "el artículo 8 del COOTAD reconoce la capacidad reglamentaria de las juntas parroquiales rurales",
        "others": "la prefectura y el gobierno municipal",
        "peer": "la parroquia Tonsupa",
    },
}


def fill_text(text: str, words: dict[str, str]) -> str:
    for key, value in words.items():
        text = text.replace("{" + key + "}", value)
    return text


def fill_units(units: list[DemoUnit], words: dict[str, str]) -> list[DemoUnit]:
    return [
        DemoUnit(unit.kind, unit.number, fill_text(unit.heading, words), fill_text(unit.body, words)) for unit in units
    ]


def resolution_units(topic: str, body: str) -> list[DemoUnit]:
    return [
        DemoUnit(
            "preamble",
            body=PREAMBLE.format(topic=topic, body=body.upper()).replace("EXPIDE la siguiente", "RESUELVE"),
        ),
        DemoUnit("article", "1", "", f"Aprobar {topic}."),
        DemoUnit("article", "2", "", "Disponer a la Secretaría General la notificación de esta resolución."),
        DemoUnit("final", "ÚNICA", body="La presente resolución entrará en vigencia desde su aprobación."),
    ]


def second_version(units: list[DemoUnit]) -> list[DemoUnit]:
    """The text after the first debate: an article reworded, one added, a transitory provision
    dropped."""
    out = []
    for unit in units:
        if unit.kind == "article" and unit.number == "3":
            out.append(
                DemoUnit(
                    "article",
                    "3",
                    "Principios",
                    "Se aplicarán los principios de participación ciudadana, transparencia, interculturalidad, "
                    "equidad territorial y sostenibilidad ambiental.",
                )
            )
            out.append(
                DemoUnit(
                    "article",
                    "3.1",
                    "Participación",
                    "Los proyectos derivados de esta ordenanza se socializarán en asambleas parroquiales antes de su "
                    "ejecución.",
                )
            )
        elif unit.kind == "transitory":
            continue
        elif unit.kind == "article" and unit.number == "1" and len(units) < 6:
            out.append(
                DemoUnit(
                    "article", "1", "", unit.body.replace("Aprobar", "Aprobar, con las observaciones del informe,")
                )
            )
        else:
            out.append(unit)
    return out


def third_version(units: list[DemoUnit]) -> list[DemoUnit]:
    """The text after the second debate: the financing article reworded and the annual report
    moved before it."""
    articles = [u for u in units if u.kind == "article"]
    by_number = {u.number: u for u in articles}
    out = []
    for unit in units:
        if unit.kind == "article" and unit.number == "5" and "6" in by_number:
            out.append(by_number["6"])
            out.append(
                DemoUnit(
                    "article",
                    "5",
                    "Financiamiento",
                    "Las acciones previstas se financiarán con una asignación anual del presupuesto {adj}, que no "
                    "será inferior al uno por ciento del presupuesto de inversión, y con aportes de cooperación.",
                )
            )
        elif unit.kind == "article" and unit.number == "6":
            continue
        else:
            out.append(unit)
    return out
