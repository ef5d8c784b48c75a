"""Normalising Spanish text for search, in Python. The SQLite engine indexes and queries the
output of `terms()`; the PostgreSQL engine receives the output of `query_words()` and does the
same steps itself (text search configuration `minga_spanish`: unaccent, then the Spanish
Snowball stemmer with its stop words). Both therefore agree: lower-case, diacritics removed,
Spanish stop words dropped, each word reduced to its stem, so "informacion" finds
"Información" and "presupuestos" finds "presupuesto"."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from unidecode import unidecode

MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2

_WORD = re.compile(r"[a-z0-9]+")
_LONG_NUMBER = re.compile(r"\d{6,}")

# The Spanish stop words of Snowball (the list PostgreSQL's spanish_stem dictionary uses).
# PostgreSQL checks them after unaccent, so only their unaccented spellings ever match; the
# same holds here.
_STOP_WORDS_SOURCE = """
de la que el en y a los del se las por un para con no una su al lo como pero sus le ya o este
porque esta entre cuando muy sin sobre me hasta hay donde quien desde todo nos durante todos
uno les ni contra otros ese eso ante ellos e esto antes algunos unos yo otro otras otra tanto
esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis te
ti tu tus ellas nosotras vosostros vosostras os tuyo tuya tuyos tuyas suyo suya suyos suyas
nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy estamos
estemos estaremos estaba estabas estabais estaban estuve estuviste estuvo estuvimos estuvisteis
estuvieron estuviera estuvieras estuvierais estuvieran estuviese estuvieses estuvieseis
estuviesen estando estado estada estados estadas estad he has ha hemos han haya hayas hayamos
hayan habremos hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubierais hubieran
hubiese hubieses hubieseis hubiesen habiendo habido habida habidos habidas soy eres es somos
sois son sea seas seamos sean seremos era eras erais eran fui fuiste fue fuimos fuisteis fueron
fuera fueras fuerais fueran fuese fueses fueseis fuesen sintiendo sentido sentida sentidos
sentidas siente sentid tengo tienes tiene tenemos tienen tenga tengas tengamos tengan tendremos
tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras tuvierais tuvieran tuviese
tuvieses tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened
"""
STOP_WORDS = frozenset(_STOP_WORDS_SOURCE.split())


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("spanish")


def words(text: str) -> list[str]:
    """Lower-case words without diacritics: "Alcaldía 2025" -> ["alcaldia", "2025"]."""
    return _WORD.findall(unidecode(text or "").lower())


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def query_words(text: str) -> list[str]:
    """The words of a query that carry meaning (stop words removed), not yet stemmed."""
    return [word for word in words(text[:MAX_QUERY_LENGTH]) if word not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """Stems of the meaningful words, in order: what the SQLite engine indexes and matches."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


# Query terms at least this long also match longer words of the same start, so "presupuesto"
# (stem "presupuest") finds "Ejecución presupuestaria" (stem "presupuestari").
PREFIX_MIN_LENGTH = 4


def matches_as_prefix(term: str) -> bool:
    return len(term) >= PREFIX_MIN_LENGTH and not term.isdigit()


def index_text(text: str) -> str:
    return " ".join(terms(text))


def title_key(text: str) -> str:
    """The normalised words of a query or a title: a title whose key is the query's is an
    exact title match."""
    return " ".join(terms(" ".join(query_words(text or ""))))


def is_searchable(query: str) -> bool:
    """False for empty, too short or stop-word-only queries: they find nothing and are not
    counted as searches without results."""
    found = query_words(query or "")
    return bool(found) and len("".join(found)) >= MIN_QUERY_LENGTH


def demand_key(query: str) -> str:
    """How a query without results is stored: lower-case words without diacritics, long
    numbers (identity card, phone or case numbers) replaced by "#", at most 200 characters."""
    text = " ".join(words(query[:MAX_QUERY_LENGTH]))
    return _LONG_NUMBER.sub("#", text)[:MAX_QUERY_LENGTH]
