from django.urls import path

from jobcenter.notifications import views

urlpatterns = [
    path("", views.InboxView.as_view(), name="notifications_inbox"),
    path("<int:pk>/laest/", views.NotificationReadView.as_view(), name="notification_read"),
]
