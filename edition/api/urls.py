"""Edition routes of the API; joined into the ``api`` namespace by config/api_urls.py."""

urlpatterns: list = []
