"""The shared phase machinery (core/phases): which phase is on at a moment and which features
it switches on, at the exact boundaries; validation of an ordered, non-overlapping list inside
its parent's dates; settings checked against a schema; the rules a started vote freezes; and
the features modules declare in their manifests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minga.core.phases import features, locks, settings, timeline
from minga.core.phases.settings import SettingField

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
# The participation module's features stand in for any module's (core reads the manifest).
MODULE = "participation"


@dataclass
class P:
    title: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    features: list[str] = field(default_factory=list)
    position: int | None = None
    settings: dict = field(default_factory=dict)
    pk: int | None = None


def three():
    return [
        P("Propuestas", T0, T0 + 10 * DAY, ["propose"], 1, pk=1),
        P("Votación", T0 + 10 * DAY, T0 + 20 * DAY, ["vote", "comment"], 2, pk=2),
        P("Resultados", T0 + 25 * DAY, T0 + 30 * DAY, ["show_results"], 3, pk=3),
    ]


def test_current_phase_and_features_at_the_boundaries():
    phases = three()
    assert timeline.current_phase(phases, T0 - dt.timedelta(microseconds=1)) is None
    assert timeline.current_phase(phases, T0).title == "Propuestas"  # the start is included
    # The end is excluded: at the very instant one phase ends, the next one is on.
    assert timeline.current_phase(phases, T0 + 10 * DAY).title == "Votación"
    assert timeline.feature_on(phases, "vote", T0 + 10 * DAY)
    assert not timeline.feature_on(phases, "vote", T0 + 10 * DAY - dt.timedelta(seconds=1))
    assert timeline.feature_on(phases, "propose", T0 + 10 * DAY - dt.timedelta(seconds=1))
    # Between two phases nothing is on, and the next phase is known.
    gap = T0 + 22 * DAY
    assert timeline.current_phase(phases, gap) is None and timeline.features_on(phases, gap) == ()
    assert timeline.next_phase(phases, gap).title == "Resultados"
    assert timeline.current_phase(phases, T0 + 30 * DAY) is None
    assert [timeline.state(p, T0 + 12 * DAY) for p in phases] == ["past", "current", "upcoming"]
    assert timeline.feature_started(phases, "vote", T0 + 10 * DAY)
    assert not timeline.feature_started(phases, "vote", T0 + 10 * DAY - dt.timedelta(seconds=1))


def test_ordered_by_position_whatever_the_list_order():
    phases = three()
    assert [p.title for p in timeline.ordered(reversed(phases))] == ["Propuestas", "Votación", "Resultados"]


def test_a_valid_list_has_no_errors():
    assert timeline.phase_errors(three(), starts_at=T0, ends_at=T0 + 30 * DAY, module=MODULE) == {}


def test_validation_names_each_phase_problem():
    phases = three()
    phases[1].starts_at = T0 + 9 * DAY  # overlaps the first
    phases[2].ends_at = T0 + 31 * DAY  # after the parent
    phases[2].features = ["vote", "vote"]
    phases[2].title = ""
    errors = timeline.phase_errors(phases, starts_at=T0, ends_at=T0 + 30 * DAY, module=MODULE)
    assert set(errors) == {1, 2}
    assert "Propuestas" in errors[1]["starts_at"][0]  # the overlap names the phase it runs into
    assert {"title", "ends_at", "features"} <= set(errors[2])
    with translation.override("es"), pytest.raises(timeline.PhaseListError) as caught:
        timeline.validate_phases(phases, starts_at=T0, ends_at=T0 + 30 * DAY, module=MODULE)
    assert caught.value.by_phase == errors
    messages = caught.value.message_dict["phases"]
    # Each message names its phase; one without a title by its number.
    assert messages[0].startswith("Votación: ") and messages[-1].startswith("fase 3: ")


def test_validation_of_dates_positions_and_features():
    phases = [
        P("A", T0 + DAY, T0, ["comment"], 1),
        P("B", None, T0 + 5 * DAY, ["juggle"], 1),
        P("C", T0 - DAY, T0 + DAY, [], 2),
    ]
    errors = timeline.phase_errors(phases, starts_at=T0, ends_at=None, module=MODULE)
    assert "ends_at" in errors[0] and "__all__" in errors[0]  # ends before it starts; position taken twice
    assert "starts_at" in errors[1] and "features" in errors[1]
    assert "starts_at" in errors[2]  # before the parent's start
    too_many = [P(str(i), T0 + i * DAY, T0 + (i + 1) * DAY, [], i + 1) for i in range(timeline.MAX_PHASES + 1)]
    assert timeline.phase_errors(too_many, starts_at=None, ends_at=None, module=MODULE)


def test_out_of_order_positions_are_an_overlap():
    """Positions say the order: a later phase placed first is reported, not silently reordered."""
    phases = [P("Tarde", T0 + 5 * DAY, T0 + 6 * DAY, [], 1), P("Temprano", T0, T0 + DAY, [], 2)]
    errors = timeline.phase_errors(phases, starts_at=None, ends_at=None, module=MODULE)
    assert "starts_at" in errors[1]


SCHEMA = (
    SettingField("threshold", "Umbral", "integer", 0, min_value=0, max_value=100),
    SettingField("hidden", "Oculto", "boolean", False),
    SettingField("level", "Nivel", "choice", "email", choices=(("none", "Ninguno"), ("email", "Correo"))),
    SettingField("note", "Nota", "text", "", max_length=5),
)


def test_settings_are_filled_with_defaults_and_checked():
    assert settings.clean_settings(SCHEMA, {}) == {"threshold": 0, "hidden": False, "level": "email", "note": ""}
    assert settings.clean_settings(SCHEMA, {"threshold": "7", "note": " hola "})["threshold"] == 7
    with pytest.raises(ValidationError) as caught:
        settings.clean_settings(
            SCHEMA, {"threshold": 101, "hidden": "yes", "level": "dna", "note": "demasiado", "color": "red"}
        )
    assert set(caught.value.message_dict) == {"threshold", "hidden", "level", "note", "color"}
    with pytest.raises(ValidationError):
        settings.clean_settings(SCHEMA, {"threshold": True})  # a boolean is not a number
    assert settings.display_value(SCHEMA[2], "none") == "Ninguno"
    assert SCHEMA[0].form_field().max_value == 100 and not SCHEMA[1].form_field().required
    with pytest.raises(ValueError):
        SettingField("x", "X", "colour", None)


def test_features_come_from_the_manifest():
    keys = [feature.key for feature in features.features(MODULE)]
    assert {"propose", "support", "comment", "vote", "show_results", "evaluate"} <= set(keys)
    assert features.locking_keys(MODULE) == {"vote"}
    assert features.features("no-such-module") == ()


LOCKED_SCHEMA = (
    SettingField("votes", "Votos", "integer", 1, locked_by="vote"),
    SettingField("threshold", "Umbral", "integer", 0),
)


def _changes(before, after, now, **kwargs):
    return locks.locked_changes(module=MODULE, now=now, before_phases=before, after_phases=after, **kwargs)


def test_nothing_is_locked_before_the_vote_starts():
    before, after = three(), three()
    after[1].ends_at += DAY
    assert _changes(before, after, T0 + 10 * DAY - dt.timedelta(seconds=1)) == []
    assert locks.locked_features(before, module=MODULE, now=T0) == set()
    assert locks.locked_features(before, module=MODULE, now=T0, opened=["vote"]) == {"vote"}


def test_locked_changes_list_what_would_change():
    now = T0 + 10 * DAY
    before, after = three(), three()
    after[1].ends_at += DAY
    after[1].features = ["vote"]
    after[1].title = "Votación final"  # not a rule
    after[2].features = ["show_results", "vote"]
    found = _changes(
        before,
        after,
        now,
        settings_fields=LOCKED_SCHEMA,
        before_settings={"votes": 1, "threshold": 0},
        after_settings={"votes": 2, "threshold": 5},
    )
    assert [change.field for change in found] == [
        "settings.votes",
        "phase:2.ends_at",
        "phase:2.features",
        "phase:3.features",
    ]
    removed = _changes(before, [before[0], before[2]], now)
    assert [change.field for change in removed] == ["phase:2"]
    new = three() + [P("Segunda vuelta", T0 + 30 * DAY, T0 + 31 * DAY, ["vote"], 4)]
    assert [change.field for change in _changes(before, new, now)] == ["phase:new.features"]
    # Unchanged rules: nothing to refuse.
    assert _changes(before, three(), now, settings_fields=LOCKED_SCHEMA, before_settings={}, after_settings={}) == []
