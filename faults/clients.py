"""Careful clients: sellers selling through the API, each sale retried with the same Idempotency-Key until it
gets an answer that settles it (201, or a refusal), as the API asks of its callers."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from .stack import request

SETTLED = {201, 400, 403, 404, 409, 422}  # an answer that ends the sale; anything else is tried again


@dataclass
class Sale:
    key: str
    seller: int
    email: str | None
    started: float
    numbers: set = field(default_factory=set)  # every order number answered for this key (one, if all is well)
    acked_at: float | None = None
    refused: int | None = None


@dataclass
class Answer:
    seller: int
    key: str
    status: int  # 0: no answer (connection refused or reset, timed out)
    sent: float
    received: float


class Clients:
    """K threads selling `quantity` tickets per sale of one show; half the sales leave a customer e-mail."""

    def __init__(self, port, tokens, show_id, tier_id, email_share=0.5, quantity=1, give_up_after=180):
        self.port, self.tokens, self.show_id, self.tier_id = port, tokens, show_id, tier_id
        self.email_share, self.quantity, self.give_up_after = email_share, quantity, give_up_after
        self.sales, self.answers, self.lock = [], [], threading.Lock()
        self.no_new_sales, self.threads = threading.Event(), []

    def start(self):
        for i, token in enumerate(self.tokens):
            thread = threading.Thread(target=self._seller, args=(i, token), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self):
        """No new sales; each seller finishes (retries) the sale it is making."""
        self.no_new_sales.set()
        for thread in self.threads:
            thread.join()

    def _seller(self, i, token):
        n = 0
        while not self.no_new_sales.is_set():
            n += 1
            email = f"c{i}-{n}@example.com" if (n * 7919 + i) % 100 < self.email_share * 100 else None
            sale = Sale(str(uuid.uuid4()), i, email, time.monotonic())
            with self.lock:
                self.sales.append(sale)
            self._make(sale, token)

    def _make(self, sale, token):
        body = {"event_id": self.show_id, "items": [{"ticket_type_id": self.tier_id, "quantity": self.quantity}],
                "payments": [{"method": "cash"}]}
        if sale.email:
            body["customer"] = {"name": f"Cliente {sale.seller}", "email": sale.email}
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": sale.key}
        while True:
            sent = time.monotonic()
            status, data, retry_after = request(self.port, "POST", "/api/v1/orders", body, headers)
            received = time.monotonic()
            with self.lock:
                self.answers.append(Answer(sale.seller, sale.key, status, sent, received))
            if status == 201:
                sale.numbers.add(data["number"])
                sale.acked_at = sale.acked_at or received
                return
            if status in SETTLED:
                sale.refused = status
                return
            if received - sale.started > self.give_up_after:
                return  # neither told yes nor no: counted as unanswered
            time.sleep(min(float(retry_after or 0.5), 2.0))

    def acked(self):
        return [s for s in self.sales if s.acked_at is not None]

    def first_sale_after(self, moment):
        """Seconds from `moment` to the first 201 of a request sent after it (None: no sale since)."""
        times = [a.received for a in self.answers if a.status == 201 and a.sent >= moment]
        return min(times) - moment if times else None

    def statuses_since(self, moment):
        """{status: count} of the non-201 answers received after `moment` (0: no answer at all)."""
        counts = {}
        for a in self.answers:
            if a.received >= moment and a.status != 201:
                counts[a.status] = counts.get(a.status, 0) + 1
        return counts

    def slowest_since(self, moment):
        """The longest exchange among those still running at `moment` or begun after it."""
        return max((a.received - a.sent for a in self.answers if a.received >= moment), default=0.0)
