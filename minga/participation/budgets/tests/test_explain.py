"""The results page's sentences come from the engine's record of each project."""

from django.utils import translation

from .. import explain
from ..tally import Ballot, Election, Project, Rule, tally


def _outcome(rule):
    election = Election(
        budget=300,
        projects=(Project("1", 200, "Parque"), Project("2", 150, "Aceras"), Project("3", 100, "Luz")),
        ballots=tuple(
            Ballot.approval(str(n), chosen) for n, chosen in enumerate([["1"], ["1", "2"], ["2"], ["3"], []][:4])
        ),
    )
    return tally(election, rule).to_dict()


def test_greedy_reasons_name_rank_and_what_was_left():
    outcome = _outcome(Rule.greedy())
    with translation.override("en"):
        by_id = {p["project_id"]: explain.reasons(p, {}) for p in outcome["projects"]}
        # a tie at two votes: the cheaper first
        assert by_id["2"][0].startswith("Funded")
        assert "number 1" in by_id["2"][1] and "USD 300.00" in by_id["2"][1]
        assert by_id["1"][0].startswith("Not funded") and "USD 150.00" in by_id["1"][1]
        assert by_id["3"][0].startswith("Funded")
        assert any("Greedy by votes" in line for line in explain.summary(outcome))


def test_equal_shares_reasons_in_spanish():
    outcome = _outcome(Rule.equal_shares())
    with translation.override("es"):
        lines = [line for p in outcome["projects"] for line in explain.reasons(p, {"1": "Parque"})]
        assert any("Método de Partes Iguales" in line for line in lines)
        assert any("Partes Iguales" in line for line in explain.summary(outcome))


def test_counts_of_people_are_grouped_as_the_table_above_them():
    """The turnout table writes 1.310; the sentence under it must not say 1310."""
    outcome = _outcome(Rule.equal_shares())
    outcome["voters"] = 1310
    with translation.override("es"):
        line = explain.summary(outcome)[0]
    assert "1.310 personas" in line and "1310" not in line
