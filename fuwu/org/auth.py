"""The one password check, with the one lockout (R1.2).

Every way in that checks a password goes through `django.contrib.auth.authenticate` and so through
this backend: the login page, the admin's login form (which `config/urls.py` also sends to the
login page), and anything added later. A locked account or address is refused before the password
is even compared, and every wrong password is counted, wherever it was typed.
"""

from django.contrib.auth.backends import ModelBackend

from fuwu.core.request_context import client_ip
from fuwu.org.actions import login_failure_record, login_locked_until


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        ip_address = client_ip(request)
        if username and login_locked_until(username, ip_address):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username and password:
            login_failure_record(username=username, ip_address=ip_address)
        return user
