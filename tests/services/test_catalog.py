"""Catalog rules: venues, shows, lifecycle guards, tiers and their inventory counters."""
from datetime import timedelta

import pytest

from tests.factories import make_event, make_venue, take_places, tiers_of
from webapp.models import AuditEntry, Event, Inventory, TicketType
from webapp.models.base import utcnow
from webapp.services import Conflict, NotFound, ServiceError
from webapp.services import events as event_service
from webapp.services import lifecycle
from webapp.services import tiers as tier_service
from webapp.services import venues as venue_service


def fields(venue, **extra):
    starts = utcnow().replace(microsecond=0) + timedelta(days=10)
    values = dict(title="Noite de Tango", venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
                  doors_at=starts - timedelta(minutes=30))
    values.update(extra)
    return event_service.EventFields(**values)


def tier(name="Inteira", price=10000, quota=100, **extra):
    return tier_service.TierFields(name=name, price_cents=price, quota=quota, **extra)


def counter(key):
    return Inventory.objects.get(key=key)


def assert_invariant(event_id):
    for c in Inventory.objects(event_id=event_id):
        assert c.sold + c.remaining == c.quota, c.key


@pytest.fixture
def venue(ctx):
    return make_venue(capacity=300)


def test_create_event_makes_a_draft_with_counters_and_audit(ctx, venue, make_user):
    admin = make_user("admin")
    event = event_service.create_event(admin, fields(venue, capacity=250, concession_cap_pct=40))
    assert Event.objects.get(pk=event.pk).status == "draft"
    assert counter(Inventory.event_key(event.pk)).quota == 250
    assert counter(Inventory.concession_key(event.pk)).remaining == 100  # 40% of 250
    entry = AuditEntry.objects.get(action="event.create")
    assert entry.username == admin.username and entry.after["capacity"] == 250


@pytest.mark.parametrize("change, field", [
    (dict(title=""), "title"),
    (dict(title="x" * 161), "title"),
    (dict(capacity=301), "capacity"),
    (dict(capacity=0), "capacity"),
    (dict(max_per_order=0), "max_per_order"),
    (dict(concession_cap_pct=101), "concession_cap_pct"),
])
def test_bad_event_fields_are_refused_and_nothing_saved(ctx, venue, change, field):
    with pytest.raises(ServiceError) as err:
        event_service.create_event(None, fields(venue, **change))
    assert err.value.field == field
    assert Event.objects.count() == 0 and Inventory.objects.count() == 0


def test_times_must_make_sense(ctx, venue):
    now = utcnow()
    cases = [(dict(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)), "starts_at"),
             (dict(ends_at=now + timedelta(days=9)), "ends_at"),
             (dict(doors_at=now + timedelta(days=11)), "doors_at"),
             (dict(starts_at=now + timedelta(days=3650), ends_at=now + timedelta(days=3650, hours=2), doors_at=None),
              "starts_at")]
    for change, field in cases:
        with pytest.raises(ServiceError) as err:
            event_service.create_event(None, fields(venue, **change))
        assert err.value.field == field
    assert Event.objects.count() == 0


def test_lifecycle_guards(ctx, venue):
    event = event_service.create_event(None, fields(venue))
    with pytest.raises(ServiceError, match="pelo menos uma faixa|at least one"):
        lifecycle.set_status(None, event, "on_sale")
    with pytest.raises(Conflict):
        lifecycle.set_status(None, event, "sales_closed")  # not from draft
    tier_service.create_tier(None, event, tier())
    lifecycle.set_status(None, event, "on_sale")
    with pytest.raises(ServiceError):
        lifecycle.set_status(None, event, "finished")  # not before the show ends
    lifecycle.set_status(None, event, "sales_closed")
    lifecycle.set_status(None, event, "cancelled")
    assert Event.objects.get(pk=event.pk).status == "cancelled"
    for status in ("on_sale", "draft", "finished"):
        with pytest.raises(Conflict):
            lifecycle.set_status(None, event, status)
    assert AuditEntry.objects(action="event.status").count() == 3


def test_cannot_go_on_sale_with_a_tier_above_capacity(ctx, venue):
    event = make_event(venue, status="draft", capacity=300, tiers=(("VIP", 100, 300),))
    Event.objects(pk=event.pk).update(set__capacity=200)  # an older tier larger than a later-lowered capacity
    with pytest.raises(ServiceError, match="VIP"):
        lifecycle.set_status(None, Event.objects.get(pk=event.pk), "on_sale")


