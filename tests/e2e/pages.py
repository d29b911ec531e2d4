"""Steps the browser journeys share."""

from django.conf import settings

from tests.factories import PASSWORD


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in on the one login page as `username`, leaving whoever was signed in before (the chosen
    language stays)."""
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
