"""Pages of the standards domain: calendars."""

urlpatterns: list = []
