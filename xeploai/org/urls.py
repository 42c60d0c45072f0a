from django.urls import path

from xeploai.org import views

urlpatterns = [
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/import/", views.roster_import_view, name="roster_import"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("roster-template.xlsx", views.roster_template_download, name="roster_template"),
]
