"""Import of the tenant register from the housing company's rental system (a CSV export).

The pipeline, one module per step:

- `reader`: bytes -> text (UTF-8 with or without BOM, or Windows-1252) -> header check -> raw rows;
- `rows`: each raw row validated into a typed `RowData`, then checks across rows (duplicate person references,
  one entity described two different ways);
- `engine`: compares the valid rows with the register (preloaded in dictionaries), plans what to create, update
  and close, and applies the plan in bulk inside one transaction; `register_import` is the entry point used by
  the `import_tenants` command and the upload page of the Wagtail admin;
- `pending`: the uploaded file kept server-side between the report and the confirmation, keyed by a token.

The column format is documented in docs/register-import.md and in `columns.COLUMNS`.
"""

from .engine import register_import
from .report import ImportReport

__all__ = ["ImportReport", "register_import"]
