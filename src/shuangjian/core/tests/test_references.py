import pytest

from shuangjian.core.models import User
from shuangjian.core.references import READABLE_ALPHABET, random_code, save_with_new_reference


def test_codes_use_32_symbols_without_lookalikes() -> None:
    assert len(set(READABLE_ALPHABET)) == 32
    assert not set("01IO") & set(READABLE_ALPHABET)
    assert len(random_code(12)) == 12 and set(random_code(64)) <= set(READABLE_ALPHABET)


@pytest.mark.django_db
def test_a_colliding_reference_is_replaced_by_a_fresh_one() -> None:
    User.objects.create(username="TAKEN")
    offered = iter(["TAKEN", "FRESH"])
    user = User(display_name="新用户")
    # when
    save_with_new_reference(user, "username", lambda: next(offered))
    # then
    assert user.pk is not None and User.objects.get(pk=user.pk).username == "FRESH"


@pytest.mark.django_db
def test_no_free_reference_is_an_error_not_a_loop() -> None:
    User.objects.create(username="TAKEN")
    with pytest.raises(RuntimeError):
        save_with_new_reference(User(display_name="新用户"), "username", lambda: "TAKEN")
