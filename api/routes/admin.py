"""Admin only: API keys and the audit log. Other keys get 404, as if the routes were absent."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select

from api import crud
from api.db.models import ApiKey, AuditEntry
from api.deps import Admin, Limit, Offset, ReadSession, WriteSession, not_found
from api.errors import AUTH, responses
from api.routes.convert import audit_out, aware
from api.schemas import AuditOut, KeyCreated, KeyIn, KeyOut, Page

router = APIRouter(tags=["admin"])


def key_out(k: ApiKey) -> KeyOut:
    return KeyOut(id=k.id, court=k.court, admin=k.admin, label=k.label, created_at=aware(k.created_at),
                  revoked_at=aware(k.revoked_at))


@router.post("/keys", response_model=KeyCreated, status_code=201, responses=responses(*AUTH, 404, 503))
def create_key(body: KeyIn, who: Admin, session: WriteSession) -> KeyCreated:
    """A new key bound to a court; the token is in this response only."""
    row, token = crud.create_key(session, who, body.court, body.admin, body.label)
    return KeyCreated(**key_out(row).model_dump(), token=token)


@router.get("/keys", response_model=Page[KeyOut], responses=responses(401, 404, 422))
def list_keys(_: Admin, session: ReadSession, limit: Limit = 50, offset: Offset = 0) -> Page[KeyOut]:
    total = session.scalar(select(func.count()).select_from(ApiKey)) or 0
    rows = session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id).limit(limit).offset(offset))
    return Page[KeyOut](items=[key_out(k) for k in rows], total=total, limit=limit, offset=offset)


@router.post("/keys/{key_id}/revoke", response_model=KeyOut, responses=responses(401, 404, 422, 503))
def revoke_key(key_id: str, who: Admin, session: WriteSession) -> KeyOut:
    row = session.get(ApiKey, key_id) if len(key_id) <= 16 and key_id.isalnum() else None
    if row is None:
        raise not_found("key")
    crud.revoke_key(session, who, row)
    return key_out(row)


@router.get("/audit", response_model=Page[AuditOut], responses=responses(401, 404, 422))
def list_audit(_: Admin, session: ReadSession, limit: Limit = 50, offset: Offset = 0) -> Page[AuditOut]:
    """Who did what and when, newest first: writes, runs, plan and scenario reads."""
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return Page[AuditOut](items=[audit_out(a) for a in rows], total=total, limit=limit, offset=offset)
