"""The collective workers are the portal's editors: they get into Wagtail's admin, add, edit and publish pages
(news included) in every language tree, add and choose images and documents, and submit translations. They also
approve each other's work in Wagtail's default "Moderators approval" workflow, which stays attached to the tree.

Permissions are granted on the tree root (not on each news index) so the news indexes of every language, created
later by editors or `load_demo`, are covered from the start.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Collective workers"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    workers, _ = Group.objects.get_or_create(name=GROUP)
    workers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    workers.permissions.add(
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
    )

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=workers, page=root, permission=permission)

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, _model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=workers, collection=root_collection, permission=permission
                )

    # Wagtail's default workflow: create it if an earlier setup removed it, attach it to the root, and let the
    # collective workers approve (besides Wagtail's "Moderators" group).
    task = GroupApprovalTask.objects.filter(active=True).order_by("pk").first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name="Moderators approval", content_type=content_type, active=True)
        moderators = Group.objects.filter(name="Moderators").first()
        if moderators is not None:
            task.groups.add(moderators)
    task.groups.add(workers)
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task=task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Moderators approval", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if root is not None and not WorkflowPage.objects.filter(page=root).exists():
        WorkflowPage.objects.create(page=root, workflow=workflow)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    workers = Group.objects.filter(name=GROUP).first()
    if workers is None:
        return
    GroupPagePermission.objects.filter(group=workers).delete()
    GroupCollectionPermission.objects.filter(group=workers).delete()
    workers.permissions.remove(*workers.permissions.filter(codename__in=["access_admin", "submit_translation"]))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_news_index_and_news_pages"),
        ("portal", "0003_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
