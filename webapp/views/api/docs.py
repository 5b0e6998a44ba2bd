"""The OpenAPI 3 document (JSON) and Swagger UI at /api/docs/, served from the swagger-ui-dist npm package."""
from flask import Blueprint, current_app, jsonify, render_template

from ...security import SPEC_PATH, roles_required
from ...models import ROLES

bp = Blueprint("apidocs", __name__)



@bp.route(SPEC_PATH)
@roles_required(*ROLES)
def spec():
    """The API's OpenAPI 3 document, built from its schemas (a session or a Bearer token reads it)."""
    return jsonify(current_app.extensions["bilheteria_api"].spec.to_dict())


@bp.route("/api/docs/")
@roles_required(*ROLES)
def page():
    """Swagger UI over the document."""
    return render_template("api/docs.html", spec_url=SPEC_PATH)
