"""Pages of the standards domain: commitments."""

urlpatterns: list = []
