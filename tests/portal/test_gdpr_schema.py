"""Every model that holds data about a person is covered by the data export and the account removal.

A walk of the schema, in the style of the ballot secrecy walk (tests/elections/test_secrecy.py): the models with
a foreign key (or many-to-many, or one-to-one) to an account or to a register person, and the models one foreign
key further, must each be declared in the `covers` of a registered personal-data section (`portal.gdpr`). A new
model that points at a person fails here until its app says how "My data" and the removal treat it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from portal import gdpr
from portal.models import Person


def _links(model: type[models.Model]) -> list[models.Field]:
    """The relations a model declares itself (inherited ones belong to the parent; parent links are skipped)."""
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [
        f
        for f in fields
        if f.is_relation and f.related_model is not None and not getattr(f.remote_field, "parent_link", False)
    ]


def models_about_people() -> dict[str, str]:
    """Model label -> why it is about a person (the field, and the hop if any)."""
    people = {get_user_model(), Person}
    direct = {
        model: [f.name for f in _links(model) if f.related_model in people] for model in apps.get_models()
    }
    direct = {model: names for model, names in direct.items() if names}
    found = {model._meta.label: "is a person" for model in people}
    for model, names in direct.items():
        found[model._meta.label] = ", ".join(names)
    for model in apps.get_models():
        if model in direct or model in people:
            continue
        hops = [
            f"{f.name} -> {f.related_model._meta.label}" for f in _links(model) if f.related_model in direct
        ]
        if hops:
            found[model._meta.label] = ", ".join(hops)
    return found


def uncovered(covered: set[str]) -> dict[str, str]:
    return {label: why for label, why in models_about_people().items() if label not in covered}


def test_every_model_about_a_person_is_covered_by_a_personal_data_section():
    assert uncovered(set(gdpr.covered_models())) == {}


def test_every_model_a_section_declares_exists_and_is_about_a_person():
    about_people = models_about_people()
    stale = {label: keys for label, keys in gdpr.covered_models().items() if label not in about_people}
    assert stale == {}


def test_the_walk_finds_direct_links_links_one_hop_away_and_many_to_many_links():
    about_people = models_about_people()
    assert about_people["portal.Delivery"] == "person"
    assert about_people["projectcall.Attachment"] == "application -> projectcall.Application"
    assert "roll_entry -> elections.RollEntry" in about_people["elections.Participation"]
    assert about_people["portal.Organisation"] == "members"
    assert about_people["wagtailcore.Page"] == "locked_by, owner"
    assert about_people["home.NewsPage"] == "image -> wagtailimages.Image"  # Page's owner is not NewsPage's
    assert "elections.Ballot" not in about_people  # secrecy: a ballot is two hops away from any person


def test_a_model_left_out_of_every_section_is_reported_with_its_link():
    covered = set(gdpr.covered_models()) - {"projectcall.Idea", "elections.Participation"}
    assert uncovered(covered) == {
        "projectcall.Idea": "user, answered_by",
        "elections.Participation": "roll_entry -> elections.RollEntry, proxy_holder -> elections.RollEntry",
    }
