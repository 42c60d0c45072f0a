from django.urls import path

from xeploai.cycles.views import findings, housekeeping, season, subjects

urlpatterns = [
    path("cycles/", season.cycle_list, name="cycle_list"),
    path("cycles/new/<int:unit_pk>/", season.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", season.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/documents/", season.cycle_document, name="cycle_document"),
    path(
        "cycles/<int:pk>/documents/<int:document_pk>/",
        season.cycle_document_file,
        name="cycle_document_file",
    ),
    path("cycles/<int:pk>/deadlines/", housekeeping.cycle_deadlines, name="cycle_deadlines"),
    path("cycles/<int:pk>/cancel/", housekeeping.cycle_cancel_view, name="cycle_cancel"),
    path("cycles/<int:pk>/<str:to>/", season.cycle_move, name="cycle_move"),
    path("cycles/<int:pk>/units/<int:unit_pk>/", season.unit_subjects, name="unit_subjects"),
    path("cycles/<int:pk>/board/<int:unit_pk>/", season.board_view, name="board"),
    path("subjects/<int:pk>/", subjects.subject_detail, name="subject_detail"),
    path("subjects/<int:pk>/self/", subjects.subject_self_save, name="subject_self_save"),
    path("subjects/<int:pk>/preview/", subjects.subject_preview, name="subject_preview"),
    path("subjects/<int:pk>/appraise/", subjects.subject_appraise, name="subject_appraise"),
    path("subjects/<int:pk>/history/", subjects.subject_history_view, name="subject_history"),
    path("subjects/<int:pk>/opinion/", subjects.subject_opinion, name="subject_opinion"),
    path("subjects/<int:pk>/rerate/", subjects.subject_rerate, name="subject_rerate"),
    path("subjects/<int:pk>/findings/", findings.subject_findings, name="subject_findings"),
    path(
        "subjects/<int:pk>/findings/remove/",
        findings.subject_finding_remove,
        name="subject_finding_remove",
    ),
    path("subjects/<int:pk>/confidence/", findings.subject_confidence, name="subject_confidence"),
]
