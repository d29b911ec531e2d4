from fuwu.standards.views.calendars import urlpatterns as calendar_urls
from fuwu.standards.views.commitments import urlpatterns as commitment_urls

app_name = "standards"
urlpatterns = [*calendar_urls, *commitment_urls]
