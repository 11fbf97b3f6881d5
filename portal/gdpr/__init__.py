"""Personal data: what the portal holds about a person ("My data", downloaded as a ZIP archive), the removal of an
account, and the retention periods the privacy page promises.

Every app declares its records in its own `gdpr.py` (`Section`, `RetentionRule`, see `portal.gdpr.registry`) and
registers them from its `AppConfig.ready()`. tests/portal/test_gdpr_schema.py walks the schema: every model that
points at an account or a register person, directly or through one foreign key, must be covered by a section.
"""

from .deletion import account_delete
from .export import (
    display_sections,
    personal_data,
    personal_data_archive,
    personal_data_json,
    subject_for,
    unlabelled_keys,
)
from .registry import (
    ExportFile,
    RetentionRule,
    Section,
    Subject,
    covered_models,
    register,
    register_retention,
    registered,
    registered_sections,
    retention_rules,
)
from .retention import months_before, retention_run

__all__ = [
    "ExportFile",
    "RetentionRule",
    "Section",
    "Subject",
    "account_delete",
    "covered_models",
    "display_sections",
    "months_before",
    "personal_data",
    "personal_data_archive",
    "personal_data_json",
    "register",
    "register_retention",
    "registered",
    "retention_rules",
    "retention_run",
    "registered_sections",
    "subject_for",
    "unlabelled_keys",
]
