"""Background jobs of the audit log. The scheduler in `minga worker` runs `verify_audit_chains`
once a day (periodic job `core.verify_audit_chains`): it verifies every chain and, when the log
is intact, signs the day's checkpoint of chain heads (published at /auditoria/cabezas/)."""

import logging

from django_tasks import task

from .verification import CheckpointRefused, checkpoint_if_intact

logger = logging.getLogger("minga.audit")


@task()
def verify_audit_chains() -> list[str]:
    try:
        checkpoint = checkpoint_if_intact()
    except CheckpointRefused as refused:
        logger.error("audit log NOT intact, no checkpoint signed: %s", "; ".join(refused.problems))
        return [str(problem) for problem in refused.problems]
    # The heads also go to the log, a copy outside the database.
    logger.info(
        "audit log intact; checkpoint %s signed with key %s: %s",
        checkpoint.sequence,
        checkpoint.key_id,
        " ".join(f"{chain}@{sequence}:{digest}" for chain, sequence, digest in checkpoint.heads),
    )
    return []
