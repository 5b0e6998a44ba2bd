"""Security headers on every answer (built with the `secure` package): one strict policy for pages, fragments and
the API; the camera only on the door's scanning page; Swagger UI's inline style only on its own page."""
from flask import request
from secure import (ContentSecurityPolicy, CrossOriginOpenerPolicy, CrossOriginResourcePolicy, PermissionsPolicy,
                    ReferrerPolicy, Secure, StrictTransportSecurity, XContentTypeOptions, XFrameOptions)

# The door's scanning page reads QR codes with the camera (static/js/door.js); a scan or an undo posted without
# JavaScript answers with that same page. No other page may use the camera.
CAMERA_ENDPOINTS = {"door.scan_page", "door.scan", "door.undo"}
# Swagger UI (swagger-ui-dist) styles its widgets inline and draws icons from data: URLs.
DOCS_ENDPOINTS = {"apidocs.page"}
# Static files hold nothing personal; every other answer (pages, fragments, API, exports) is never stored.
STATIC_ENDPOINTS = {"static"}
# Powerful features no page uses (each is known to Chromium, which logs an error for unknown names).
DENIED_FEATURES = ("accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid", "magnetometer",
                   "microphone", "midi", "payment", "serial", "usb")


def _csp(inline):
    csp = (ContentSecurityPolicy().default_src("'self'").connect_src("'self'").font_src("'self'")
           .form_action("'self'").frame_ancestors("'none'").base_uri("'none'").object_src("'none'"))
    if inline:  # Swagger UI: its scripts are files too, but it styles widgets inline and draws icons from data:
        return csp.script_src("'self'").style_src("'self'", "'unsafe-inline'").img_src("'self'", "data:")
    # No 'unsafe-inline' and no 'unsafe-eval': templates keep script and style in static files (a test reads them).
    return csp.script_src("'self'").style_src("'self'").img_src("'self'")


def _policy(hsts_seconds, camera=False, inline=False):
    features = PermissionsPolicy()
    for feature in DENIED_FEATURES:
        features.add_directive(feature, *(["self"] if camera and feature == "camera" else []))
    return Secure(
        csp=_csp(inline), permissions=features,
        xfo=XFrameOptions().deny(), xcto=XContentTypeOptions().nosniff(),
        # same-origin, not no-referrer: Flask-WTF refuses a form posted over HTTPS without a same-site Referer.
        referrer=ReferrerPolicy().same_origin(),
        coop=CrossOriginOpenerPolicy().same_origin(), corp=CrossOriginResourcePolicy().same_origin(),
        hsts=StrictTransportSecurity().max_age(hsts_seconds).include_subdomains() if hsts_seconds else None)


def init_headers(app):
    """Set the security headers and `Cache-Control: no-store` on every answer of `app`."""
    hsts = app.config["HSTS_SECONDS"]
    # Each kind's headers as (name, value) pairs, made once: the `secure` package rebuilt and checked them on every
    # answer. Orders, customers' e-mails, takings: no browser or proxy keeps a copy (nor shows it after sign-out).
    no_store = (("Cache-Control", "no-store"),)
    page, door, docs = (tuple(policy.header_items()) for policy in
                        (_policy(hsts), _policy(hsts, camera=True), _policy(hsts, inline=True)))
    kinds = {**dict.fromkeys(CAMERA_ENDPOINTS, door + no_store), **dict.fromkeys(DOCS_ENDPOINTS, docs + no_store),
             **dict.fromkeys(STATIC_ENDPOINTS, page)}
    other = page + no_store

    @app.after_request
    def _security_headers(response):
        set_header = response.headers.set
        for name, value in kinds.get(request.endpoint, other):
            set_header(name, value)
        return response
