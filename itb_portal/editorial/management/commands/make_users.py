"""`make users`: a local editor and a local clinical approver, to try sign-off on a development machine."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from itb_portal.editorial import roles

PEOPLE = [("editor", roles.EDITOR), ("approver", roles.APPROVER)]


class Command(BaseCommand):
    help = (
        "Make (or reset) a local editor and a local clinical approver, and print their passwords. "
        "Development only: refused unless DJANGO_DEBUG=1."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "make_users is for a development machine only (DJANGO_DEBUG=1). "
                "On a real site, make each person their own account: manage.py createsuperuser, then the admin."
            )
        roles.ensure_groups()
        people = get_user_model()
        for username, group in PEOPLE:
            password = secrets.token_urlsafe(12)
            user, created = people.objects.get_or_create(
                username=username, defaults={"email": f"{username}@localhost", "is_staff": True}
            )
            user.is_staff, user.is_active = True, True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(f"{'made' if created else 'reset'} {username} ({group}): password {password}")
        self.stdout.write("Sign in at /admin/. Emails to them are printed by `make run`'s console.")
