import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from fuwu.core.actions import (
    notification_language_set,
    notification_mark_read,
    notification_preference_set,
    notifications_mark_all_read,
    notifications_mark_group_read,
)
from fuwu.core.codes import audit_actions
from fuwu.core.errors import DATABASE_UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS, FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.core.request_context import client_ip
from fuwu.core.selectors import (
    access_notification,
    notification_groups,
    notification_preference_of,
    notifications_for,
)
from fuwu.core.validation import parse_id
from fuwu.org.actions import login_success_record
from fuwu.org.policy import Perm, is_staff_member, require
from fuwu.portal.selectors import is_portal_login
from fuwu.site.api import database_unavailable
from fuwu.site.forms import LockoutAuthenticationForm, NotificationPreferenceForm
from fuwu.site.home import home_figures
from fuwu.site.middleware import API_PREFIX
from fuwu.site.selectors import audit_page
from fuwu.site.styleguide import samples as styleguide_samples


class FuwuLoginView(LoginView):
    template_name = "site/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        login_success_record(user=user, ip_address=client_ip(self.request))
        # A language chosen on the login page is the person's choice; else the pages open in the one they
        # chose last time, on whatever device.
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            notification_language_set(actor=user, language=chosen)
        elif saved := notification_preference_of(user).language:
            _set_language_cookie(response, saved)
        return response


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE)


def language_switch(request):
    """Django's language switch (`set_language`), which also remembers a signed-in person's choice:
    their notices are worded in it and their next login opens in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        notification_language_set(actor=request.user, language=language)
    return response


def admin_login(request):
    """The admin's login URL leads to the one login page; a login without admin rights gets the 403 page."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def home(request):
    if is_portal_login(request.user):  # a customer's login lands on its portal (R3.1)
        return redirect("portal:home")
    return render(request, "site/home.html", {"figures": home_figures(request.user)})


@login_required
def audit_list(request):
    require(request.user, Perm.AUDIT_VIEW)
    before = request.GET.get("before")
    events, has_more = audit_page(
        request.user,
        action=request.GET.get("action", ""),
        before_id=parse_id(before),
    )
    next_before = events[-1].pk if has_more else None
    actions = sorted(((a.value, a.label) for a in audit_actions()), key=lambda pair: str(pair[1]))
    return render(request, "site/audit_list.html", {
        "events": events, "next_before": next_before, "actions": actions,
        "selected_action": request.GET.get("action", ""), "show_hashes": request.GET.get("hashes") == "1",
    })


@login_required
def notification_list(request):
    """The viewer's notices, one row per request with its count and latest notice (rule 5 feeds them).

    `?topic=` lists every notice of one group, newest first, in keyset pages.
    """
    before = parse_id(request.GET.get("before", ""))
    unread_only = request.GET.get("unread") == "1"
    topic = request.GET.get("topic", "")[:300]
    context = {"unread_only": unread_only, "topic": topic, "preference": notification_preference_of(request.user)}
    if topic:
        rows, has_more = notifications_for(request.user, before_id=before, unread_only=unread_only, topic=topic)
        context.update(rows=rows, next_before=rows[-1].pk if has_more else None)
    else:
        groups, next_before = notification_groups(request.user, before_id=before, unread_only=unread_only)
        context.update(groups=groups, next_before=next_before)
    return render(request, "site/notifications.html", context)


@login_required
@require_POST
def notification_read(request, notification_id: int):
    """Mark one read and go where it points (an internal link only)."""
    notification = access_notification(request.user, notification_id)
    notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if request.POST.get("stay") == "1" or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target:
        return _back_to_notifications(request)
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    messages.success(request, ngettext("%(count)s notice marked read.", "%(count)s notices marked read.", count)
                     % {"count": count})
    return _back_to_notifications(request)


@login_required
@require_POST
def notification_group_read(request):
    """Mark the notices of one group (one request) read."""
    notifications_mark_group_read(actor=request.user, topic=request.POST.get("topic", "")[:300])
    return _back_to_notifications(request, keep=("unread",))


def _back_to_notifications(request, keep=("unread", "topic")):
    """Back to the page (and filter) the button was on: a plain POST, then a redirect (works without script)."""
    query = {key: request.POST[key] for key in keep if request.POST.get(key)}
    return redirect(reverse("notifications") + (f"?{urlencode(query)}" if query else ""))


@login_required
def notification_settings(request):
    """Choose how notices reach you beyond the app: at once or as one daily digest e-mail."""
    preference = notification_preference_of(request.user)
    form = NotificationPreferenceForm(
        request.POST or None, initial={"delivery": preference.delivery, "version": preference.version})
    if request.method == "POST" and form.is_valid():
        try:
            notification_preference_set(actor=request.user, delivery=form.cleaned_data["delivery"],
                                        version=form.cleaned_data["version"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Saved."))
            return redirect("notifications")
    return render(request, "site/notification_settings.html", {"form": form, "preference": preference})


@login_required
def styleguide(request):
    """The living style guide: each component with sample content (staff only; docs/design.md)."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    return render(request, "site/styleguide.html", styleguide_samples())


def error_403(request, exception=None):
    return render(request, "403.html", {"exception": exception}, status=403)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon (no 404 on every page)."""
    return redirect(static("fuwu/favicon.svg"), permanent=True)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """Django calls this inside its `except`: a database that did not answer gets 503 and a retry, not "broken"."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        if request.path.startswith(API_PREFIX):
            return database_unavailable(request, sys.exc_info()[1])
        # Rendered without the request: the context processors would ask the database again.
        response = HttpResponse(render_to_string("503.html", {"retry_seconds": UNAVAILABLE_RETRY_SECONDS}), status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response
    return render(request, "500.html", status=500)
