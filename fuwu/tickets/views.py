"""Placeholder until the workspace pages land."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


workspace = intake = caller_panel = detail = move = hand_over = handover_accept = handover_decline = _todo
reassign = change_tier = mark_major = add_entry = link_repeat = request_ruling = record_ruling = _todo
