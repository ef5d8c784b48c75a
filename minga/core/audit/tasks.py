"""Background jobs of the audit log. The scheduler in `minga worker` runs `verify_audit_chains`
once a day (periodic job `core.verify_audit_chains`)."""

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
