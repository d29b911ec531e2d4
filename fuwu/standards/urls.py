from fuwu.standards.views_calendars import urlpatterns as calendar_urls
from fuwu.standards.views_commitments import urlpatterns as commitment_urls

app_name = "standards"
urlpatterns = [*calendar_urls, *commitment_urls]
