"""Reference numbers that families read aloud or type to follow a case: random, so not guessable from another
family's, and without look-alike characters (no 0/O, 1/I). A new one is saved by inserting it, retrying the rare
collision with another family's, so two requests filed at the same moment never share one."""

import secrets
from collections.abc import Callable
from typing import Final

from django.db import IntegrityError, models, transaction

READABLE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: each carries 5 bits
_ATTEMPTS: Final = 5


def random_code(length: int) -> str:
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def save_with_new_reference(instance: models.Model, field: str, new_reference: Callable[[], str]) -> None:
    """Save a new `instance` with `field` set by `new_reference()`, unique by the field's constraint. A collision
    takes a fresh reference; any other integrity error (another unique rule) is raised."""
    manager = type(instance)._default_manager
    for _attempt in range(_ATTEMPTS):
        setattr(instance, field, new_reference())
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            if not manager.filter(**{field: getattr(instance, field)}).exists():
                raise
            instance.pk = None
            continue
        return
    raise RuntimeError(f"no free {field} after {_ATTEMPTS} attempts")
