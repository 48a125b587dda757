"""URLs of this feature (included by socialvalue/urls.py)."""

urlpatterns: list = []
