"""The customer's confirmation e-mail: HTML with the tickets and a PDF attachment, sent over SMTP."""
import re
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import gettext as _

from .ticket_print import printable_tickets, tickets_pdf


# Line breaks of every kind and other control characters: none may reach a header.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value):
    """`value` on one line: a show title typed with CR/LF would make the message refuse to build (or, sent
    raw, add headers of its own)."""
    return " ".join(_NOT_ONE_LINE.sub(" ", value or "").split())


def new_message(subject, to):
    """An EmailMessage from the box office to `to`, its headers cleaned by header_text."""
    message = EmailMessage()
    message["Subject"] = header_text(subject)
    message["From"] = header_text(current_app.config["MAIL_FROM"])
    message["To"] = header_text(to)
    return message


def message_id(kind, order):
    """A Message-ID that is the same at every attempt for this order: a repeat shows once in mail programs."""
    domain = current_app.config["MAIL_FROM"].rpartition("@")[2].strip(" <>") or "localhost"
    return f"<{kind}.{order.number}.{order.pk}@{header_text(domain)}>"


def build_confirmation(order, tickets):
    """The EmailMessage for the order (plain text, HTML alternative, PDF of the tickets)."""
    items = printable_tickets(order, tickets)
    message = new_message(_("Your tickets: %(show)s (order %(number)s)", show=order.event_title, number=order.number),
                          order.customer.email)
    message["Message-ID"] = message_id("confirmation", order)
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
