"""Creating, checking and revoking API tokens.

A token is ``dbn_`` + 43 URL-safe characters (256 random bits). Only its SHA-256 digest is stored: a leaked
database does not leak usable tokens, and a fast hash is enough for a random secret of that length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from daiban.accounts.permissions import is_active_user, require
from daiban.apitokens.models import ApiToken
from daiban.audit.models import AuditAction
from daiban.audit.services import audit_record
from daiban.core.errors import DomainError

PREFIX = "dbn_"
# Note: last_used_at is refreshed at most this often, so reads through a token do not each write a row.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def can_manage_tokens(*, actor, user) -> bool:
    """Admins manage anyone's tokens; a user manages their own."""
    return is_active_user(actor) and (actor.has_role("admin") or actor.pk == user.pk)


@transaction.atomic
def token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is shown once and not kept."""
    require(actor is None or can_manage_tokens(actor=actor, user=user), "您没有为该用户创建接口令牌的权限")
    if not user.is_active:
        raise DomainError(f"用户“{user}”已停用，不能创建接口令牌")
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[: len(PREFIX) + 6], key_hash=token_digest(key)
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=token, changes={"user": [None, str(user)]})
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    require(actor is None or can_manage_tokens(actor=actor, user=token.user), "您没有吊销该接口令牌的权限")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(
            f"接口令牌 {token.prefix}… 已于 {timezone.localtime(token.revoked_at):%Y-%m-%d} 吊销"
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=AuditAction.DELETE, obj=token, note="吊销接口令牌")
    return token


def token_authenticate(*, key: str):
    """The active user of an active token, or None; refreshes the token's last use (at most once a minute)."""
    if not key.startswith(PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=token_digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
