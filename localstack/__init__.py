"""The local stack: real mongod and redis-server for `make run`, `make reset-data`, the tests and bench/.

Not part of the web app (the production image leaves it out): `processes` starts and stops children,
`databases` starts mongod and redis-server on them, `supervisor` is `make run` / `make reset-data`.
"""
