"""The edit page posted back as a browser would (the page's own fields, disabled ones left
out): "add another phase" gives a blank phase that counts as empty until something is typed
in it, and a second voting round on a process whose voting opened is refused and recorded."""

import re
from html.parser import HTMLParser

import pytest

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..processes.models import Phase, Process

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """The name/value pairs the process form would send."""

    def __init__(self):
        super().__init__()
        self.data = []
        self._textarea = None
        self._select = None
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "process-form":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and "disabled" not in a and a.get("name"):
            t = a.get("type", "text")
            if t in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif t not in ("submit", "file"):
                self.data.append((a["name"], a.get("value", "")))
        if tag == "textarea" and "disabled" not in a:
            self._textarea = [a["name"], ""]
        if tag == "select" and "disabled" not in a:
            self._select = a["name"]
        if tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value")))

    def handle_data(self, d):
        if self._textarea:
            self._textarea[1] += d

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.data.append(tuple(self._textarea))
            self._textarea = None
        if tag == "select":
            self._select = None
        if tag == "form":
            self.in_form = False


def posted(html: str) -> dict[str, list[str]]:
    parser = Fields()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def test_add_a_phase_then_a_second_voting_round_is_refused(client, seeded, editor):
    with government_scope(seeded):
        process = Process.objects.get(slug="consulta-movilidad")
    login_verified(client, editor)
    url = gov_url(seeded, "participation:office_process_edit", pk=process.pk)
    data = posted(client.get(url).content.decode())
    assert "setting_verification_vote" not in data  # disabled: voting has opened
    data["mas_fases"] = ["1"]
    html = client.post(url, data).content.decode()
    assert 'id="phase-form-5"' in html and "field-errors" not in html
    data = posted(html)
    assert data["fases-4-setting_hide_vote_counts"] == ["on"]  # the new blank phase has its defaults
    data["fases-3-title"] = ["Segunda vuelta"]
    data["fases-3-starts_at"] = data["fases-2-starts_at"]
    data["fases-3-ends_at"] = data["fases-2-ends_at"]
    data["fases-3-features"] = ["vote"]
    html = client.post(url, data).content.decode()
    errors = [m.group(1) for m in re.finditer(r'class="(?:field-errors|form-errors)"[^>]*>(.*?)</div>', html, re.S)]
    assert len(errors) == 1 and "Fase «Segunda vuelta»: añade Votar" in errors[0]
    assert AuditEntry.objects.filter(action="participation.process.change_refused").count() == 1
    with government_scope(seeded):
        assert Phase.objects.filter(process=process).count() == 3
    # Posted back unchanged, the same page saves (nothing of the vote changes).
    data = posted(client.get(url).content.decode())
    assert client.post(url, data).status_code == 302
    assert AuditEntry.objects.filter(action="participation.process.change_refused").count() == 1
