from django.urls import path

from . import api_keys, people, session, views

app_name = "account"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("session/refresh/", session.session_refresh, name="session-refresh"),
    path("kept-answers/", session.timed_out, name="timed-out"),
    path("invitation/<str:token>/", people.invitation, name="invitation"),
    path("people/", people.organisations, name="organisations"),
    path("organisations/<int:organisation>/people/", people.people, name="people"),
    path("organisations/<int:organisation>/people/invite/", people.invite, name="invite"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/roles/", people.person_roles, name="person-roles"),
    path("people/<int:pk>/disable/", people.person_disable, name="person-disable"),
    path("people/<int:pk>/enable/", people.person_enable, name="person-enable"),
    path("people/<int:pk>/invite-again/", people.person_invite_again, name="person-invite-again"),
    path("people/<int:pk>/authenticator/", people.person_two_factor, name="person-two-factor"),
    path("people/<int:pk>/history/", people.person_history, name="person-history"),
    path("api-keys/", api_keys.keys, name="api-keys"),
    path("api-keys/<int:pk>/revoke/", api_keys.key_revoke, name="api-key-revoke"),
]
