"""Every page, with data in every state, in pt-BR and in English: no enumerated code reaches a person raw
(statuses, methods, kinds, roles, audit actions and fields, None, ids), and no Portuguese the system stored
reaches an English page."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import login_as
from tests.i18n.states import PASSWORD, build
from tests.i18n.test_labels import choices_of_models
from webapp import labels, payment_methods
from webapp.models import AuditEntry, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
SHOWN = ("title", "aria-label", "placeholder", "alt")  # attributes a person reads (or hears)


class _Text(HTMLParser):
    """The text a person sees or hears: text nodes (not scripts or styles) and the readable attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in SHOWN and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def raw_codes(english):
    """The codes that must never be read as they are stored: every model field's choices (languages aside,
    they are named in themselves), every audit action and before/after field written, the payment methods.
    In English a code that is itself an English word ("used", "cash") is no tell, so only the ones a person
    would never write are looked for there."""
    codes = {value for (model, name), values in choices_of_models().items() if name != "locale" for value in values}
    codes |= set(payment_methods.labels()) | set(AuditEntry.objects.distinct("action"))
    for entry in AuditEntry.objects.only("before", "after"):
        codes |= set(entry.before or {}) | set(entry.after or {})
    codes |= {"None", "True", "False"}
    if english:
        codes = {c for c in codes if "_" in c or "." in c} | {"None"}
    return codes


def find_raw(text, codes):
    """{code: the words around it} for each raw code in the text."""
    found = {}
    patterns = [rf"(?<![\w.@/-]){re.escape(code)}(?![\w@/-]|\.\w)" for code in codes]
    for pattern in patterns + [r"\b[0-9a-f]{24}\b"]:  # the last: an ObjectId, where a name belongs
        match = re.search(pattern, text)
        if match:
            found[match.group()] = text[max(0, match.start() - 40):match.end() + 40].replace("\n", " | ")
    return found


def portuguese_of_the_system():
    """pt-BR sentences of the catalogue (long enough to be no accident) that differ from their English."""
    with open(ROOT / "webapp/translations/pt_BR/LC_MESSAGES/messages.po", "rb") as f:
        return {m.string for m in read_po(f) if isinstance(m.id, str) and isinstance(m.string, str)
                and len(m.string) >= 12 and m.string != m.id and "%" not in m.string}


def pages(night):
    s, o = night.shows, night.orders
    urls = ["/", "/events", "/venues", "/admin/staff/", "/orders", "/orders/failed", "/shift",
            f"/shift/{night.closed_shift.pk}", f"/shift/{night.open_shift.pk}", "/sell", f"/sell/{s.tonight.pk}",
            "/door/", f"/door/{s.tonight.pk}", "/reports/", "/reports/shifts", f"/reports/door?event={s.tonight.pk}",
            "/refunds/pending", f"/events/{s.cancelled.pk}/cancellation", "/audit/", "/audit/?page=2",
            "/dashboard/live", f"/venues/{s.seated.pk}/seatmap?seat=PLA-A-1", f"/venues/{s.hall.pk}/seatmap"]
    urls += [f"/events/{event.pk}" for event in (s.tonight, s.later, s.closed, s.cancelled, s.draft, s.finished)]
    urls += [f"/reports/sales?group={group}" for group in ("day", "show", "tier", "seller", "method")]
    urls += ["/reports/sales/export.csv?group=method", "/reports/shifts/export.csv"]
    for order in vars(o).values():
        urls += [f"/orders/{order.number}", f"/orders/{order.number}/print"]
    return urls


@pytest.fixture
def night(app, ctx, run_jobs, smtp):
    return build(app, run_jobs)


def test_the_night_has_every_state(night):
    """The data below really is in every state: otherwise the page checks would prove little."""
    from webapp.models import Event, Order, Shift, Ticket

    seen = {"order_status": set(Order.objects.distinct("status")), "ticket_status": set(Ticket.objects.distinct("status")),
            "event_status": set(Event.objects.distinct("status")), "email_status": set(Order.objects.distinct("email_status")),
            "refund_status": set(Order.objects.distinct("refunds.status")),
            "refund_kind": set(Order.objects.distinct("refunds.kind")),
            "payment_status": set(Order.objects.distinct("payments.status")),
            "shift_status": set(Shift.objects.distinct("status")),
            "outbox_status": set(OutboxMessage.objects.distinct("status")),
            "audit_action": night.actions}
    missing = {name: sorted(set(labels.ENUMS[name]) - values) for name, values in seen.items()
               if set(labels.ENUMS[name]) - values}
    # A message is "being queued" or "queued" only for an instant between a relay pass and its job.
    assert missing == {"outbox_status": ["dispatched", "dispatching"]}


@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_no_page_shows_a_raw_code_in_any_state(app, night, language):
    client = app.test_client()
    login_as(client, night.people.admin, PASSWORD)
    client.post("/language", data={"locale": language})
    codes, system_pt = raw_codes(language == "en"), portuguese_of_the_system()
    problems = []
    for url in pages(night):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        body = response.get_data(as_text=True)
        text = body if url.endswith(".csv") else visible_text(body)
        problems += [f"{url}: {code!r} in …{around}…" for code, around in sorted(find_raw(text, codes).items())]
        if language == "en":
            problems += [f"{url}: Portuguese {pt!r}" for pt in sorted(system_pt) if pt in text]
    assert problems == [], "\n".join(problems)


def test_every_audit_entry_reads_in_human_terms(night):
    from webapp.services.audit_text import present

    entries = list(AuditEntry.objects)
    unnamed = {f"{e.action}: {key}" for e in entries for key in {**(e.before or {}), **(e.after or {})}
               if key not in labels.AUDIT_FIELD}
    unnamed |= {e.action for e in entries if e.action not in labels.AUDIT_ACTION}
    unnamed |= {e.target_type for e in entries if e.target_type and e.target_type not in labels.TARGET_TYPE}
    assert unnamed == set()
    lines = present(entries)
    assert all(line.action and line.action != line.entry.action for line in lines)
    assert set(labels.AUDIT_ACTION) <= night.actions  # every named action is one the code really writes
