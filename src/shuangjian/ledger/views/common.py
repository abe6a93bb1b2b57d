"""What the escrow views share: mapping the domain's refusals to HTTP, and a fresh idempotency key per form."""

from uuid import uuid4


def new_key() -> str:
    """A form's idempotency key: rendered once into the form, so a double submission replays the first."""
    return uuid4().hex
