"""Give the election committee and administrators the admin permissions on elections (model permissions for the
Wagtail viewsets, and access to the admin where the "Elections" menu lives). Idempotent."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Election committee": [
        ("elections", "add_election"),
        ("elections", "change_election"),
        ("elections", "view_election"),
        ("elections", "add_pollingstation"),
        ("elections", "change_pollingstation"),
        ("elections", "delete_pollingstation"),
        ("elections", "view_pollingstation"),
        ("elections", "view_electionevent"),
        ("wagtailadmin", "access_admin"),
    ],
    "Collective workers": [
        ("elections", "view_election"),
        ("elections", "view_pollingstation"),
        ("elections", "view_electionevent"),
    ],
}
GROUP_PERMISSIONS["Administrators"] = GROUP_PERMISSIONS["Election committee"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in perms:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_election_roll_ballots_results"),
        ("portal", "0003_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
