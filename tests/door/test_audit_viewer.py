"""The audit trail viewer: filters, pages, bad input → 400, and entries that nothing can change or delete."""
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bson import ObjectId

from webapp.models import AuditEntry
from webapp.models.audit import AuditIsAppendOnly
from webapp.services.audit import record

HX = {"HX-Request": "true"}
UTC = timezone.utc


def entry(action="sale", username="maria", at=None, **extra):
    return AuditEntry(action=action, username=username, at=at or datetime.now(UTC), **extra).save()


def rows(html):
    return re.findall(r'<tr id="audit-([0-9a-f]{24})"', html)


def test_manager_sees_who_what_when_target_and_a_compact_diff(client, logged_in):
    logged_in("manager")
    e = entry("tier.update", username="ana", at=datetime(2030, 3, 10, 2, 30, tzinfo=UTC), order_number="250310-ABCDEF",
              target_type="TicketType", target_id="x1", reason="reajuste",
              before={"price_cents": 10000, "tier": "Inteira"}, after={"price_cents": 12000, "tier": "Inteira"})
    html = client.get("/audit/").get_data(as_text=True)
    assert rows(html)[0] == str(e.pk)  # newest first (the manager's own account creation is older)
    assert "ana" in html and "Tipo de ingresso alterado" in html and "250310-ABCDEF" in html and "reajuste" in html
    assert "tier.update" not in html.split('id="audit-table"')[1]  # the action in words, its code only in the filter
    assert "9 de mar. de 2030 23:30:00" in html  # 02:30 UTC is the evening before in São Paulo
    assert "<strong>Preço</strong>:\n              <del>R$\xa0100,00</del> → <ins>R$\xa0120,00</ins>" in html
    assert "<strong>Tipo de ingresso</strong>" not in html  # unchanged keys are left out


def test_filters_by_user_action_show_order_and_local_dates(client, logged_in, make_user):
    logged_in("admin")
    joao = make_user("seller", username="joao")
    show = ObjectId()
    a = entry("sale", "maria", datetime(2030, 5, 1, 15, tzinfo=UTC), event_id=show, order_number="300501-AAAAAA")
    b = entry("refund", "maria", datetime(2030, 5, 2, 2, tzinfo=UTC), event_id=show)  # 1 May 23:00 local
    c = entry("sale", "joao", datetime(2030, 5, 2, 15, tzinfo=UTC), user_id=joao.pk)
    d = entry("user.create", "admin1", datetime(2030, 5, 3, 15, tzinfo=UTC))

    def ids(query):
        response = client.get("/audit/?" + query, headers=HX)
        assert response.status_code == 200, response.get_data(as_text=True)
        return set(rows(response.get_data(as_text=True)))

    assert ids("user=maria") == {str(a.pk), str(b.pk)}
    assert ids("user=MARIA") == {str(a.pk), str(b.pk)}
    assert ids("action=sale") == {str(a.pk), str(c.pk)}
    assert ids(f"show={show}") == {str(a.pk), str(b.pk)}
    assert ids("order=300501-aaaaaa") == {str(a.pk)}
    assert ids("from=2030-05-01&to=2030-05-01") == {str(a.pk), str(b.pk)}
    assert ids("from=2030-05-02") == {str(c.pk), str(d.pk)}
    assert ids("to=2030-05-02&action=sale&user=joao") == {str(c.pk)}
    assert ids("user=joao") == {str(c.pk)}  # an existing account: matched by its id
    assert ids("user=nobody") == set()


def test_pages_keep_the_filters_and_htmx_gets_only_the_table(client, logged_in):
    logged_in("manager")
    start = datetime(2030, 1, 1, 12, tzinfo=UTC)
    for i in range(120):
        entry("sale", "maria", start + timedelta(minutes=i))
    entry("refund", "maria", start)
    first = client.get("/audit/?action=sale", headers=HX).get_data(as_text=True)
    assert first.startswith('<div id="audit-table">') and "<html" not in first
    assert len(rows(first)) == 50 and "120 registros" in first and "página 1 de 3" in first
    assert 'href="/audit/?page=2&amp;action=sale"' in first and 'hx-push-url="true"' in first
    newest = AuditEntry.objects(action="sale").order_by("-at").first()
    assert rows(first)[0] == str(newest.pk)
    last = client.get("/audit/?page=3&action=sale").get_data(as_text=True)
    assert "<html" in last and len(rows(last)) == 20
    assert '<option value="sale" selected>Venda</option>' in last  # reload keeps the filter in the form
    seen = set()
    for page in (1, 2, 3):
        seen.update(rows(client.get(f"/audit/?page={page}&action=sale", headers=HX).get_data(as_text=True)))
    assert len(seen) == 120  # every entry on exactly one page


