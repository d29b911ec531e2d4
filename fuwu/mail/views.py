"""The administrators' page of outgoing e-mail that failed: dead letters and those waiting to be retried."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import InvalidInput
from fuwu.core.outbox import MAX_ATTEMPTS
from fuwu.core.querysets import get_visible
from fuwu.mail import actions
from fuwu.mail.selectors import undelivered_mail_for
from fuwu.org.policy import Perm, require


@login_required
def outbox_failed(request):
    require(request.user, Perm.STAFF_MANAGE)
    page = Paginator(undelivered_mail_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "mail/outbox_failed.html", {"page": page, "max_attempts": MAX_ATTEMPTS})


@login_required
@require_POST
def outbox_retry(request, message_id: int):
    require(request.user, Perm.STAFF_MANAGE)
    message = get_visible(undelivered_mail_for(request.user), message_id)
    try:
        actions.outbox_retry(actor=request.user, message=message)
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs))
    else:
        messages.success(request, _("The e-mail will be sent again."))
    return redirect("mail:outbox_failed")
