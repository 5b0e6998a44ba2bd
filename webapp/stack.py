"""Compatibility only, for bench/ (another branch owns it): the launcher moved to localstack/. Remove after the merge."""
from localstack.databases import start_mongo, start_redis  # noqa: F401
