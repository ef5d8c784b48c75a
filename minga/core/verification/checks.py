"""`minga check --deploy`: the identity key must be set, long and not the development key, or
anyone holding the database could reverse the stored cédula hashes."""

from django.core import checks

from .keys import configuration_problems


@checks.register(checks.Tags.security, deploy=True)
def identity_key_check(app_configs, **kwargs):
    return [
        checks.Error(
            problem,
            hint="Set MINGA_IDENTITY_KEY to a random secret of 32+ characters and never change it (docs/deployment.md).",
            id="minga.E111",
        )
        for problem in configuration_problems()
    ]
