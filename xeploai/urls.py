"""The site: the home page and each app's pages (their own urls.py)."""

from django.urls import include, path

from xeploai.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("xeploai.accounts.urls")),
    path("", include("xeploai.api.urls")),
    path("", include("xeploai.org.urls")),
    # The reports' routes first: "cycles/<pk>/years/…" must not be read as a cycle transition.
    path("", include("xeploai.reports.urls")),
    path("", include("xeploai.cycles.urls")),
]
