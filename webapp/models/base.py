"""Helpers shared by the documents."""
import re
import unicodedata
from datetime import datetime, timezone

from mongoengine import EmbeddedDocumentField, ListField, ValidationError
from mongoengine.base import BaseDocument
from mongoengine.errors import FieldDoesNotExist


def utcnow():
    return datetime.now(timezone.utc)


def fold(text):
    """Text as searched: accents dropped, case folded ("João" and "JOAO" both give "joao")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_words(text):
    """The distinct folded words of a name, in order: what an indexed prefix search looks up."""
    return list(dict.fromkeys(re.findall(r"\w+", fold(text))))


def raw_document(model, values):
    """What `model(**values)` writes after validate() (its to_mongo()), built without a document instance: each field
    checked by its own declaration (required, choices, lengths, ranges, embedded documents, to_python's conversions),
    defaults filled in, the model's clean_values() applied; mongoengine's ValidationError as validate() raises it.
    For the documents a sale writes and never reads back (outbox message, audit entry): building a document only to
    turn it into this cost ~0.1 ms each."""
    unknown = set(values) - set(model._fields)
    if unknown:
        raise FieldDoesNotExist(f"The fields {sorted(unknown)} do not exist on the document {model._class_name}")
    if model.clean is not BaseDocument.clean and not hasattr(model, "clean_values"):
        raise TypeError(f"{model._class_name} has a clean(): give it the clean_values() raw_document applies")
    if hasattr(model, "clean_values"):
        values = model.clean_values(values)
    son, errors = {}, {}
    for name in model._fields_ordered:
        field, value = model._fields[name], values.get(name)
        if value is None and field.default is not None and not field.null:  # as a document's __set__ does
            value = field.default() if callable(field.default) else field.default
        if value is None:
            if field.required:
                errors[name] = ValidationError("Field is required", field_name=name)
            continue
        try:
            son[field.db_field] = _raw_value(field, value)
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(f"ValidationError ({model._class_name}:{values.get('id')}) ", errors=errors)
    return son


def _raw_value(field, value):
    if isinstance(field, EmbeddedDocumentField):
        return _raw_embedded(field, field.document_type, value)
    if isinstance(field, ListField) and isinstance(field.field, EmbeddedDocumentField):
        if not isinstance(value, (list, tuple)):
            field.error("Only lists and tuples may be used in a list field")
        return [_raw_embedded(field, field.field.document_type, item) for item in value]
    value = field.to_python(value)
    field._validate(value)
    return field.to_mongo(value)


def _raw_embedded(field, document_type, value):
    if isinstance(value, document_type):  # already a document (payments.settle's Payment): checked as it is
        value.validate()
        return dict(value.to_mongo())
    if not isinstance(value, dict):
        field.error(f"Invalid embedded document instance provided to an {type(field).__name__}")
    return raw_document(document_type, value)
