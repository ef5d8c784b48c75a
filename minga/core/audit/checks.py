"""`minga check --deploy`: the audit log's key must be set, well formed and not the
development key, or the log of a deployment can be recomputed by anyone."""

from django.core import checks

from .keys import configuration_problems


@checks.register(checks.Tags.security, deploy=True)
def audit_key_check(app_configs, **kwargs):
    return [
        checks.Error(
            problem,
            hint="Set MINGA_AUDIT_KEY='<key id>:<random secret of 32+ characters>' (docs/deployment.md).",
            id="minga.E101",
        )
        for problem in configuration_problems()
    ]
