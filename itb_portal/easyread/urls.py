from django.urls import path

from . import views

app_name = "easyread"
urlpatterns = [
    path("", views.page, {"slug": "index"}, name="index"),
    path("if-something-is-wrong/", views.page, {"slug": "if-something-is-wrong"}, name="if_something_is_wrong"),
    path("refills/", views.page, {"slug": "refills"}, name="refills"),
    path("living-with-your-pump/", views.page, {"slug": "living-with-your-pump"}, name="living_with_your_pump"),
    path("the-operation/", views.page, {"slug": "the-operation"}, name="the_operation"),
    path("contacts/", views.page, {"slug": "contacts"}, name="contacts"),
    path("check/", views.checker, name="checker"),
    path("check/result/", views.result, name="result"),
]
