"""Collective workers manage meeting records in the Wagtail admin; department staff reach their screens from it."""

from django.db import migrations

WORKER_MODELS = ["meeting", "agendaitem", "topicsuggestion", "actionpoint", "actionpointupdate", "attendancecount"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    workers, _ = Group.objects.get_or_create(name="Collective workers")
    staff, _ = Group.objects.get_or_create(name="Department staff")
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    workers.permissions.add(*access)
    staff.permissions.add(*access)
    workers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="meetings",
            content_type__model__in=WORKER_MODELS,
            codename__regex=r"^(view|change)_",
        )
    )
    staff.permissions.add(
        *Permission.objects.filter(content_type__app_label="meetings", codename__in=["view_actionpoint", "view_meeting"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_meetings_agenda_minutes"),
        ("portal", "0003_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
