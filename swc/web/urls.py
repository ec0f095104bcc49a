from django.urls import include, path

from .views import auth, public, start

app_name = "web"

urlpatterns = [
    path("", start.start, name="start"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-in/security-code/", auth.sign_in_mfa, name="sign-in-mfa"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("signed-out/", auth.signed_out, name="signed-out"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
]

# Each part of the service owns its URL module under swc/web/<part>/urls.py.
feature_urlpatterns = [
    path("register/", include("swc.web.register.urls")),
    path("referrals/", include("swc.web.referrals.urls")),
    path("matching/", include("swc.web.matching.urls")),
    path("notifications/", include("swc.web.notifications.urls")),
    path("reports/", include("swc.web.reporting.urls")),
    path("audit/", include("swc.web.audit.urls")),
    path("account/", include("swc.web.account.urls")),
    path("data-protection/", include("swc.web.privacy.urls")),
    path("questions/", include("swc.web.questions.urls")),
    path("documents/", include("swc.web.documents.urls")),
]
