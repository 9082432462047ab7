from django.urls import path

from . import views

app_name = "symptoms"
urlpatterns = [
    path("", views.checker, name="checker"),
    path("result/", views.result, name="result"),
    path("emergency-sheet/", views.emergency_sheet, name="emergency_sheet"),
    path("emergency-sheet.pdf", views.emergency_sheet_pdf, name="emergency_sheet_pdf"),
]
