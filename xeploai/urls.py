from django.urls import include, path

from xeploai.web import documents, season, subjects, views, years

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/import/", views.roster_import_view, name="roster_import"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("roster-template.xlsx", views.roster_template_download, name="roster_template"),
    path("cycles/", season.cycle_list, name="cycle_list"),
    path("cycles/new/<int:unit_pk>/", season.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", season.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/documents/", season.cycle_document, name="cycle_document"),
    path(
        "cycles/<int:pk>/documents/<int:document_pk>/",
        season.cycle_document_file,
        name="cycle_document_file",
    ),
    path("cycles/<int:pk>/<str:to>/", season.cycle_move, name="cycle_move"),
    path("cycles/<int:pk>/units/<int:unit_pk>/", season.unit_subjects, name="unit_subjects"),
    path("cycles/<int:pk>/board/<int:unit_pk>/", season.board_view, name="board"),
    path(
        "cycles/<int:pk>/units/<int:unit_pk>/minutes.<str:fmt>",
        documents.unit_minutes,
        name="unit_minutes",
    ),
    path(
        "cycles/<int:pk>/units/<int:unit_pk>/statistics.<str:fmt>",
        documents.unit_statistics,
        name="unit_statistics",
    ),
    path(
        "cycles/<int:pk>/decisions/<int:unit_pk>.<str:fmt>",
        documents.decision_list_file,
        name="decision_list",
    ),
    path("decisions/<int:pk>/form03.<str:fmt>", documents.rerating_form, name="rerating_form"),
    path("cycles/<int:pk>/years/<int:unit_pk>/", years.cycle_years, name="cycle_years"),
    path("subjects/<int:pk>/", subjects.subject_detail, name="subject_detail"),
    path("subjects/<int:pk>/self/", subjects.subject_self_save, name="subject_self_save"),
    path("subjects/<int:pk>/preview/", subjects.subject_preview, name="subject_preview"),
    path("subjects/<int:pk>/appraise/", subjects.subject_appraise, name="subject_appraise"),
    path("subjects/<int:pk>/history/", subjects.subject_history_view, name="subject_history"),
    path("subjects/<int:pk>/form.<str:fmt>", documents.subject_form, name="subject_form"),
    path("subjects/<int:pk>/opinion/", subjects.subject_opinion, name="subject_opinion"),
    path("subjects/<int:pk>/rerate/", subjects.subject_rerate, name="subject_rerate"),
]
