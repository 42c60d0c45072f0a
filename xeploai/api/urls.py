"""The API under /api/v1/ and the page where a user manages their tokens."""

from django.urls import path

from xeploai.api import views
from xeploai.api.core import api
from xeploai.api.routes import board, cycles, documents, org, subjects

for module in (org, cycles, subjects, board, documents):
    api.add_router("", module.router)

urlpatterns = [
    path("api/v1/", api.urls),
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
