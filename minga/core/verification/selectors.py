"""Reads about verification, and the checks modules make before a binding action.

    from minga.core.verification import selectors as verification

    verification.level_of(user, government)                  # Level.CENSUS, …
    verification.check(user, government, Level.CENSUS)        # Check(allowed, message, next_url, …)
    verification.require(user, government, Level.CENSUS)      # raises VerificationRequired
    verification.check_action(user, government, "participation.vote", level=process.vote_level)

Levels include the ones below them. A census verification counts while the person is on the
government's live roll (a new roll without them ends it; their territory is the live roll's);
a desk verification counts until it is revoked. With ``territory`` (a DPA code), only
verifications for that territory or a part of it count."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..registry import VerificationAction, manifests
from .levels import NEEDS, Check, Level, VerificationRequired, parse_level
from .models import CensusCode, CensusEntry, CensusRoll, Identity, Verification

# Identities and verifications ------------------------------------------------------------------


def identity_of(user) -> Identity | None:
    """The person's registered identity, or None. Read with the user when the request's user
    came from ``accounts.backends.AccountBackend`` (no query then)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # Only the request's own user, read with its identity a moment ago, is trusted without a
    # query: another instance of the same account may hold an identity moved since.
    if getattr(user, "identity_read_with_user", False) and Identity.user.field.remote_field.is_cached(user):
        return getattr(user, "identity", None)
    return Identity.objects.filter(user=user).first()


def live_roll(government) -> CensusRoll | None:
    return CensusRoll.objects.for_government(government).filter(status=CensusRoll.Status.LIVE).first()


def live_entry(government, cedula_hash: str) -> CensusEntry | None:
    return (
        CensusEntry.objects.for_government(government)
        .filter(roll__status=CensusRoll.Status.LIVE, cedula_hash=cedula_hash)
        .first()
    )


def _covers(code: str, territory: str) -> bool:
    """A verification for ``code`` counts in ``territory`` when it is that territory or inside it
    (parish 130150 is inside canton 1301); no territory asked, any counts."""
    return not territory or bool(code) and code.startswith(territory)


def _government_level(identity: Identity, government, territory: str) -> tuple[Level, str]:
    """The strongest per-government level of the person for this territory, and the territory
    of that verification."""
    rows = (
        Verification.objects.active()
        .filter(government=government, identity=identity)
        .order_by("-level")
        .values_list("level", "territory_code")
    )
    for level, code in rows:
        if level == Level.ASSISTED and _covers(code, territory):
            return Level.ASSISTED, code
        if level == Level.CENSUS:
            entry = live_entry(government, identity.cedula_hash)
            if entry is not None and _covers(entry.territory_code, territory):
                return Level.CENSUS, entry.territory_code
    return Level.NONE, ""


_UNREAD = object()


