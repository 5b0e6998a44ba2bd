"""Write audit entries (append-only)."""
from ..models import AuditEntry


def audit_document(action, user=None, *, target=None, reason=None, before=None, after=None, event_id=None,
                   order_number=None):
    """Build an AuditEntry (not saved) for `action` by `user` on `target`."""
    return AuditEntry(
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", None),
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(target.pk) if target is not None and target.pk else None,
        event_id=event_id,
        order_number=order_number,
        reason=reason,
        before=before or {},
        after=after or {},
    )


def record(action, user=None, session=None, **kwargs):
    """Append an audit entry, inside `session`'s transaction when one is given."""
    entry = audit_document(action, user, **kwargs)
    entry.validate()
    AuditEntry._get_collection().insert_one(entry.to_mongo(), session=session)
    return entry
