from django.urls import path

from xeploai.reports import views

urlpatterns = [
    path(
        "cycles/<int:pk>/units/<int:unit_pk>/minutes.<str:fmt>",
        views.unit_minutes,
        name="unit_minutes",
    ),
    path(
        "cycles/<int:pk>/units/<int:unit_pk>/statistics.<str:fmt>",
        views.unit_statistics,
        name="unit_statistics",
    ),
    path(
        "cycles/<int:pk>/decisions/<int:unit_pk>.<str:fmt>",
        views.decision_list_file,
        name="decision_list",
    ),
    path("decisions/<int:pk>/form03.<str:fmt>", views.rerating_form, name="rerating_form"),
    path("cycles/<int:pk>/years/<int:unit_pk>/", views.cycle_years, name="cycle_years"),
    path("subjects/<int:pk>/form.<str:fmt>", views.subject_form, name="subject_form"),
]
