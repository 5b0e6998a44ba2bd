"""A sale whose commit went through but whose answer was lost (a failover in the middle) keeps its places."""
import uuid

import pytest
from pymongo.errors import AutoReconnect

from tests.factories import tiers_of
from tests.sale_fixtures import cash
from webapp import db
from webapp.models import Inventory, Order
from webapp.services import sales


def test_a_lost_commit_answer_gives_no_place_back(ctx, seller, show, monkeypatch):
    tier = tiers_of(show)[0]
    commit = db._commit

    def committed_then_lost(session, deadline):
        commit(session, deadline)
        raise AutoReconnect("the primary went away before answering")

    monkeypatch.setattr(db, "_commit", committed_then_lost)
    key = str(uuid.uuid4())
    with pytest.raises(AutoReconnect):
        sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 3}, payments=[cash()],
                   idempotency_key=key)
    monkeypatch.undo()

    assert Order.objects(idempotency_key=key).count() == 1  # it was sold after all
    for key_ in (Inventory.tier_key(tier.pk), Inventory.event_key(show.pk)):
        counter = Inventory.objects.get(pk=key_)
        assert counter.sold == 3 and counter.remaining == counter.quota - 3, key_  # not given back: not oversold
