import sys

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
from django.views.decorators.http import require_POST

from fuwu.core.actions import notification_mark_read, notifications_mark_all_read
from fuwu.core.codes import audit_actions
from fuwu.core.errors import DATABASE_UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS
from fuwu.core.request_context import client_ip
from fuwu.core.selectors import access_notification, notifications_for
from fuwu.core.validation import parse_id
from fuwu.org.actions import login_success_record
from fuwu.org.policy import Perm, is_staff_member, require
from fuwu.portal.selectors import is_portal_login
from fuwu.site.api import database_unavailable
from fuwu.site.forms import LockoutAuthenticationForm
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
        login_success_record(user=form.get_user(), ip_address=client_ip(self.request))
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
        "selected_action": request.GET.get("action", ""),
    })


@login_required
def notification_list(request):
    """The viewer's in-app notifications, fed by outbox rows (docs/architecture.md, rule 5)."""
    before = request.GET.get("before", "")
    unread_only = request.GET.get("unread") == "1"
    rows, has_more = notifications_for(
        request.user, before_id=parse_id(before), unread_only=unread_only
    )
    return render(request, "site/notifications.html", {
        "rows": rows, "next_before": rows[-1].pk if has_more else None, "unread_only": unread_only,
    })


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
        return redirect("notifications")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    notifications_mark_all_read(actor=request.user)
    return redirect("notifications")


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
