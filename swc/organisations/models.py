"""Organisations, the people in them, and the roles they hold."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from swc.core.models import TimestampedModel


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SECURE_HOME = "secure_home", "Secure children's home"
    UNIT = "unit", "Secure Welfare Coordination Unit"
    ANALYST_BODY = "analyst_body", "Analyst body"


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    HOME_MANAGER = "home_manager", "Home manager"
    COORDINATOR = "coordinator", "Coordinator"
    UNIT_MANAGER = "unit_manager", "Unit manager"
    ANALYST = "analyst", "Analyst"
    ADMIN = "admin", "Administrator"


class Organisation(TimestampedModel):
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"], name="organisation_unique_name_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_owner_id(self) -> int:
        return self.pk


class Region(models.TextChoices):
    NORTH_EAST = "North East", "North East"
    NORTH_WEST = "North West", "North West"
    YORKSHIRE = "Yorkshire and The Humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "East Midlands", "East Midlands"
    WEST_MIDLANDS = "West Midlands", "West Midlands"
    EAST = "East of England", "East of England"
    LONDON = "London", "London"
    SOUTH_EAST = "South East", "South East"
    SOUTH_WEST = "South West", "South West"


class LocalAuthority(models.Model):
    """An English local authority with children's services (reference data)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="local_authority"
    )
    dfe_la_code = models.CharField(max_length=3, unique=True)
    gss_code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=200)
    region = models.CharField(max_length=40, choices=Region.choices)
    la_type = models.CharField(max_length=40)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.dfe_la_code})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def build_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """An unsaved person with their password hashed: hash before a write transaction."""
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.build_user(email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Identified by email; roles come from memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # When an administrator last enabled a disabled account: counts as use (docs/accounts.md).
    enabled_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email


class Membership(TimestampedModel):
    """A person's role in an organisation. The policy decides what each role may do."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"


class SignInAttempt(models.Model):
    """One attempt to sign in to an account, kept briefly to rate-limit attempts.

    The account is identified by a keyed hash of the email address, so this
    table holds no personal data in clear.
    """

    account_digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.account_digest[:8]} at {self.at:%H:%M:%S}"


class Invitation(models.Model):
    """A one-time link that lets an invited person set their password (docs/accounts.md).

    Only a digest of the link's secret is kept, so the table cannot be used to
    sign in as anyone; the link itself travels once, in the invitation email.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} for account {self.user_id}"


class TimedOutSubmission(models.Model):
    """A form sent after its session had ended, kept so that nothing typed is lost.

    Held for the account whose session it was, only until that person signs in
    again and sends or discards it (and never longer than the session limit).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Timed-out form for account {self.user_id} at {self.path}"


class ApiKey(models.Model):
    """A key one organisation's system uses to call the API, acting in one role.

    Only a SHA-256 digest of the secret is stored; the secret is shown once, when
    the key is made. ``prefix`` is the visible, non-secret start of the key, used
    to find the row and to let people tell their keys apart.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    # The key acts through an account of its own, so that records it changes name it
    # (created_by, timelines, audit) like any person. The account has no password
    # and no membership: its organisation and role come from the key alone.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # Made by the API app before keys moved here; the table kept its name.
        db_table = "api_apikey"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def policy_owner_id(self) -> int:
        return self.organisation_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
