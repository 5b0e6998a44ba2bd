"""The customer's confirmation e-mail: HTML with the tickets and a PDF attachment, sent over SMTP."""
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import gettext as _

from .ticket_print import printable_tickets, tickets_pdf


def build_confirmation(order, tickets):
    """The EmailMessage for the order (plain text, HTML alternative, PDF of the tickets)."""
    items = printable_tickets(order, tickets)
    message = EmailMessage()
    message["Subject"] = _("Your tickets: %(show)s (order %(number)s)", show=order.event_title, number=order.number)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = order.customer.email
    message.set_content(render_template("email/confirmation.txt", order=order, items=items))
    message.add_alternative(render_template("email/confirmation.html", order=order, items=items), subtype="html")
    message.add_attachment(tickets_pdf(items), maintype="application", subtype="pdf",
                           filename=f"tickets-{order.number}.pdf")
    return message


def send(message):
    """Send through the configured SMTP server; raises on failure so the job is retried."""
    cfg = current_app.config
    with smtplib.SMTP(cfg["MAIL_HOST"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        smtp.send_message(message)
