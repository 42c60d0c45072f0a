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

from xeploai.org import views_tree  # noqa: E402

urlpatterns += [
    path("units/<int:pk>/tree/", views_tree.unit_tree, name="unit_tree"),
    path("units/<int:pk>/tree/import/", views_tree.tree_import_view, name="tree_import"),
    path("units/<int:pk>/tree/export.xlsx", views_tree.tree_export_view, name="tree_export"),
    path(
        "units/<int:pk>/tree/<slug:action>/", views_tree.unit_tree_change, name="unit_tree_change"
    ),
    path("tree-template.xlsx", views_tree.tree_template_download, name="tree_template"),
]
