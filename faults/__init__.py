"""`make faults`: the project's failures proven by the project itself.

Starts a three-member replica set (localstack.replset), Redis, an SMTP server that records what it receives,
gunicorn, the RQ worker and the outbox relay; careful clients sell through the API (the same Idempotency-Key on
every retry) while one fault at a time is injected; then the database is checked against what the clients were
told. One line of figures per fault; the exit code is 1 when a must-be-zero figure is not zero.
"""
