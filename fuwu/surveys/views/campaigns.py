"""Survey campaigns (R9.1): after each service, monthly or quarterly samples, yearly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fuwu.core.errors import Conflict, FuwuError, PermissionDenied
from fuwu.core.forms import add_action_errors
from fuwu.org.policy import Perm, can
from fuwu.surveys import actions
from fuwu.surveys.forms import CampaignForm
from fuwu.surveys.selectors import campaign_for


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    """A new campaign, or a change to one (with the version seen: a stale change gets 409)."""
    if not can(request.user, Perm.SURVEY_MANAGE):
        raise PermissionDenied()
    campaign = campaign_for(request.user, campaign_id) if campaign_id else None
    initial = {}
    if campaign is not None:
        initial = {"name": campaign.name, "kind": campaign.kind, "questionnaire": campaign.questionnaire_id,
                   "channel": campaign.channel, "service_kinds": campaign.service_kinds,
                   "service_types": list(campaign.service_types.all()), "sample_size": campaign.sample_size,
                   "is_active": campaign.is_active}
    form = CampaignForm(request.POST or None, initial=initial)
    version = request.POST.get("version", campaign.version if campaign else "")
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {"name": d["name"], "kind": d["kind"], "questionnaire": d["questionnaire"],
                  "service_kinds": d["service_kinds"], "service_types": list(d["service_types"]),
                  "sample_size": d["sample_size"] or 0, "channel": d["channel"]}
        try:
            if campaign is None:
                actions.campaign_create(actor=request.user, **fields)
            else:
                text = str(version)
                expected = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1
                actions.campaign_update(actor=request.user, campaign=campaign, expected_version=expected,
                                        is_active=d["is_active"], **fields)
        except Conflict as exc:
            conflict, version = exc.message, campaign_for(request.user, campaign.pk).version
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("surveys:list")
    status = 409 if conflict else 400 if form.is_bound else 200
    return render(request, "surveys/campaign_form.html", {"form": form, "campaign": campaign, "version": version,
                                                          "conflict": conflict}, status=status)
