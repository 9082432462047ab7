from django.urls import path

from . import views

app_name = "symptoms"
urlpatterns = [
    path("", views.checker, name="checker"),
]
