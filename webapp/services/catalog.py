"""The catalog every sale draws on: one import for venues, shows, their lifecycle and price tiers.

Rules decided here (see issue 3): the sum of the tiers' quotas may exceed the show's capacity (e.g. Inteira
300 + Meia 120 in a 300-seat room) because the show's own counter caps the total; a single tier's quota
cannot exceed the capacity; concession tickets share a separate counter of concession_cap_pct % of capacity.
"""
from .events import (EventFields, Page, concession_quota, create_event, duplicate_event, get_event,  # noqa: F401
                     sales_close_at, search_events, update_event)
from .lifecycle import (TRANSITIONS, allowed_transitions, close_past_shows, delete_event, set_status,  # noqa: F401
                        status_label)
from .tiers import TierFields, create_tier, delete_tier, get_tier, list_tiers, update_tier  # noqa: F401
from .venues import create_venue, get_venue, list_venues, update_venue  # noqa: F401
from .counters import counters_for, event_counters, sold_of  # noqa: F401
