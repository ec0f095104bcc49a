from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "swc.notifications"
    label = "notifications"
