"""Demonstration content (filled below)."""


def seed(government, *, now, stdout=None) -> None:
    return None
