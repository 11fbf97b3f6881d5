"""Collective workers and administrators manage the tenant register in the Wagtail admin.

Workers may view, add and change register records (never delete: history must stay answerable); administrators
may also delete. Both get access to the Wagtail admin.
"""

from django.db import migrations

REGISTER_MODELS = ["neighbourhood", "site", "building", "dwelling", "household", "person", "department", "organisation"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    portal = apps.get_app_config("portal")
    portal.models_module = True  # the historical app config has none; create_permissions skips it otherwise
    create_permissions(portal, apps=apps, verbosity=0)
    portal.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    workers, _ = Group.objects.get_or_create(name="Collective workers")
    admins, _ = Group.objects.get_or_create(name="Administrators")
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    register = Permission.objects.filter(content_type__app_label="portal", content_type__model__in=REGISTER_MODELS)
    workers.permissions.add(*access_admin, *register.filter(codename__regex=r"^(add|change|view)_"))
    admins.permissions.add(*access_admin, *register)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
