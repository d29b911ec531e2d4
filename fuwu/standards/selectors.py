from django.db.models import QuerySet

from fuwu.standards.models import ServiceType


def service_types_active() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True).select_related("default_group")
