from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.quality.models import Alert, Snapshot, Target

admin.site.register(Target, ReadOnlyAdmin)
admin.site.register(Snapshot, ReadOnlyAdmin)
admin.site.register(Alert, ReadOnlyAdmin)
