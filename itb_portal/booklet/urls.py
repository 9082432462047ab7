from django.urls import path

from . import views

app_name = "booklet"
urlpatterns = [
    path("", views.home, name="home"),
    path("booklet/<slug:slug>/", views.section, name="section"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
