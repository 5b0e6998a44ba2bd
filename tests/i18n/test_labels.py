"""Every enumerated value the models store has a label in webapp/labels.py, translated into pt-BR."""
from flask_babel import force_locale

from webapp import labels, models

# Labels that read the same in both languages, on purpose.
SAME_IN_BOTH = {"Pix", "Total", "E-mails"} | set(labels.LANGUAGE.values())


def choices_of_models():
    """{(model, field): choices} of every stored field with `choices` (lists of them included)."""
    found = {}
    for model in (*models.ALL_DOCUMENTS, models.Customer, models.OrderLine, models.Payment, models.Refund):
        for name, field in model._fields.items():
            choices = field.choices or getattr(getattr(field, "field", None), "choices", None)
            if choices:
                found[(model.__name__, name)] = [c[0] if isinstance(c, (list, tuple)) else c for c in choices]
    return found


def test_every_choice_of_every_model_has_a_label(app):
    fields = choices_of_models()
    assert ("Order", "status") in fields and ("User", "roles") in fields and ("Refund", "kind") in fields
    unmapped = sorted(f"{model}.{name}" for model, name in fields if (model, name) not in labels.FIELD_ENUMS)
    assert unmapped == [], "say in labels.FIELD_ENUMS which enumeration names this field"
    with app.test_request_context():
        unnamed = sorted(f"{model}.{name} = {value!r}" for (model, name), values in fields.items()
                         for value in values if value not in labels.enum(labels.FIELD_ENUMS[(model, name)]))
    assert unnamed == []


def test_every_label_is_translated_into_pt_br(app):
    untranslated = []
    with app.test_request_context():
        for name in [*labels.ENUMS, "payment_method"]:
            for code, label in labels.enum(name).items():
                with force_locale("en"):
                    english = str(label)
                with force_locale("pt_BR"):
                    portuguese = str(label)
                if english == portuguese and english not in SAME_IN_BOTH:
                    untranslated.append(f"{name}.{code}: {english!r}")
    assert untranslated == []


def test_a_label_is_read_in_the_readers_language_and_an_unknown_code_stays_visible(app):
    with app.test_request_context(), force_locale("pt_BR"):
        assert labels.label("order_status", "partially_refunded") == "Reembolsado em parte"
        assert labels.label("payment_method", "exchange") == "Crédito de troca"
        assert labels.label("audit_action", "event.status") == "Situação do espetáculo alterada"
        assert labels.label("order_status", None) == ""
        assert labels.label("order_status", "brand_new") == "brand_new"  # never a blank: the page test finds it
    with app.test_request_context(), force_locale("en"):
        assert labels.label("event_status", "sales_closed") == "Sales closed"
        assert labels.reason("Espetáculo cancelado") == "Show cancelled"  # stored in Portuguese by older versions
        assert labels.reason("Cliente desistiu") == "Cliente desistiu"  # typed by a person: as typed