def test_sum_of_tier_quotas_may_exceed_capacity_but_one_tier_may_not(ctx, venue):
    event = event_service.create_event(None, fields(venue, capacity=300))
    tier_service.create_tier(None, event, tier("Inteira", quota=300))
    tier_service.create_tier(None, event, tier("Meia", quota=120, is_concession=True))
    with pytest.raises(ServiceError) as err:
        tier_service.create_tier(None, event, tier("VIP", quota=301))
    assert err.value.field == "quota" and TicketType.objects(event=event).count() == 2


def test_delete_only_drafts_that_sold_nothing(ctx, venue):
    draft = event_service.create_event(None, fields(venue))
    tier_service.create_tier(None, draft, tier())
    lifecycle.delete_event(None, draft)
    assert Event.objects.count() == 0 and TicketType.objects.count() == 0 and Inventory.objects.count() == 0
    on_sale = make_event(venue)
    with pytest.raises(Conflict):
        lifecycle.delete_event(None, on_sale)
    assert Event.objects.count() == 1


def test_quota_cannot_go_below_sold_and_counters_stay_consistent(ctx, venue, make_user):
    event = make_event(venue, tiers=(("Inteira", 10000, 100),))
    t = tiers_of(event)[0]
    take_places(event, t, 30)
    with pytest.raises(Conflict, match="30"):
        tier_service.update_tier(None, event, t, tier(quota=29))
    assert counter(Inventory.tier_key(t.pk)).quota == 100
    tier_service.update_tier(make_user("admin"), event, TicketType.objects.get(pk=t.pk), tier(price=12050, quota=30))
    c = counter(Inventory.tier_key(t.pk))
    assert (c.quota, c.sold, c.remaining) == (30, 30, 0)
    assert TicketType.objects.get(pk=t.pk).price_cents == 12050
    entry = AuditEntry.objects.get(action="tier.update")
    assert entry.before["price_cents"] == 10000 and entry.after["price_cents"] == 12050 and entry.username
    assert_invariant(event.pk)
    with pytest.raises(Conflict):
        tier_service.delete_tier(None, event, t)


def test_capacity_cannot_go_below_sold(ctx, venue):
    event = make_event(venue, capacity=300, tiers=(("Inteira", 10000, 50), ("VIP", 20000, 50)))
    inteira, vip = tiers_of(event)
    take_places(event, inteira, 50)
    take_places(event, vip, 30)
    f = fields(venue, starts_at=event.starts_at, ends_at=event.ends_at, doors_at=event.doors_at, capacity=79)
    with pytest.raises(Conflict):
        event_service.update_event(None, event, f)
    assert counter(Inventory.event_key(event.pk)).quota == 300
    event = Event.objects.get(pk=event.pk)
    f.capacity, f.concession_cap_pct = 80, 50
    event_service.update_event(None, event, f)
    assert (counter(Inventory.event_key(event.pk)).remaining, counter(Inventory.concession_key(event.pk)).quota) == (0, 40)
    assert_invariant(event.pk)


def test_capacity_cannot_go_below_a_tier_quota(ctx, venue):
    event = make_event(venue, capacity=300, tiers=(("Inteira", 10000, 200),))
    f = fields(venue, starts_at=event.starts_at, ends_at=event.ends_at, doors_at=event.doors_at, capacity=150)
    with pytest.raises(ServiceError) as err:
        event_service.update_event(None, event, f)
    assert err.value.field == "capacity"


@pytest.mark.parametrize("sold_as_concession", [False, True])
def test_a_tier_with_tickets_sold_keeps_its_concession_kind(ctx, venue, sold_as_concession):
    """Full-price tickets sold without a document turned into meia-entrada ones (or the other way) by a tick in the
    tier's form: the door, the reports and the concession share all read the tier's kind."""
    event = make_event(venue, tiers=() if sold_as_concession else (("Inteira", 10000, 100),),
                       concession_tiers=(("Meia", 5000, 50),) if sold_as_concession else ())
    t = tiers_of(event)[0]
    take_places(event, t, 2)
    with pytest.raises(Conflict, match="Já há ingressos vendidos") as refused:
        tier_service.update_tier(None, event, t, tier(name=t.name, price=t.price_cents, quota=t.quota,
                                                      is_concession=not sold_as_concession))
    assert refused.value.field == "is_concession"
    assert TicketType.objects.get(pk=t.pk).is_concession is sold_as_concession
    fresh = tiers_of(make_event(venue, title="Outra", tiers=(("Inteira", 10000, 100),)))[0]  # nothing sold: it may
    tier_service.update_tier(None, fresh.event, fresh, tier(is_concession=True))
    assert TicketType.objects.get(pk=fresh.pk).is_concession is True

