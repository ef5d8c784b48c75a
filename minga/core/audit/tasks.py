"""Background jobs of the audit log. Scheduling is left to the operator (cron or a systemd
timer enqueueing `verify_audit_chains` nightly); `minga worker` runs it."""

import logging

from django_tasks import task

from .services import verify_chains

logger = logging.getLogger("minga.audit")


@task()
def verify_audit_chains() -> list[str]:
    problems = verify_chains()
    if problems:
        logger.error("audit log NOT intact: %s", "; ".join(problems))
    else:
        logger.info("audit log intact")
    return problems
