"""The starting names of the budget classifier (MEF, Clasificador presupuestario de ingresos y
gastos): the natures with their direction and cédula, and the groups GADs use most. They are
copied into each government's `ClassifierEntry` rows the first time they are needed, and from
then on they are that government's data: officials rename them and imports add the names
their files carry."""

from __future__ import annotations

# digit -> (name, direction, side)
NATURES = {
    "1": ("Ingresos corrientes", "income", "income"),
    "2": ("Ingresos de capital", "income", "income"),
    "3": ("Ingresos de financiamiento", "financing", "income"),
    "5": ("Gastos corrientes", "expense", "expense"),
    "6": ("Gastos de producción", "expense", "expense"),
    "7": ("Gastos de inversión", "expense", "expense"),
    "8": ("Gastos de capital", "expense", "expense"),
    "9": ("Aplicación del financiamiento", "financing", "expense"),
}

GROUPS = {
    "11": "Impuestos",
    "13": "Tasas y contribuciones",
    "14": "Venta de bienes y servicios",
    "17": "Rentas de inversiones y multas",
    "18": "Transferencias y donaciones corrientes",
    "19": "Otros ingresos",
    "24": "Venta de activos no financieros",
    "27": "Recuperación de inversiones",
    "28": "Transferencias y donaciones de capital e inversión",
    "36": "Financiamiento público",
    "37": "Saldos disponibles",
    "38": "Cuentas pendientes por cobrar",
    "51": "Gastos en personal",
    "53": "Bienes y servicios de consumo",
    "56": "Gastos financieros",
    "57": "Otros gastos corrientes",
    "58": "Transferencias y donaciones corrientes",
    "63": "Bienes y servicios para producción",
    "71": "Gastos en personal para inversión",
    "73": "Bienes y servicios para inversión",
    "75": "Obras públicas",
    "77": "Otros gastos de inversión",
    "78": "Transferencias y donaciones para inversión",
    "84": "Bienes de larga duración",
    "87": "Inversiones financieras",
    "88": "Transferencias y donaciones de capital",
    "96": "Amortización de la deuda pública",
    "97": "Pasivo circulante",
    "99": "Otros pasivos",
}

SUBGROUPS = {
    "1101": "Sobre la renta, utilidades y ganancias de capital",
    "1102": "Sobre la propiedad",
    "1301": "Tasas generales",
    "1304": "Contribuciones",
    "1702": "Rentas por arrendamientos de bienes",
    "1703": "Intereses por mora",
    "1704": "Multas",
    "1806": "Aportes y participaciones corrientes del régimen seccional autónomo",
    "2806": "Aportes y participaciones de capital e inversión del régimen seccional autónomo",
    "3601": "Financiamiento público interno",
    "3602": "Financiamiento público externo",
    "3701": "Saldos en caja y bancos",
    "3801": "Cuentas pendientes por cobrar",
    "5101": "Remuneraciones básicas",
    "5102": "Remuneraciones complementarias",
    "5103": "Remuneraciones compensatorias",
    "5104": "Subsidios",
    "5105": "Remuneraciones temporales",
    "5106": "Aportes patronales a la seguridad social",
    "5107": "Indemnizaciones",
    "5301": "Servicios básicos",
    "5302": "Servicios generales",
    "5303": "Traslados, instalaciones, viáticos y subsistencias",
    "5304": "Instalación, mantenimiento y reparaciones",
    "5305": "Arrendamientos de bienes",
    "5306": "Contrataciones de estudios, investigaciones y servicios técnicos especializados",
    "5307": "Gastos en informática",
    "5308": "Bienes de uso y consumo corriente",
    "5314": "Bienes muebles no depreciables",
    "5601": "Intereses y otros cargos de la deuda pública interna",
    "5602": "Intereses y otros cargos de la deuda pública externa",
    "5701": "Impuestos, tasas y contribuciones",
    "5702": "Seguros, costos financieros y otros gastos",
    "5801": "Transferencias o donaciones corrientes al sector público",
    "5802": "Transferencias o donaciones corrientes al sector privado interno",
    "7101": "Remuneraciones básicas (inversión)",
    "7102": "Remuneraciones complementarias (inversión)",
    "7105": "Remuneraciones temporales (inversión)",
    "7106": "Aportes patronales a la seguridad social (inversión)",
    "7301": "Servicios básicos (inversión)",
    "7302": "Servicios generales (inversión)",
    "7303": "Traslados, instalaciones, viáticos y subsistencias (inversión)",
    "7304": "Instalación, mantenimiento y reparaciones (inversión)",
    "7305": "Arrendamientos de bienes (inversión)",
    "7306": "Contrataciones de estudios, investigaciones y servicios técnicos especializados (inversión)",
    "7307": "Gastos en informática (inversión)",
    "7308": "Bienes de uso y consumo de inversión",
    "7314": "Bienes muebles no depreciables (inversión)",
    "7501": "Obras de infraestructura",
    "7504": "Obras en líneas, redes e instalaciones eléctricas y de telecomunicaciones",
    "7505": "Mantenimiento y reparaciones (obras públicas)",
    "7701": "Impuestos, tasas y contribuciones (inversión)",
    "7702": "Seguros, costos financieros y otros gastos (inversión)",
    "7801": "Transferencias o donaciones para inversión al sector público",
    "7802": "Transferencias o donaciones para inversión al sector privado interno",
    "8401": "Bienes muebles",
    "8402": "Bienes inmuebles",
    "8403": "Expropiaciones de bienes",
    "9601": "Amortización de la deuda pública interna",
    "9602": "Amortización de la deuda pública externa",
    "9701": "Deuda flotante",
}

ITEMS = {
    "110101": "A la renta global",
}


def level_for(code: str) -> int:
    return len(code)


def default_name(code: str) -> str:
    """The starting name of a code, or ""."""
    if len(code) == 1:
        return NATURES.get(code, ("", "", ""))[0]
    return {2: GROUPS, 4: SUBGROUPS, 6: ITEMS}.get(len(code), {}).get(code, "")