@pytest.mark.parametrize("query, message", [
    ("from=yesterday", "precisa ser uma data"),
    ("to=2030-13-45", "precisa ser uma data"),
    ("from=99999-01-01", "precisa ser uma data"),
    ("from=2030-05-02&to=2030-05-01", "A data final é anterior"),
    ("show=not-an-object-id", "Espetáculo desconhecido"),
    ("user=" + "a" * 100_000, "tem caracteres ou um tamanho"),
    ("action=%24where", "tem caracteres ou um tamanho"),
    ("order=" + "9" * 500, "tem caracteres ou um tamanho"),
    ("page=0", "A página precisa ser"),
    ("page=abc", "A página precisa ser"),
    ("page=" + "9" * 40, "A página precisa ser"),
])
def test_bad_filters_are_a_clear_400_never_a_500(client, logged_in, query, message):
    logged_in("manager")
    entry()
    for headers in ({}, HX):
        response = client.get("/audit/?" + query, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html and rows(html) == []


@pytest.mark.parametrize("role", ["seller", "door"])
def test_viewer_is_refused_to_sellers_and_door_staff(client, logged_in, role):
    logged_in(role)
    assert client.get("/audit/").status_code == 403
    assert 'href="/audit/"' not in client.get("/").get_data(as_text=True)


def test_entries_cannot_be_changed_or_deleted_through_the_model(ctx, make_user):
    user = make_user("manager")
    written = record("ticket.admission_undo", user, reason="teste", after={"status": "valid"})  # insert still works
    stored = AuditEntry.objects.get(action="ticket.admission_undo")
    assert stored.username == user.username and written["reason"] == "teste"  # the raw entry written
    stored.reason = "reescrito"
    for attempt in (stored.save, stored.delete, lambda: stored.update(reason="x"), lambda: stored.modify(reason="x"),
                    lambda: AuditEntry.objects(action="ticket.admission_undo").update(set__reason="x"),
                    lambda: AuditEntry.objects(action="ticket.admission_undo").update_one(set__reason="x"),
                    lambda: AuditEntry.objects(action="ticket.admission_undo").delete(),
                    lambda: AuditEntry.objects(action="ticket.admission_undo").modify(set__reason="x")):
        with pytest.raises(AuditIsAppendOnly):
            attempt()
    assert AuditEntry.objects.get(action="ticket.admission_undo").reason == "teste"


# A write that could change or remove audit entries: a method of that kind called on a line that names the
# AuditEntry model or the "audit" collection.
_WRITES = r"\.(update|update_one|update_many|upsert_one|modify|delete|delete_one|delete_many|remove|replace_one|" \
          r"find_one_and_update|find_one_and_replace|find_one_and_delete|bulk_write|drop|drop_collection)\("
_AUDIT_WRITE = re.compile(r"(AuditEntry\b|[\"']audit[\"']\]?|\.audit\b)[^\n]*" + _WRITES)


def audit_writes(source):
    return [line.strip() for line in source.splitlines() if _AUDIT_WRITE.search(line)]


def test_the_checker_spots_edits_and_deletes_of_entries():
    bad = ["AuditEntry.objects(pk=x).update(set__reason='y')", "AuditEntry._get_collection().delete_many({})",
           "db['audit'].update_one({}, {})", "database().audit.find_one_and_delete({})",
           "AuditEntry.objects(action='sale').delete()", "AuditEntry.drop_collection()"]
    good = ["AuditEntry._get_collection().insert_one(entry.to_mongo(), session=session)",
            "AuditEntry.objects(action='sale').count()", "Ticket._get_collection().update_one({}, {})"]
    assert [audit_writes(line) != [] for line in bad] == [True] * len(bad)
    assert [audit_writes(line) for line in good] == [[]] * len(good)


def test_no_code_path_edits_or_deletes_an_audit_entry():
    root = Path(__file__).resolve().parents[2] / "webapp"
    found = {str(path.relative_to(root)): hits for path in sorted(root.rglob("*.py"))
             if (hits := audit_writes(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_changes_read_as_people_write_them(ctx):
    from datetime import datetime, timezone

    from webapp.services.audit_text import changes

    rows = dict((key, (old, new)) for key, old, new in changes(
        {"price_cents": 10000, "active": True, "roles": ["seller"], "starts_at": datetime(2026, 12, 4, 23, 30, tzinfo=timezone.utc),
         "status": "draft", "gate": None, "used_at": "2026-12-04T23:30:00"},
        {"price_cents": 12550, "active": False, "roles": ["seller", "door"], "starts_at": datetime(2026, 12, 5, 0, 0, tzinfo=timezone.utc),
         "status": "on_sale", "gate": "Norte", "methods": {"cash": 1000, "exchange": 500}}, "Event"))
    assert rows["Preço"] == ("R$\xa0100,00", "R$\xa0125,50")
    assert rows["Ativo"] == ("sim", "não")
    assert rows["Perfis"] == ("Bilheteria", "Bilheteria, Portaria")
    assert rows["Início"] == ("04/12/2026 20:30", "04/12/2026 21:00")  # São Paulo time
    assert rows["Situação"] == ("Rascunho", "À venda")
    assert rows["Porta"] == ("—", "Norte")  # not set is a mark, never "None"
    assert rows["Usado em"] == ("04/12/2026 20:30", None)  # a time kept as text is local too
    assert rows["Por forma de pagamento"] == (None, "Dinheiro R$\xa010,00, Crédito de troca R$\xa05,00")


def test_a_shift_close_reads_as_a_status_change_with_its_figures(client, logged_in, make_user, app):
    """Closing a shift changed its status; the expected cash is one of its figures, not a value the count struck out."""
    from webapp.services import shifts

    seller = make_user("seller")
    with app.test_request_context():
        shifts.close_shift(seller, shifts.open_shift(seller, 100_00), 95_50)
    logged_in("manager")
    html = client.get("/audit/?action=shift.close").get_data(as_text=True)
    assert "<strong>Situação</strong>:\n              <del>Aberto</del> → <ins>Fechado</ins>" in html
    assert "<strong>Dinheiro esperado</strong>:\n              <ins>R$\xa0100,00</ins>" in html
    assert "<strong>Diferença</strong>:\n              <ins>-R$\xa04,50</ins>" in html
