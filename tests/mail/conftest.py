from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.DEFAULT_FROM_EMAIL = "service@fuwu.example"
