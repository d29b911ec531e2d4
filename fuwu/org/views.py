from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import InvalidInput
from fuwu.org import actions
from fuwu.org.policy import Perm, can, require
from fuwu.org.selectors import api_tokens_of, groups_with_headcount, staff_visible_to


@login_required
def staff_list(request):
    require(request.user, Perm.STAFF_VIEW)
    return render(
        request,
        "org/staff_list.html",
        {"staff": staff_visible_to(request.user), "groups": groups_with_headcount(request.user)},
    )


@login_required
def me(request):
    return render(
        request,
        "org/me.html",
        {
            "tokens": api_tokens_of(request.user),
            "can_issue": can(request.user, Perm.API_TOKEN_ISSUE),
            "new_key": request.session.pop("new_api_key", None),
        },
    )


@login_required
@require_POST
def token_issue(request):
    try:
        _token, key = actions.api_token_issue(actor=request.user, name=request.POST.get("name", ""))
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs))
    else:
        # Shown once on the next page, then gone: only the hash is stored.
        request.session["new_api_key"] = key
    return redirect("org:me")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    actions.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Token revoked."))
    return redirect("org:me")
