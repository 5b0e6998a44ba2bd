"""At the counter, in Chromium: a sale blocked by a transaction a killed web worker left open says "nothing was
saved, try again" in the page's message area and keeps the form; the seller's second F9 sells it, once."""
import pytest
from playwright.sync_api import expect
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from tests.sales.test_pos_counter_browser import counter, pick_first_show, three_tier_show  # noqa: F401
from webapp import db
from webapp.models import Order, Shift, User


@pytest.mark.parametrize("locale, cash, says", [("pt-BR", "100,00", "Nada foi salvo; tente de novo em instantes"),
                                               ("en", "100.00", "Nothing was saved; try again in a moment")])
def test_a_blocked_sale_says_nothing_was_saved_and_the_second_try_sells_once(counter, locale, cash, says):  # noqa: F811
    three_tier_show()
    page = counter(locale)
    pick_first_show(page)
    page.keyboard.type("1")
    page.keyboard.press("F4")
    page.keyboard.type(cash)
    expect(page.locator("#sale-total")).to_contain_text(cash)
    session = db.client().start_session()  # the orphan: an open transaction on this seller's shift
    session.start_transaction(read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority"))
    shift = Shift.objects.get(seller_id=User.objects.get(username="carla").pk, status="open")
    Shift._get_collection().update_one({"_id": shift.pk}, {"$inc": {"comps_given": 1}}, session=session)
    try:
        page.keyboard.press("F9")
        expect(page.locator("#flashes")).to_contain_text(says, timeout=15_000)
        assert Order.objects.count() == 0
        expect(page.locator("#sale-form input.qty").first).to_have_value("1")  # the form is as the seller left it
    finally:
        session.abort_transaction()  # what mongod does at transactionLifetimeLimitSeconds
        session.end_session()
    page.keyboard.press("F9")
    page.wait_for_url("**/orders/*?sold=1")
    assert Order.objects.count() == 1
