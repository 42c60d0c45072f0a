"""Settings for the framework floor of bench/load.py: the app's own settings and middleware
(sessions, authentication, CSRF, axes, the audit and language middleware), and one view that
only looks the signed-in user up. What gunicorn and Django serve per second this way bounds
what any page of the app can do on the same machine."""

from django.http import HttpResponse
from django.urls import re_path

from xeploai.settings import *  # noqa: F403

ROOT_URLCONF = "framework_floor"


def signed_in(request):
    return HttpResponse("yes" if request.user.is_authenticated else "no")


urlpatterns = [re_path(r"", signed_in)]
