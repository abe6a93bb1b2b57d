"""Test settings: the real settings with only speed knobs changed."""

from shuangjian.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
