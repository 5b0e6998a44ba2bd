"""The POS through the real app: the split's rest in the preview, the box to fix after a refusal, card-only sales."""
import re
import uuid

from tests.factories import make_event, tiers_of
from webapp.models import Order


def open_shift(client):
    assert client.post("/shift/open", data={"opening_float": "100,00"}).status_code == 302


def autofocused(body):
    """The id of the one element with autofocus in the sale panel."""
    found = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"[^>]*\bautofocus\b', body)
    assert len(found) == 1, found
    return found[0]


def test_preview_shows_each_part_of_a_split_and_the_rest_of_the_blank_one(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    inteira = tiers_of(show)[0]
    body = client.post(f"/sell/{show.pk}/preview", data={
        f"qty-{inteira.pk}": "3", "card_auth": "AUTH1234", "card_amount": "120,00", "cash_tendered": "200,00"},
        headers={"HX-Request": "true"}).get_data(as_text=True)
    # R$ 300,00: R$ 120,00 by card, the cash part was left blank so it takes R$ 180,00; change R$ 20,00.
    assert re.search(r'data-method="card">R\$\xa0120,00<', body)
    assert re.search(r'<li class="rest"><span>Dinheiro <em>\(o restante\)</em></span>\s*'
                     r'<span class="money" data-method="cash">R\$\xa0180,00<', body)
    assert re.search(r'id="sale-change">R\$\xa020,00<', body)
    one_method = client.post(f"/sell/{show.pk}/preview", data={f"qty-{inteira.pk}": "1", "cash_tendered": "100,00"})
    assert "sale-split" not in one_method.get_data(as_text=True)  # nothing split, nothing to spell out


def test_after_a_refusal_the_box_in_error_is_focused(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    inteira, meia = tiers_of(show)
    assert autofocused(client.get(f"/sell/{show.pk}").get_data(as_text=True)) == f"qty-{inteira.pk}"
    assert 'id="docs-row-' in client.get(f"/sell/{show.pk}").get_data(as_text=True)

    def refuse(**data):
        response = client.post(f"/sell/{show.pk}", data={"key": str(uuid.uuid4()), **data},
                               headers={"HX-Request": "true"})
        assert response.status_code in (400, 409), response.status_code
        body = response.get_data(as_text=True)
        assert 'aria-invalid="true"' in body and 'id="sale-error"' in body
        return autofocused(body)

    qty = f"qty-{inteira.pk}"
    assert refuse(**{qty: "1", "cash_tendered": "50,00"}) == "cash_tendered"  # short tender
    assert refuse(**{qty: "1", "card_amount": "100,00"}) == "card_auth"  # no authorisation code
    assert refuse(**{qty: "1", "card_auth": "AUTH1", "card_amount": "60,00", "pix_reference": "PIX-1",
                     "pix_amount": "10,00"}) == "card_amount"  # parts that do not add up
    assert refuse(**{qty: "1"}) == "cash_tendered"  # no payment at all
    assert refuse(**{qty: "1", "cash_tendered": "100,00", "customer_email": "nope"}) == "customer_email"
    assert refuse(**{qty: "1", "comp": "1"}) == "comp_reason"
    assert refuse(**{f"qty-{meia.pk}": "1", "cash_tendered": "100,00"}) == f"docs-{meia.pk}"
    assert refuse(**{f"qty-{meia.pk}": "11", "cash_tendered": "100,00"}) in (f"qty-{meia.pk}", f"docs-{meia.pk}")
    assert refuse(**{qty: "0", f"qty-{meia.pk}": "0", "cash_tendered": "100,00"}) == qty  # nothing chosen
    assert Order.objects.count() == 0


def test_the_documents_box_shows_only_for_a_concession_quantity_above_zero(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    meia = tiers_of(show)[1]
    fresh = client.get(f"/sell/{show.pk}").get_data(as_text=True)
    assert re.search(rf'<tr class="documents" id="docs-row-{meia.pk}" hidden>', fresh)
    refused = client.post(f"/sell/{show.pk}", data={"key": str(uuid.uuid4()), f"qty-{meia.pk}": "1",
                                                    "cash_tendered": "100,00"}).get_data(as_text=True)
    assert re.search(rf'<tr class="documents" id="docs-row-{meia.pk}" >', refused)


def test_order_page_right_after_a_card_or_split_sale(client, logged_in, show):
    """It summed each payment's change, and a card or Pix payment has none (None): a 500 after every such sale."""
    logged_in("seller")
    open_shift(client)
    inteira = tiers_of(show)[0]
    for data in ({"card_auth": "AUTH1234"}, {"card_auth": "AUTH1234", "card_amount": "60,00", "pix_reference": "PIX-9"}):
        response = client.post(f"/sell/{show.pk}", data={"key": str(uuid.uuid4()), f"qty-{inteira.pk}": "1", **data})
        assert response.status_code == 302, response.get_data(as_text=True)
        page = client.get(response.headers["Location"])
        assert page.status_code == 200 and "Venda concluída" in page.get_data(as_text=True)
        assert "Troco a dar" not in page.get_data(as_text=True)


def test_three_tiers_sale_form_marks_the_first_on_sale_quantity(client, logged_in):
    logged_in("seller")
    open_shift(client)
    event = make_event(title="Três", tiers=(("Esgotado", 10_00, 0), ("Inteira", 100_00, 5)),
                       concession_tiers=(("Meia", 50_00, 5),))
    tiers = tiers_of(event)
    assert autofocused(client.get(f"/sell/{event.pk}").get_data(as_text=True)) == f"qty-{tiers[1].pk}"


def test_a_sold_out_tier_has_no_live_steppers(client, logged_in):
    logged_in("seller")
    open_shift(client)
    event = make_event(title="Três", tiers=(("Esgotado", 10_00, 0), ("Inteira", 100_00, 5)))
    body = client.get(f"/sell/{event.pk}").get_data(as_text=True)
    for tier, disabled in zip(tiers_of(event), (True, False)):
        row = body[body.index(f'id="tier-{tier.pk}"'):]
        row = row[:row.index("</tr>")]
        assert row.count("disabled") == (3 if disabled else 0), tier.name  # the box and its − and + buttons
