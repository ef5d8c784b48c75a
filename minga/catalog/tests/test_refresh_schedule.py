"""An official chooses when a remote source is checked from plain options (as often as the
dataset's frequency, every day, every week on a day, every month on a day) or, as an expert, a
cron expression; each choice is stored as the cron expression it means and shown back as the
same choice. Radio buttons sit beside their labels inside a fieldset named by its legend."""

import re

import pytest
from django.utils import translation

from minga.core.tenancy.scoping import government_scope

from ..datasets.forms import ResourceForm
from ..refresh import schedules
from . import factories

BASE = {"title": "Obras", "kind": "url", "url": "https://datos.example.org/obras.csv", "auto_refresh": "on", "order": 0}


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ({"schedule": "frequency", "refresh_cron": "0 6 * * 1"}, ""),
        ({"schedule": "daily", "schedule_hour": "7"}, "0 7 * * *"),
        ({"schedule": "weekly", "schedule_hour": "6", "schedule_weekday": "3"}, "0 6 * * 3"),
        ({"schedule": "weekly", "schedule_hour": "22", "schedule_weekday": "0"}, "0 22 * * 0"),
        ({"schedule": "monthly", "schedule_hour": "5", "schedule_day": "15"}, "0 5 15 * *"),
        ({"schedule": "cron", "refresh_cron": " */30  * * * * "}, "*/30 * * * *"),
        ({"refresh_cron": "0 6 * * 1"}, "0 6 * * 1"),  # a form sent without the plain choice
        ({}, ""),
    ],
)
def test_each_plain_choice_is_stored_as_its_cron_expression_and_shown_back(government, choice, expected):
    dataset = factories.dataset(government)
    with government_scope(government):
        form = ResourceForm(data={**BASE, **choice}, government=government, dataset=dataset)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["refresh_cron"] == expected
        shown = schedules.plain_schedule(expected)
        if choice.get("schedule"):
            assert shown["schedule"] == choice["schedule"]
            for key in ("hour", "weekday", "day"):
                if f"schedule_{key}" in choice and shown["schedule"] != "frequency":
                    assert shown[key] == int(choice[f"schedule_{key}"])


def test_an_expert_expression_stays_an_expression_and_a_wrong_one_is_explained(government):
    assert schedules.plain_schedule("15 6 * * 1-5") == {"schedule": "cron"}
    assert schedules.plain_schedule("0 6 31 * *") == {"schedule": "cron"}  # not every month has it
    dataset = factories.dataset(government)
    with government_scope(government), translation.override("en"):
        form = ResourceForm(
            data={**BASE, "schedule": "cron", "refresh_cron": ""}, government=government, dataset=dataset
        )
        assert not form.is_valid() and "refresh_cron" in form.errors
        form = ResourceForm(
            data={**BASE, "schedule": "cron", "refresh_cron": "* * * * *"}, government=government, dataset=dataset
        )
        assert not form.is_valid() and "five minutes" in str(form.errors["refresh_cron"])


def test_the_form_shows_the_stored_schedule_as_radio_buttons_beside_their_labels(government):
    dataset = factories.dataset(government)
    with government_scope(government):
        form = ResourceForm(government=government, dataset=dataset)
        form.instance.refresh_cron = "0 8 * * 5"
        form = ResourceForm(instance=form.instance, government=government, dataset=dataset)
        html = form.render()
    fieldsets = re.findall(r'<fieldset class="choices"><legend>[^<]+</legend>.*?</fieldset>', html, re.S)
    assert any('name="schedule"' in fieldset for fieldset in fieldsets)
    assert any('name="kind"' in fieldset for fieldset in fieldsets)
    # Each radio button inside its own label, with the label's text right after it.
    assert re.search(r'<label for="id_schedule_2"><input type="radio" name="schedule" value="weekly"[^>]*checked', html)
    assert '<option value="8" selected>08:00</option>' in html
    assert '<option value="5" selected>' in html
