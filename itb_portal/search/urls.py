from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("index.json", views.index_json, name="index"),
]
