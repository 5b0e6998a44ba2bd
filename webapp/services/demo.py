"""Demo data for `make run` (the catalog part arrives with shows and venues)."""


def seed_catalog():
    """Create the demo venues and shows that are missing."""
    return []
