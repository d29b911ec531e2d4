from django.http import HttpResponse


def _stub(request, **kwargs):
    return HttpResponse("")


action_index = action_new = action_detail = action_edit = action_step = _stub
suggestion_index = suggestion_new = suggestion_detail = suggestion_review = _stub
