"""The ledger worker the crash test kills (test_crash.py): it buys, delivers, confirms and refunds in a loop
through the real services and prints `ACK <key> <transfer or purchase id>` after each call returns, i.e. after
its transaction committed. Arguments: parent, operator, institution and student ids; LEDGER_TWIN=1 runs the Python
twin of the posting function."""

import contextlib
import os
import random
import sys
import uuid


def main() -> None:
    import django

    django.setup()
    from shuangjian.core.models import User
    from shuangjian.ledger.services import lessons, posting, purchases

    parent_id, operator_id, institution_id, student_id = (int(arg) for arg in sys.argv[1:5])
    parent, operator = User.objects.get(pk=parent_id), User.objects.get(pk=operator_id)
    rng = random.Random()
    test_process = os.getppid()

    def ack(key: str, identifier: int) -> None:
        sys.stdout.write(f"ACK {key} {identifier}\n")
        sys.stdout.flush()
        if os.getppid() != test_process:  # the test that started us is gone: stop
            raise SystemExit(0)

    twin = posting.python_twin() if os.environ.get("LEDGER_TWIN") == "1" else contextlib.nullcontext()
    with twin:
        while True:
            key = uuid.uuid4().hex
            terms = purchases.CourseTerms("少儿篮球", 6, rng.randint(1, 80_000), 3)
            purchase = purchases.purchase_create(
                actor=parent, institution_id=institution_id, student_id=student_id, terms=terms, idempotency_key=key
            )
            ack(key, purchase.pk)
            for _lesson in range(rng.randint(1, 4)):
                key = uuid.uuid4().hex
                held = lessons.lesson_deliver(actor=operator, purchase_id=purchase.pk, idempotency_key=key)
                ack(key, held.transfer_id)
                key = uuid.uuid4().hex
                ack(
                    key,
                    lessons.lesson_confirm(actor=parent, hold_id=held.hold_id or 0, idempotency_key=key).transfer_id,
                )
            key = uuid.uuid4().hex
            ack(
                key, purchases.purchase_refund(actor=operator, purchase_id=purchase.pk, idempotency_key=key).transfer_id
            )


if __name__ == "__main__":
    main()
