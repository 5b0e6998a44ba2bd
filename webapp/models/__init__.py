"""Every MongoEngine document, re-exported."""
from .aggregates import SalesDay
from .audit import AuditEntry
from .auth_session import AuthSession
from .event import EVENT_STATUSES, Event, TicketType
from .hold import Hold
from .inventory import Inventory
from .order import Customer, Order, OrderLine, Payment, Refund, Ticket, TicketSeat
from .outbox import OutboxMessage
from .seatmap import SEAT_FLAGS, MapSeat, SeatMap, Zone
from .shift import Shift
from .show_seat import SEAT_STATUSES, ShowSeat
from .user import ROLES, User
from .venue import Venue

ALL_DOCUMENTS = (User, Venue, Event, TicketType, Inventory, Order, Ticket, Shift, AuditEntry, OutboxMessage,
                 SalesDay, AuthSession, Hold, SeatMap, ShowSeat)

__all__ = [d.__name__ for d in ALL_DOCUMENTS] + ["Customer", "OrderLine", "Payment", "Refund", "TicketSeat", "ROLES",
                                                "EVENT_STATUSES", "SEAT_STATUSES", "ALL_DOCUMENTS", "Zone", "MapSeat",
                                                "SEAT_FLAGS"]
