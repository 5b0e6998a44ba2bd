"""A number box given text says one thing — that it wants a number — not that and its range at once."""
import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FloatField, IntegerField

import webapp.forms.auth
import webapp.forms.catalog
import webapp.forms.seatmaps
from webapp.models import Venue

MODULES = (webapp.forms.auth, webapp.forms.catalog, webapp.forms.seatmaps)


def _number_fields():
    """(form class, field name) of every integer or decimal box of the app's forms."""
    for module in MODULES:
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, FlaskForm) and form.__module__ == module.__name__:
                for name, unbound in vars(form).items():
                    if getattr(unbound, "field_class", None) and issubclass(unbound.field_class, (IntegerField, FloatField)):
                        yield form, name


@pytest.mark.parametrize("form_class, name", list(_number_fields()), ids=lambda v: getattr(v, "__name__", v))
def test_text_in_a_number_box_is_one_message(app, form_class, name):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({name: "doze"}), meta={"csrf": False})
        form.validate()
        assert len(form[name].errors) == 1, form[name].errors


@pytest.mark.parametrize("form_class, name", list(_number_fields()), ids=lambda v: getattr(v, "__name__", v))
def test_an_empty_number_box_is_at_most_one_message(app, form_class, name):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({name: ""}), meta={"csrf": False})
        form.validate()
        assert len(form[name].errors) <= 1, form[name].errors


def test_a_venue_with_text_for_its_capacity_is_refused_with_one_clear_message(client, logged_in):
    logged_in("admin")
    response = client.post("/venues/new", data={"name": "Sala Azul", "capacity": "cem", "kind": "general",
                                                "timezone": "America/Sao_Paulo"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and Venue.objects(name="Sala Azul").count() == 0
    errors = html.split('name="capacity"', 1)[1].split("</div>", 1)[0].count('class="error"')
    assert errors == 1 and "Digite um número inteiro, por exemplo 12." in html
