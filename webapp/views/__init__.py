"""Blueprints, one per area."""
from .account import bp as account_bp
from .api import bp as api_bp
from .api.docs import bp as api_docs_bp
from .audit import bp as audit_bp
from .auth import bp as auth_bp
from .catalog import bp as catalog_bp
from .dashboard import bp as dashboard_bp
from .devices import bp as devices_bp
from .door import bp as door_bp
from .health import bp as health_bp
from .main import bp as main_bp
from .refunds import bp as refunds_bp
from .reports import bp as reports_bp
from .sales import bp as sales_bp
from .staff import bp as staff_bp

BLUEPRINTS = [auth_bp, health_bp, main_bp, staff_bp, catalog_bp, api_bp, sales_bp, door_bp, audit_bp, dashboard_bp, reports_bp,
              refunds_bp, account_bp, devices_bp, api_docs_bp]
