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
}

ITEMS = {
    "110101": "A la renta global",
}


def level_for(code: str) -> int:
    return len(code)
