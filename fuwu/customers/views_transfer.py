"""Excel import and export pages (R2). Filled in by the import/export work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def customer_import(request):
    return HttpResponse(status=501)


@login_required
def customer_export(request):
    return HttpResponse(status=501)
