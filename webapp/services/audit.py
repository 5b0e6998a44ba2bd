"""Write audit entries (append-only)."""
from .. import db
from ..models import AuditEntry


def _entry(action, user=None, *, target=None, reason=None, before=None, after=None, event_id=None, order_number=None):
    """The fields of an audit entry for `action` by `user` on `target`."""
    return dict(
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
    """Append an audit entry (checked as AuditEntry declares it), inside `session`'s transaction when one is given;
    returns the raw entry written."""
    return db.insert_raw(session, AuditEntry, _entry(action, user, **kwargs))
