import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Ticket tests create many logins; the real hasher would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
