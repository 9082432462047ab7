from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.answer, name="answer"),
    path("comment/", views.comment, name="comment"),
    path("tell-us-more/", views.tell_us_more, name="tell_us_more"),
    path("thanks/", views.thanks, name="thanks"),
]