def test_duplicate_copies_tiers_on_another_date_with_nothing_sold(ctx, venue):
    event = make_event(venue, tiers=(("Inteira", 10000, 100), ("VIP", 30000, 20)))
    take_places(event, tiers_of(event)[0], 5)
    starts = event.starts_at + timedelta(days=7)
    copy = event_service.duplicate_event(None, event, starts_at=starts, ends_at=starts + timedelta(hours=2))
    assert copy.status == "draft" and copy.title == event.title and copy.pk != event.pk
    assert [(t.name, t.price_cents, t.quota) for t in tiers_of(copy)] == [("Inteira", 10000, 100), ("VIP", 30000, 20)]
    assert all(c.sold == 0 for c in Inventory.objects(event_id=copy.pk))
    assert Inventory.objects(event_id=copy.pk).count() == 4


def test_close_past_shows_finishes_only_ended_shows(ctx, venue, app):
    past = make_event(venue, title="Ontem", days_ahead=-1)
    make_event(venue, title="Amanhã", days_ahead=1)
    make_event(venue, title="Rascunho", status="draft", days_ahead=-1)
    assert lifecycle.close_past_shows() == 1
    assert Event.objects.get(pk=past.pk).status == "finished"
    assert lifecycle.close_past_shows() == 0  # idempotent
    result = app.test_cli_runner().invoke(args=["close-past-shows"])
    assert result.exit_code == 0 and "0 show" in result.output


def test_close_past_shows_job_runs_in_a_worker(ctx, venue, app, redis_conn, run_jobs):
    from rq import Queue

    past = make_event(venue, days_ahead=-2)
    Queue(app.config["RQ_QUEUE"], connection=redis_conn).enqueue("webapp.jobs.catalog.close_past_shows")
    assert run_jobs() == 1
    assert Event.objects.get(pk=past.pk).status == "finished"


def test_unknown_or_malformed_ids_are_not_found(ctx, venue):
    other = make_event(venue, title="Outro")
    event = make_event(venue)
    for bad in ("000000000000000000000000", "nope", "", None):
        with pytest.raises(NotFound):
            event_service.get_event(bad)
    with pytest.raises(NotFound):
        tier_service.get_tier(event, tiers_of(other)[0].pk)


def test_venues_validate_and_audit(ctx, make_user):
    admin = make_user("admin")
    v = venue_service.create_venue(admin, name="Sala Azul", capacity=120)
    with pytest.raises(ServiceError) as err:
        venue_service.create_venue(admin, name="Sala Azul", capacity=10)
    assert err.value.field == "name"
    with pytest.raises(ServiceError) as err:
        venue_service.update_venue(admin, v, name="Sala Azul", capacity=120, kind="general", timezone="Mars/Base")
    assert err.value.field == "timezone"
    venue_service.update_venue(admin, v, name="Sala Azul", capacity=150, kind="general", timezone="America/Manaus")
    assert AuditEntry.objects.get(action="venue.update").before["capacity"] == 120


def test_seed_demo_catalog_is_idempotent(ctx):
    from webapp.services.demo import seed_catalog

    assert len(seed_catalog()) >= 3
    assert seed_catalog() == []
    shows = Event.objects(status="on_sale")
    assert len({e.venue.pk for e in shows}) == 4  # two general-admission rooms, a theatre and a cabaret seated
    assert all(2 <= TicketType.objects(event=e).count() <= 4 for e in shows)


@pytest.mark.parametrize("status", ["cancelled", "finished"])
def test_tiers_of_a_show_cancelled_or_finished_meanwhile_cannot_be_changed(ctx, venue, make_user, status):
    event = make_event(venue, tiers=(("Inteira", 10000, 100),))
    t = tiers_of(event)[0]
    audited = AuditEntry.objects(action__startswith="tier.").count()  # the show's own set-up
    # The admin's request read the show on sale; it is cancelled (or finished) before the tier is written.
    Event.objects(pk=event.pk).update(set__status=status)
    admin = make_user("admin")
    attempts = [lambda: tier_service.update_tier(admin, event, t, tier(price=1, quota=100)),
                lambda: tier_service.create_tier(admin, event, tier("Meia", price=5000, quota=10)),
                lambda: tier_service.delete_tier(admin, event, t)]
    for attempt in attempts:
        with pytest.raises(Conflict, match="encerrado ou cancelado não pode ser alterado"):
            attempt()
    assert [(x.name, x.price_cents) for x in tiers_of(event)] == [("Inteira", 10000)]
    assert Inventory.objects(kind="tier", event_id=event.pk).count() == 1
    assert AuditEntry.objects(action__startswith="tier.").count() == audited