def level_of(user, government=None, *, territory: str = "", identity=_UNREAD) -> Level:
    """How verified the person is in ``government`` (without one, only the platform-wide levels:
    e-mail and cédula). ``identity``: the person's identity when the caller has read it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Level.NONE
    if identity is _UNREAD:
        identity = identity_of(user)
    if identity is not None:
        if government is not None:
            level, _code = _government_level(identity, government, territory)
            if level:
                return level
        return Level.CEDULA
    return Level.EMAIL if user.is_email_verified else Level.NONE


def _identity_page(next_path: str) -> str:
    url = reverse("core:identity")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def check(user, government, needed, *, territory: str = "", action_label: str = "", next_path: str = "") -> Check:
    """Whether the person reaches ``needed`` in ``government`` (and ``territory``); if not, a
    sentence saying what they need (``action_label`` is said as "to <label>"), what to do next
    and where. ``next_path`` is where the verification pages send the person back to."""
    needed = parse_level(needed)
    identity = identity_of(user) if getattr(user, "is_authenticated", False) and user.is_active else None
    identity_id = identity.pk if identity is not None else None
    identity_hash = identity.cedula_hash if identity is not None else ""
    if identity is not None and needed <= Level.CEDULA:
        # A registered cédula reaches every platform-wide level: the per-government rows
        # (census, desk) are read only when the action asks for one of them.
        return Check(True, needed, Level.CEDULA, territory, identity_id=identity_id, identity_hash=identity_hash)
    current = level_of(user, government, territory=territory, identity=identity)
    if current >= needed:
        return Check(True, needed, current, territory, identity_id=identity_id, identity_hash=identity_hash)
    need = NEEDS[needed]
    if action_label:
        message = _("To %(action)s you need %(need)s.") % {"action": action_label, "need": need}
    else:
        message = _("You need %(need)s.") % {"need": need}
    step, url, label = _next_step(user, government, needed, current, territory, next_path)
    return Check(False, needed, current, territory, message, step, url, label, identity_id, identity_hash)


def _next_step(user, government, needed, current, territory, next_path) -> tuple[str, str, str]:
    verify_label = _("Verify my identity")
    if user is None or not getattr(user, "is_authenticated", False):
        login = reverse("core:login")
        url = f"{login}?{urlencode({'next': next_path})}" if next_path else login
        return _("Sign in, or create an account, and verify your identity."), url, _("Sign in")
    if current < Level.EMAIL:
        return (
            _("Confirm your e-mail address: open the link we sent you, or ask for a new one."),
            reverse("core:profile"),
            _("My account"),
        )
    page = _identity_page(next_path)
    if current < Level.CEDULA:
        return _("Register your cédula: it takes a minute."), page, verify_label
    name = government.name if government is not None else ""
    if needed == Level.CENSUS:
        if territory and level_of(user, government) >= Level.CENSUS:
            return (
                _(
                    "This is for the people of territory %(territory)s, and you are verified for another "
                    "one. If you moved, verify your identity at a desk of %(government)s."
                )
                % {"territory": territory, "government": name},
                page,
                verify_label,
            )
        if government is not None and live_roll(government) is not None:
            return (
                _("Confirm that you are on the census roll of %(government)s: we e-mail you a code.")
                % {"government": name},
                page,
                verify_label,
            )
        return (
            _("%(government)s has not published its census roll yet: you can verify your identity at one of its desks.")
            % {"government": name},
            page,
            verify_label,
        )
    return (
        _("Go to a desk of %(government)s with your cédula: an official verifies your identity there.")
        % {"government": name},
        page,
        verify_label,
    )


def require(user, government, needed, *, territory: str = "", action_label: str = "", next_path: str = "") -> Check:
    """``check``, raising VerificationRequired (a PermissionDenied carrying the check) when the
    person does not reach the level. Services of binding actions call it inside their
    transaction, and store ``check.identity_id`` where one person may act only once."""
    found = check(user, government, needed, territory=territory, action_label=action_label, next_path=next_path)
    if not found.allowed:
        raise VerificationRequired(found)
    return found


# Actions modules declare -----------------------------------------------------------------------


def declared_actions() -> dict[str, VerificationAction]:
    return {action.key: action for manifest in manifests() for action in manifest.actions}


def declared_action(key: str) -> VerificationAction:
    try:
        return declared_actions()[key]
    except KeyError:
        raise ImproperlyConfigured(f"no module declares the verification action {key!r}") from None


def required_level(action_key: str, level=None) -> Level:
    """The level an action needs: the process's own ``level`` when it gives one (never below the
    action's minimum), else the action's default."""
    action = declared_action(action_key)
    if level in (None, ""):
        return action.default_level
    return max(parse_level(level), action.minimum_level)


def level_choices(action_key: str) -> list[tuple[int, str]]:
    """The levels a process may ask for this action (for the module's process form)."""
    action = declared_action(action_key)
    return [(level.value, level.label) for level in Level if level >= action.minimum_level]


def check_action(user, government, action_key: str, *, level=None, territory: str = "", next_path: str = "") -> Check:
    action = declared_action(action_key)
    return check(
        user,
        government,
        required_level(action_key, level),
        territory=territory,
        action_label=str(action.label),
        next_path=next_path,
    )


def require_action(user, government, action_key: str, *, level=None, territory: str = "", next_path: str = "") -> Check:
    found = check_action(user, government, action_key, level=level, territory=territory, next_path=next_path)
    if not found.allowed:
        raise VerificationRequired(found)
    return found


# Pages -----------------------------------------------------------------------------------------


def verifications_of(user) -> list[Verification]:
    """The person's active verifications in every government (their own page)."""
    identity = identity_of(user)
    if identity is None:
        return []
    return list(
        Verification.objects.active()
        .filter(identity=identity)
        .select_related("government")
        .order_by("government__name")
    )


def pending_code(user, government, *, now) -> CensusCode | None:
    return (
        CensusCode.objects.filter(user=user, government=government, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )


def census_rolls(government):
    return CensusRoll.objects.for_government(government).select_related("uploaded_by", "published_by")


def census_roll_get(government, pk: int) -> CensusRoll | None:
    return census_rolls(government).filter(pk=pk).first()


def verification_list(government, *, level=None, state: str = "active", email: str = ""):
    """Verifications made in the government, newest first, for its officials."""
    rows = Verification.objects.filter(government=government).select_related(
        "identity__user", "verified_by", "revoked_by"
    )
    if level:
        rows = rows.filter(level=level)
    if state == "active":
        rows = rows.filter(revoked_at__isnull=True)
    elif state == "revoked":
        rows = rows.filter(revoked_at__isnull=False)
    if email:
        rows = rows.filter(identity__user__email__icontains=email.strip())
    return rows


def verification_get(government, pk: int) -> Verification | None:
    return verification_list(government, state="").filter(pk=pk).first()


def summary(government) -> dict:
    """Figures for the back office's overview."""
    counts = Verification.objects.filter(government=government).aggregate(
        census=Count("pk", filter=Q(level=Level.CENSUS, revoked_at__isnull=True)),
        assisted=Count("pk", filter=Q(level=Level.ASSISTED, revoked_at__isnull=True)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
    )
    rolls = census_rolls(government)
    return {
        **counts,
        "live": rolls.filter(status=CensusRoll.Status.LIVE).first(),
        "waiting": list(rolls.filter(status__in=[CensusRoll.Status.LOADING, CensusRoll.Status.READY])),
    }
