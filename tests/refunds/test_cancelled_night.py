"""After a show is cancelled: a complimentary order is no refund to pay out, and the door still counts (and
reports) the people who had already come in."""
import csv
import io

from tests.conftest import login_as
from tests.refunds.test_cancellation import cancel
from tests.sale_fixtures import card
from webapp.models import Order, Ticket
from webapp.models.order import Refund
from webapp.services import door


def test_a_complimentary_order_is_not_a_refund_to_pay_out(app, client, sell, seller, show, make_user, run_jobs,
                                                          logged_in):
    comp = sell(seller, {0: 2}, payments=[{"method": "comp", "comp_reason": "Convidado da casa"}])
    paid = sell(seller, {0: 1}, payments=[card()])
    cancel(app, show, make_user("admin"))
    run_jobs()
    comp = Order.objects.get(pk=comp.pk)
    assert comp.status == "refunded" and Ticket.objects(order_id=comp.pk, status__ne="void").count() == 0
    assert [(r.amount_cents, r.status) for r in comp.refunds] == [(0, "settled")]  # nothing owed, nothing pending
    # An entry of nothing left pending by an earlier version is no work either.
    Order.objects(pk=comp.pk).update_one(push__refunds=Refund(method="comp", amount_cents=0, status="pending",
                                                              kind="cancellation"))
    logged_in("manager")
    page = client.get("/refunds/pending").get_data(as_text=True)
    assert paid.number in page and comp.number not in page
    assert "R$\xa00,00" not in page and page.count("Marcar como pago") == 1


def test_the_door_still_counts_who_entered_a_show_cancelled_since(app, client, sell, seller, show, make_user,
                                                                   run_jobs):
    doorman = make_user("door")
    order = sell(seller, {0: 3}, payments=[card()])
    codes = [t.code for t in Ticket.objects(order_id=order.pk)]
    for code, gate in zip(codes[:2], ("Porta A", "Porta B")):
        assert door.admit(code, str(show.pk), gate, doorman).admitted
    gates = [("Porta A", 1), ("Porta B", 1)]
    assert door.door_counts(show.pk) == {"sold": 3, "admitted": 2, "gates": gates}
    cancel(app, show, make_user("admin"))
    run_jobs()
    assert Ticket.objects(event_id=show.pk, status__ne="void").count() == 0  # every ticket voided by the refund
    # The two who came in still count (and their tickets); the refunded ticket nobody used lets nobody in now.
    assert door.door_counts(show.pk) == {"sold": 2, "admitted": 2, "gates": gates}

    login_as(client, doorman)
    with client.session_transaction() as session:
        session["door_gate"] = "Porta A"
    counts = client.get(f"/door/{show.pk}/counts", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="door-admitted">2<' in counts
    client.post("/logout")
    login_as(client, make_user("manager"))
    text = client.get(f"/reports/door/export.csv?event={show.pk}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert ["Admitidos", "2"] in rows and ["Anulados", "3"] in rows
    assert {r[0]: r[1] for r in rows if r and r[0] in ("Porta A", "Porta B")} == {"Porta A": "1", "Porta B": "1"}
