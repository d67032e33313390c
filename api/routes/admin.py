"""Admin only: API keys and the audit log. Other keys get 404, as if the routes were absent.

An admin key's powers stay inside its own court (管理员权限限于本院): it makes, lists and revokes
keys of its court, and reads the audit entries of its court's keys and of the scenarios its
court sees. The service holds no court hierarchy it could trust for more — a scenario's court
tree is what its uploader wrote — so keys for another court are made by an admin key of that
court, or by the operator with `courtplan keys create` on the database host. The last admin key
of a court cannot be revoked through the API (409): the court would have no admin left.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api import crud
from api.db.models import ApiKey, AuditEntry, ScenarioAccess
from api.deps import Admin, Limit, Offset, ReadSession, WriteSession, not_found
from api.errors import AUTH, responses
from api.routes.convert import audit_out, aware
from api.schemas import AuditOut, KeyCreated, KeyIn, KeyOut, Page
from api.security import Principal
from api.strict import StrictJSONRoute
from optimizer.law.errors import error_item

router = APIRouter(tags=["admin"], route_class=StrictJSONRoute)


def key_out(k: ApiKey) -> KeyOut:
    return KeyOut(id=k.id, court=k.court, admin=k.admin, label=k.label, created_at=aware(k.created_at),
                  revoked_at=aware(k.revoked_at))


@router.post("/keys", response_model=KeyCreated, status_code=201, responses=responses(*AUTH, 404, 503))
def create_key(body: KeyIn, who: Admin, session: WriteSession) -> KeyCreated:
    """A new key bound to the admin's own court (an admin key or not); the token is in this
    response only. Another court: 422 on `court`."""
    if body.court != who.court:
        raise HTTPException(422, [error_item("court", body.court[:64], (
            f"an admin key of court {who.court} makes keys of its own court only; a key for "
            f"{body.court[:64]} is made by an admin key of that court or with `courtplan keys "
            "create` on the database host (管理员仅可为本院创建密钥)"))])
    row, token = crud.create_key(session, who, body.court, body.admin, body.label)
    return KeyCreated(**key_out(row).model_dump(), token=token)


@router.get("/keys", response_model=Page[KeyOut], responses=responses(401, 404, 422))
def list_keys(who: Admin, session: ReadSession, limit: Limit = 50, offset: Offset = 0) -> Page[KeyOut]:
    """The keys of the admin's court (never their tokens)."""
    total = session.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.court == who.court)) or 0
    rows = session.scalars(select(ApiKey).where(ApiKey.court == who.court)
                           .order_by(ApiKey.created_at, ApiKey.id).limit(limit).offset(offset))
    return Page[KeyOut](items=[key_out(k) for k in rows], total=total, limit=limit, offset=offset)


@router.post("/keys/{key_id}/revoke", response_model=KeyOut, responses=responses(401, 404, 409, 422, 503))
def revoke_key(key_id: str, who: Admin, session: WriteSession) -> KeyOut:
    """Revoke a key of the admin's court (another court's key: 404, as if absent); the last
    admin key of the court: 409."""
    row = session.get(ApiKey, key_id) if len(key_id) <= 16 and key_id.isalnum() else None
    if row is None or row.court != who.court:
        raise not_found("key")
    if row.admin and row.revoked_at is None:
        _keep_an_admin(session, row)
    crud.revoke_key(session, who, row)
    return key_out(row)


@router.get("/audit", response_model=Page[AuditOut], responses=responses(401, 404, 422))
def list_audit(who: Admin, session: ReadSession, limit: Limit = 50, offset: Offset = 0) -> Page[AuditOut]:
    """Who did what and when, newest first: writes, runs, plan and scenario reads, key actions —
    those by or about the keys of the admin's court, and those on scenarios its court sees."""
    mine = _audit_of(who)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(mine)) or 0
    rows = session.scalars(select(AuditEntry).where(mine).order_by(AuditEntry.id.desc())
                           .limit(limit).offset(offset))
    return Page[AuditOut](items=[audit_out(a) for a in rows], total=total, limit=limit, offset=offset)


def _keep_an_admin(session: Session, row: ApiKey) -> None:
    """409 unless another admin key of `row`'s court stays active. The court's active admin keys
    are locked first (PostgreSQL `FOR UPDATE`; SQLite: the write transaction), so two admins
    revoking each other at once cannot both succeed."""
    active = session.scalars(select(ApiKey.id).where(
        ApiKey.court == row.court, ApiKey.admin.is_(True), ApiKey.revoked_at.is_(None)).with_for_update()).all()
    if set(active) <= {row.id}:
        raise HTTPException(409, f"key {row.id} is the last admin key of court {row.court}; make another "
                                 "admin key first (本院最后一个管理员密钥不可吊销)")


def _audit_of(who: Principal) -> Any:
    """The audit entries an admin of `who.court` reads: by or about its court's keys, or on a
    scenario its court sees."""
    own_keys = select(ApiKey.id).where(ApiKey.court == who.court)
    seen = select(ScenarioAccess.scenario_id).where(ScenarioAccess.court == who.court)
    return or_(AuditEntry.key_id.in_(own_keys), AuditEntry.subject.in_(own_keys),
               AuditEntry.scenario_id.in_(seen))
