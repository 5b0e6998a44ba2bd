"""Issue 11: a sold hold's marks leave its counters with the next take of each (no round trip of their own)."""
import uuid

import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import Hold, Inventory
from webapp.services import inventory, sales


def _marks(event):
    """[the hold ids each counter names] of the counters naming any (the show's and the tier's here)."""
    return [set(c.holds) for c in Inventory.objects(event_id=event.pk).order_by("key") if c.holds]


def _sell(seller, event, tier, n=1):
    return sales.sell(seller, event_id=str(event.pk), quantities={str(tier.pk): n}, payments=[cash()],
                      idempotency_key=str(uuid.uuid4()))


def test_the_next_take_clears_the_last_sales_marks_and_a_refused_one_leaves_them_waiting(ctx, seller, monkeypatch):
    event = make_event(title="Marcas", capacity=3, tiers=(("Única", 10_00, 3),))
    tier = tiers_of(event)[0]
    first = Hold.objects.get(order_id=_sell(seller, event, tier).pk)
    assert _marks(event) == [{str(first.pk)}] * 2  # tier and show: waiting for the next take
    with pytest.raises(sales.SoldOut):
        sales.hold_places(seller, event_id=str(event.pk), quantities={str(tier.pk): 3})
    assert _marks(event) == [{str(first.pk)}] * 2  # the refused take cleared nothing
    second = Hold.objects.get(order_id=_sell(seller, event, tier).pk)
    assert _marks(event) == [{str(second.pk)}] * 2  # the first sale's marks left with this take
    monkeypatch.setattr(inventory._Untidy, "WAIT", 0)  # nobody takes again soon: the next tidy clears them all
    _sell(seller, event, tier)
    assert _marks(event) == []
    counter = Inventory.objects.get(key=Inventory.tier_key(tier.pk))
    assert (counter.sold, counter.remaining) == (3, 0)  # every place sold once, none given back by a late unmark
