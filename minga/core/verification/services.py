"""Writes about people's identities: a person registers their cédula, confirms with a code that
they are on a government's census roll, or is verified by an official at a desk; officials
revoke verifications; deleting an account lets its cédula go.

No function here stores, logs or audits a cédula number: only its keyed hash is kept, and
audit entries name the account and the identity by id. Officials' actions are recorded in
the government's audit chain; a person's own registration, and any refused attempt to
register a cédula that another account holds (possible impersonation), in the platform's."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import ratelimit
from ..accounts.models import User
from ..audit import services as audit
from . import cedula, emails, keys, selectors
from .levels import Level
from .models import CensusCode, Identity, Verification

logger = logging.getLogger("minga.verification")

CLAIM_PREFIX = "minga:cedula-claim:v1"
CODE_PREFIX = "minga:census-code:v1"
ATTEMPT_NOTICE_KEY = "minga:cedula-attempt-notice:v1:{identity}"


def field_error(field: str, message: str, code: str) -> ValidationError:
    """An error on one field of the form, with a code tests and callers can tell apart."""
    return ValidationError({field: ValidationError(message, code=code)})


def _valid_number(value: str, *, field: str = "cedula") -> str:
    number = cedula.normalise(value)
    problem = cedula.problem(number)
    if problem:
        raise field_error(
            field, _("This is not a valid cédula: %(reason)s.") % {"reason": cedula.reason_text(problem)}, problem
        )
    return number


def _throttled(decision: ratelimit.Decision, text: str) -> ValidationError:
    minutes = max(1, -(-decision.retry_after // 60))
    return ValidationError(
        text
        + " "
        + ngettext("Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes)
        % {"minutes": minutes},
        code="throttled",
    )


def taken_message() -> str:
    return _(
        "This cédula is already registered to another account. If it is yours, go to a desk of your "
        "government with your cédula: an official checks it and links it to this account. The attempt "
        "has been recorded."
    )


# A person registers their cédula ---------------------------------------------------------------


def identity_claim(*, user: User, number: str, now: dt.datetime) -> Identity:
    """Link the account to the cédula ``number``: one cédula, one account, platform-wide.
    Raises ValidationError when the e-mail is not confirmed, the number is not a cédula, the
    account already has another cédula, or another account holds this one (recorded in the
    audit log and told to that account's owner, never to the one who typed it)."""
    if not user.is_email_verified:
        raise ValidationError(_("Confirm your e-mail address first: open the link we sent you."), code="email")
    number = _valid_number(number)
    decision = ratelimit.hit(f"{CLAIM_PREFIX}:{user.pk}", limit=settings.CEDULA_CLAIMS_PER_HOUR, window=3600)
    if not decision.allowed:
        raise _throttled(decision, _("You tried too many cédula numbers."))
    outcome, identity = _claim(user=user, hashed=keys.cedula_hash(number), now=now)
    if outcome == "other":
        raise ValidationError(
            _(
                "Your account is already linked to another cédula. If that one is wrong, go to a desk of "
                "your government with your cédula to correct it."
            ),
            code="other_cedula",
        )
    if outcome == "taken":
        # Recorded in a transaction of its own: the refusal must stay on record.
        audit.record(
            actor=user,
            government=None,
            action="core.identity.claim_refused",
            obj=user,
            changes={"identity": [None, getattr(identity, "pk", None)], "reason": [None, "held by another account"]},
            now=now,
        )
        _tell_holder(identity, now)
        raise ValidationError(taken_message(), code="taken")
    return identity


def _mine(user: User) -> Identity | None:
    return Identity.objects.select_for_update().filter(user=user).first()


def _holder(hashed: str) -> Identity | None:
    return Identity.objects.select_for_update().filter(cedula_hash=hashed).first()


@transaction.atomic
def _claim(*, user: User, hashed: str, now: dt.datetime) -> tuple[str, Identity | None]:
    """("linked" | "already" | "other" | "taken", identity). The unique hash decides between two
    accounts registering one cédula at the same moment: the second insert fails, and is told
    the cédula is taken."""
    mine = _mine(user)
    if mine is not None:
        return ("already" if mine.cedula_hash == hashed else "other"), mine
    holder = _holder(hashed)
    if holder is not None and holder.user_id is not None:
        return "taken", holder
    if holder is not None:  # let go by a deleted account: the same person coming back
        holder.user, holder.linked_at = user, now
        holder.full_clean()
        holder.save(update_fields=["user", "linked_at"])
        identity, relinked = holder, True
    else:
        identity = Identity(cedula_hash=hashed, user=user, method=Identity.Method.ONLINE, created_at=now, linked_at=now)
        identity.full_clean(validate_unique=False)  # the database decides, also between two at once
        try:
            with transaction.atomic():
                identity.save(force_insert=True)
        except IntegrityError:
            return _after_conflict(user=user, hashed=hashed)
        relinked = False
    audit.record(
        actor=user,
        government=None,
        action="core.identity.registered",
        obj=user,
        changes={"identity": [None, identity.pk], "relinked": [None, relinked]},
        now=now,
    )
    return "linked", identity


def _after_conflict(*, user: User, hashed: str) -> tuple[str, Identity | None]:
    """Another transaction registered this cédula, or another cédula for this account, between
    our reads and our insert (it has committed: the insert waited for it)."""
    holder = Identity.objects.filter(cedula_hash=hashed).first()
    if holder is not None and holder.user_id == user.pk:
        return "already", holder
    mine = Identity.objects.filter(user=user).first()
    if mine is not None:
        return "other", mine
    return "taken", holder


def _tell_holder(identity: Identity | None, now: dt.datetime) -> None:
    """E-mail the account holding the cédula that someone tried to register it (at most once a
    day): they are the one who can tell whether it was them with another account."""
    if identity is None or identity.user_id is None:
        return
    if not cache.add(ATTEMPT_NOTICE_KEY.format(identity=identity.pk), 1, timeout=24 * 3600):
        return
    holder = User.objects.filter(pk=identity.user_id, is_active=True).first()
    if holder is not None and holder.is_email_verified:
        emails.send_claim_attempt_notice(holder, when=now)


def identity_release(*, user: User, now: dt.datetime) -> None:
    """The account is being deleted: its cédula is let go (the identity stays, so that what the
    person did once still counts once, and they can link the cédula to a new account), its
    verifications are revoked and its codes deleted."""
    identity = Identity.objects.select_for_update().filter(user=user).first()
    CensusCode.objects.filter(user=user).delete()
    if identity is None:
        return
    _revoke_all(identity, reason=_("The account was deleted."), actor=None, now=now)
    identity.user, identity.linked_at = None, None
    identity.save(update_fields=["user", "linked_at"])


def _revoke_all(identity: Identity, *, reason: str, actor, now: dt.datetime) -> list[int]:
    revoked = list(Verification.objects.active().filter(identity=identity).values_list("pk", flat=True))
    Verification.objects.filter(pk__in=revoked).update(revoked_at=now, revoked_by=actor, revoke_reason=reason[:500])
    return revoked


# The census roll and its code ------------------------------------------------------------------


def census_code_send(*, user: User, government, now: dt.datetime) -> CensusCode:
    """E-mail a one-time code to a person whose registered cédula is on the government's live
    roll. Earlier codes stop working. Limited to CENSUS_CODES_PER_HOUR per person and
    government."""
    identity = _ready_for_census(user, government)
    decision = ratelimit.hit(
        f"{CODE_PREFIX}:{user.pk}:{government.pk}", limit=settings.CENSUS_CODES_PER_HOUR, window=3600
    )
    if not decision.allowed:
        raise _throttled(decision, _("We already sent you several codes."))
    roll = selectors.live_roll(government)
    if roll is None:
        raise ValidationError(
            _("%(government)s has not published a census roll yet. You can verify your identity at one of its desks.")
            % {"government": government.name},
            code="no_roll",
        )
    if selectors.live_entry(government, identity.cedula_hash) is None:
        raise ValidationError(
            _(
                "Your cédula is not on the census roll of %(government)s. If you live there, go to one "
                "of its desks with your cédula and a document that shows your address."
            )
            % {"government": government.name},
            code="not_on_roll",
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    nonce = secrets.token_hex(16)
    minutes = settings.CENSUS_CODE_MINUTES
    with transaction.atomic():
        CensusCode.objects.filter(user=user, government=government, used_at__isnull=True).delete()
        record = CensusCode(
            user=user,
            government=government,
            identity=identity,
            roll=roll,
            nonce=nonce,
            code_hash=keys.code_hash(code, nonce),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        record.full_clean()
        record.save()
        transaction.on_commit(lambda: emails.send_census_code(user, government=government, code=code, minutes=minutes))
    return record


def _ready_for_census(user: User, government) -> Identity:
    if not user.is_email_verified:
        raise ValidationError(_("Confirm your e-mail address first: the code is sent there."), code="email")
    identity = Identity.objects.filter(user=user).first()
    if identity is None:
        raise ValidationError(_("Register your cédula first."), code="no_cedula")
    if selectors.level_of(user, government) >= Level.CENSUS:
        raise ValidationError(
            _("You are already verified in %(government)s.") % {"government": government.name}, code="already"
        )
    return identity


def census_code_check(*, user: User, government, code: str, now: dt.datetime) -> Verification:
    """Verify the person at the census level if ``code`` is the code last sent to them for the
    government. Every try counts (even when the answer is an error); after CENSUS_CODE_ATTEMPTS
    the code is dead."""
    code = re.sub(r"\s+", "", code or "")
    record = (
        CensusCode.objects.filter(user=user, government=government, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if record is None or record.expires_at <= now:
        raise field_error("code", _("This code has expired or was replaced. Ask for a new one."), "expired")
    limit = settings.CENSUS_CODE_ATTEMPTS
    # Counted before the comparison, by one conditional update: parallel tries cannot all pass.
    counted = CensusCode.objects.filter(pk=record.pk, used_at__isnull=True, attempts__lt=limit).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise field_error("code", _("Too many wrong codes. Ask for a new one."), "attempts")
    if not hmac.compare_digest(keys.code_hash(code, record.nonce), record.code_hash):
        left = max(0, limit - record.attempts - 1)
        raise field_error(
            "code",
            ngettext(
                "That is not the code we sent. %(left)d try left.",
                "That is not the code we sent. %(left)d tries left.",
                left,
            )
            % {"left": left},
            "wrong",
        )
    return _census_verify(user=user, government=government, record=record, now=now)


@transaction.atomic
def _census_verify(*, user: User, government, record: CensusCode, now: dt.datetime) -> Verification:
    if not CensusCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now):
        raise field_error("code", _("This code was already used."), "used")
    identity = Identity.objects.select_for_update().filter(pk=record.identity_id, user=user).first()
    if identity is None:
        raise field_error("code", _("Your cédula changed since the code was sent. Ask for a new one."), "changed")
    # The roll may have been replaced since the code was sent: the live one decides.
    roll = selectors.live_roll(government)
    entry = selectors.live_entry(government, identity.cedula_hash) if roll is not None else None
    if entry is None:
        raise field_error(
            "code",
            _("Your cédula is no longer on the census roll of %(government)s.") % {"government": government.name},
            "not_on_roll",
        )
    existing = Verification.objects.active().filter(government=government, identity=identity, level=Level.CENSUS)
    found = existing.first()
    if found is not None:
        return found
    verification = Verification(
        government=government,
        identity=identity,
        level=Level.CENSUS,
        territory_code=entry.territory_code,
        roll=roll,
        on_roll=True,
        created_at=now,
    )
    verification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            verification.save(force_insert=True)
    except IntegrityError:  # the same person confirming twice at once: one verification
        return existing.get()
    return verification


# A desk ----------------------------------------------------------------------------------------


def desk_verify(
    *,
    actor: User,
    government,
    user: User,
    number: str,
    place: str,
    territory_code: str = "",
    note: str = "",
    relink: bool = False,
    now: dt.datetime,
) -> Verification:
    """An official saw the person and their cédula: verify the account at the desk level in
    this government. Where the government has a live census roll and the cédula is not on it,
    the official writes in ``note`` what proved the person lives here. When the cédula is held
    by another account, or the account by another cédula, nothing happens unless ``relink``
    says the official checked the document and the link must move (the other account loses
    the cédula and its verifications). Audited in the government's chain, without the number."""
    number = _valid_number(number)
    if not user.is_active or user.is_anonymised:
        raise field_error("email", _("This account is closed."), "closed")
    territory = _territory_in(government, territory_code)
    place = (place or "").strip()
    if not place:
        raise field_error("place", _("Say at which desk this happens."), "place")
    hashed = keys.cedula_hash(number)
    roll = selectors.live_roll(government)
    entry = selectors.live_entry(government, hashed) if roll is not None else None
    if roll is not None and entry is None and not (note or "").strip():
        raise field_error(
            "note",
            _(
                "This cédula is not on the census roll of %(government)s. Write which document proves "
                "that the person lives here, or do not verify them."
            )
            % {"government": government.name},
            "not_on_roll",
        )
    if not relink:
        _refuse_conflicts(actor=actor, government=government, user=user, hashed=hashed, now=now)
    return _desk_write(
        actor=actor,
        government=government,
        user=user,
        hashed=hashed,
        place=place,
        territory=territory or (entry.territory_code if entry is not None else ""),
        note=(note or "").strip(),
        roll=roll if entry is not None else None,
        now=now,
    )


def _territory_in(government, code: str) -> str:
    code = re.sub(r"\s+", "", code or "")
    if not code:
        return ""
    if not code.isdigit() or len(code) not in (2, 4, 6) or not code.startswith(government.dpa_code):
        raise field_error(
            "territory_code",
            _("Write the DPA code of a canton or parish of %(government)s (it starts with %(code)s).")
            % {"government": government.name, "code": government.dpa_code},
            "territory",
        )
    return code


def _refuse_conflicts(*, actor: User, government, user: User, hashed: str, now: dt.datetime) -> None:
    mine = Identity.objects.filter(user=user).first()
    if mine is not None and mine.cedula_hash != hashed:
        raise field_error(
            "relink",
            _(
                "This account is linked to another cédula (the person may have typed it wrong). If the "
                "cédula you see is theirs, tick the box to link the account to it instead."
            ),
            "other_cedula",
        )
    holder = Identity.objects.filter(cedula_hash=hashed).first()
    if holder is not None and holder.user_id not in (None, user.pk):
        audit.record(
            actor=actor,
            government=government,
            action="core.identity.desk_conflict",
            obj=user,
            changes={"identity": [None, holder.pk], "held_by_account": [None, holder.user_id]},
            now=now,
        )
        raise field_error(
            "relink",
            _(
                "This cédula is linked to another account. If the person in front of you is the one on the "
                "cédula, tick the box: the other account loses it and its verifications."
            ),
            "taken",
        )


@transaction.atomic
def _desk_write(*, actor, government, user, hashed, place, territory, note, roll, now) -> Verification:
    changes: dict = {}
    revoked: list[int] = []
    mine = _mine(user)
    if mine is not None and mine.cedula_hash != hashed:
        revoked += _revoke_all(
            mine, reason=_("The account was linked to another cédula at a desk."), actor=actor, now=now
        )
        mine.user, mine.linked_at = None, None
        mine.save(update_fields=["user", "linked_at"])
        changes["unlinked_identity"] = [mine.pk, None]
    holder = _holder(hashed)
    if holder is None:
        holder = Identity(cedula_hash=hashed, user=user, method=Identity.Method.DESK, created_at=now, linked_at=now)
        try:
            with transaction.atomic():
                holder.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                _("Someone registered this cédula at this very moment. Send the form again."), code="race"
            ) from None
        changes["identity"] = [None, holder.pk]
    elif holder.user_id != user.pk:
        if holder.user_id is not None:
            revoked += _revoke_all(
                holder, reason=_("The cédula was linked to another account at a desk."), actor=actor, now=now
            )
            changes["moved_from_account"] = [holder.user_id, user.pk]
        holder.user, holder.linked_at = user, now
        holder.save(update_fields=["user", "linked_at"])
        changes["identity"] = [None, holder.pk]
    revoked += _revoke_all_of_level(holder, government, Level.ASSISTED, actor=actor, now=now)
    verification = Verification(
        government=government,
        identity=holder,
        level=Level.ASSISTED,
        territory_code=territory,
        roll=roll,
        on_roll=roll is not None,
        verified_by=actor,
        place=place[:200],
        note=note,
        created_at=now,
    )
    verification.full_clean(validate_constraints=False)
    verification.save(force_insert=True)
    audit.record(
        actor=actor,
        government=government,
        action="core.verification.desk",
        obj=verification,
        changes={
            **changes,
            "account": [None, user.pk],
            "level": [None, "assisted"],
            "territory": [None, territory],
            "place": [None, verification.place],
            "on_roll": [None, verification.on_roll],
            "note": [None, note],
            "revoked_verifications": [None, revoked],
        },
        now=now,
    )
    return verification


def _revoke_all_of_level(identity, government, level, *, actor, now) -> list[int]:
    earlier = list(
        Verification.objects.active()
        .filter(identity=identity, government=government, level=level)
        .values_list("pk", flat=True)
    )
    Verification.objects.filter(pk__in=earlier).update(
        revoked_at=now, revoked_by=actor, revoke_reason=_("Replaced by a new desk verification.")
    )
    return earlier


@transaction.atomic
def verification_revoke(*, actor: User, government, verification: Verification, reason: str, now: dt.datetime):
    """An official withdraws a verification of this government (audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the verification is revoked."), "reason")
    locked = Verification.objects.select_for_update().get(pk=verification.pk, government=government)
    if locked.revoked_at is not None:
        raise ValidationError(_("This verification was already revoked."), code="revoked")
    locked.revoked_at, locked.revoked_by, locked.revoke_reason = now, actor, reason[:500]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        government=government,
        action="core.verification.revoked",
        obj=locked,
        changes={
            "revoked": [False, True],
            "reason": [None, locked.revoke_reason],
            "account": [None, locked.identity.user_id],
        },
        now=now,
    )
    return locked
