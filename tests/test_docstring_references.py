"""Every reference in a docstring or comment of the product code resolves: comments are reviewed work.

What counts as a reference, and how it is resolved:

- a file path (`portal/notifications/models.py`, `tests/elections/test_secrecy.py`, `templates/blocks/`,
  `../shared/docs/style.md`, `style.md`): it must name a file or folder of this repository, looked up from the
  repository root, from the commenting file's folder, from `docs/` and from the template and static folders.
  Absolute paths to a file outside the system folders (`/work/tools/NOTIFICATIONS.md`) never resolve;
- a dotted name that starts with one of our packages (`portal.services.audit_record`, `meetings.notifications`,
  `elections.Candidacy`): a module, an attribute of one, a model (`app_label.Model`), or a string the code itself
  uses (an audit action such as `meetings.minutes_published`);
- a name in backticks that looks like a function or a variable (`` `election_issues_before_advance` ``,
  `` `tied_groups()` ``): it must occur in the code (outside comments and docstrings) of the repository, or be
  a name of a module the file imports.

Markdown files of the repository (README, docs/, bench/README.md) are checked for paths and dotted names too.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import io
import keyword
import re
import tokenize
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "home", "meetings", "projectcall", "elections", "bench")
FIRST_PARTY = (*PACKAGES, "tests")
SEARCH_DIRS = [ROOT, ROOT / "docs", ROOT / "templates", ROOT / "portal" / "static"]
EXTENSIONS = "py|html|txt|md|css|js|json|toml|csv|po|yaml|yml|cfg|ini|sh|svg|lock"
#: Absolute paths allowed in comments (the system's, not a workspace's).
SYSTEM_PREFIXES = ("/usr/", "/etc/", "/dev/", "/proc/", "/tmp/", "/var/", "/srv/", "/opt/", "/bin/", "/sbin/")

#: Names of other projects that comments name without the file importing them.
THIRD_PARTY_NAMES = frozenset({"set_language"})  # django.views.i18n.set_language

URL = re.compile(r"\b\w+://\S+")
PATH = re.compile(
    rf"(?<![\w/.@<>{{}}*$-])((?:\.\.?/|/)?(?:[\w.-]+/)+(?:[\w-]+(?:\.[\w-]+)*\.(?:{EXTENSIONS})\b|(?=[\s`'\"),;:]|$)))"
)
#: A bare file name is checked only for the kinds of files a comment points a developer to (`my-data.json` or
#: `letters.pdf` name files the portal produces).
BARE_EXTENSIONS = "py|html|txt|md|css|js|toml|po|sh|yaml|yml"
BARE_FILE = re.compile(rf"(?<![\w/.@-])([\w-]+(?:\.[\w-]+)*\.(?:{BARE_EXTENSIONS}))(?![\w/])")
DOTTED = re.compile(rf"(?<![\w.@/-])((?:{'|'.join(FIRST_PARTY)})(?:\.[A-Za-z_]\w*)+)(?![\w/-]|\.\w)")
BACKTICKED = re.compile(r"``?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\(\))?``?")


def product_files() -> list[Path]:
    files = [ROOT / "manage.py"]
    for package in PACKAGES:
        files += sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)
    return files


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]


def prose_of(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python file."""
    source = path.read_text()
    found = [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        docstring = docstring_node(node)
        if docstring is not None:
            found.append((docstring.lineno, docstring.value))
    return found


def docstring_node(node: ast.AST) -> ast.Constant | None:
    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            return first.value if isinstance(first.value.value, str) else None
    return None


@cache
def code_vocabulary() -> frozenset[str]:
    """Every name and string the code of the repository uses (comments and docstrings left out)."""
    words: set[str] = set(dir(builtins)) | set(keyword.kwlist)
    tests = [p for p in sorted((ROOT / "tests").rglob("*.py")) if p != Path(__file__).resolve()]
    for path in [*product_files(), *tests]:
        tree = ast.parse(path.read_text())
        docstrings = {id(docstring_node(node)) for node in ast.walk(tree) if docstring_node(node) is not None}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                words.add(node.id)
            elif isinstance(node, ast.Attribute):
                words.add(node.attr)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                words.add(node.name)
            elif isinstance(node, ast.arg | ast.keyword) and node.arg:
                words.add(node.arg)
            elif isinstance(node, ast.ImportFrom) and node.module:
                words.update(node.module.split("."))  # `Crypto.Protocol.SecretSharing.Shamir`
            elif isinstance(node, ast.alias):
                words.update(node.name.split("."))
                if node.asname:
                    words.add(node.asname)
            elif (
                isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            ):
                words.add(node.value)
                words.update(re.findall(r"[A-Za-z_][\w.]*", node.value))
    for template in (ROOT / "templates").rglob("*"):
        if template.is_file():
            words.update(re.findall(r"[A-Za-z_]\w*", template.read_text(errors="ignore")))
    return frozenset(words)


@cache
def imported_names(path: Path) -> frozenset[str]:
    """Names reachable from the modules a file imports (`transaction.on_commit`, `QuerySet.select_for_update`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        for name in modules:
            try:
                module = importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - an import that fails here adds no names
                continue
            for attribute in dir(module):
                names.add(attribute)
                names.update(dir(getattr(module, attribute, None)))
    return frozenset(names)


@cache
def repository_file_names() -> frozenset[str]:
    return frozenset(
        p.name for p in ROOT.rglob("*") if not {".git", ".venv", ".tools", "node_modules"} & set(p.parts)
    )


def path_resolves(reference: str, origin: Path) -> bool:
    if reference.endswith("/") and (reference.startswith("/") or reference.rstrip("/").count("/") == 0):
        return True  # a URL path (`/admin/`, `feed/`), not a file
    reference = reference.rstrip("/")
    if "/" not in reference:
        return reference in repository_file_names()  # `demo.py`: each app's, `subject.txt`: each message's
    if reference.startswith("/"):
        return reference.startswith(SYSTEM_PREFIXES) or (ROOT / reference.lstrip("/")).exists()
    if reference.startswith("../") or reference.startswith("./"):
        target = (origin.parent / reference).resolve()
        return target.is_relative_to(ROOT) and target.exists()
    candidates = [origin.parent, *SEARCH_DIRS, *(p / "templates" for p in ROOT.iterdir() if p.is_dir())]
    return any((base / reference).exists() for base in candidates)


#: A host name that starts like one of our packages (`portal.example.org`) is not a dotted reference.
HOST_NAME = re.compile(r"\.(org|com|net|eu|be|nl|fr|local|test)$")


@cache
def dotted_resolves(reference: str) -> bool:
    if reference in code_vocabulary() or HOST_NAME.search(reference):
        return True
    parts = reference.split(".")
    for length in range(len(parts), 0, -1):
        module_name = ".".join(parts[:length])
        try:
            spec = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        if length == len(parts):
            return True
        try:
            obj = importlib.import_module(module_name)
            for attribute in parts[length:]:
                obj = getattr(obj, attribute)
        except (ImportError, AttributeError):
            break
        return True
    if len(parts) >= 2:
        try:
            model = apps.get_model(parts[0], parts[1])
        except LookupError:
            return False
        return len(parts) == 2 or all(hasattr(model, attribute) for attribute in parts[2:])
    return False


def backticked_resolves(name: str, is_call: bool, origin: Path) -> bool:
    parts = name.split(".")
    if parts[0] in FIRST_PARTY:
        return True  # checked as a dotted name
    looks_like_code = is_call or "_" in name.strip("_") or "." in name or name.startswith("_")
    if not looks_like_code or name.isupper():
        return True
    known = code_vocabulary() | imported_names(origin) | THIRD_PARTY_NAMES
    return name in known or all(part in known for part in parts)  # `notifications.E001`: a string of the code


def references_in(text: str) -> list[tuple[str, str, bool]]:
    """(kind, reference, is_call) found in a piece of prose."""
    text = URL.sub(" ", text)
    found = [("path", m.group(1), False) for m in PATH.finditer(text)]
    without_paths = PATH.sub(" ", text)
    found += [("file", m.group(1), False) for m in BARE_FILE.finditer(without_paths)]
    found += [("dotted", m.group(1), False) for m in DOTTED.finditer(without_paths)]
    found += [
        ("name", m.group(1), bool(m.group(2)))
        for m in BACKTICKED.finditer(without_paths)
        if not BARE_FILE.fullmatch(m.group(1))
    ]
    return found


def unresolved(path: Path, texts: list[tuple[int, str]], markdown: bool = False) -> list[str]:
    """Markdown: paths and dotted names only (its bare file names and code spans are examples of commands)."""
    problems = []
    for line, text in texts:
        for kind, reference, is_call in references_in(text):
            if markdown and kind in {"name", "file"}:
                continue
            if kind in {"path", "file"}:
                ok = path_resolves(reference, path)
            elif kind == "dotted":
                ok = dotted_resolves(reference)
            else:
                ok = backticked_resolves(reference, is_call, path)
            if not ok:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {kind} {reference!r}")
    return problems


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_reference_in_the_comments_and_docstrings_of_a_module_resolves(path):
    assert unresolved(path, prose_of(path)) == []


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_and_module_a_markdown_file_names_exists(path):
    texts = [(number, line) for number, line in enumerate(path.read_text().splitlines(), start=1)]
    assert unresolved(path, texts, markdown=True) == []


def test_the_check_finds_a_stale_path_a_missing_function_and_a_missing_module(tmp_path):
    """The check itself: references that do not resolve are reported (and good ones are not)."""
    origin = ROOT / "portal" / "services.py"
    prose = [
        (1, "See /work/tools/NOTIFICATIONS.md and tests/elections/test_permissions_nowhere.py."),
        (2, "Gathered by `elections.services.results_compute_nowhere` and `tally_nowhere()`."),
        (3, "Kept in portal/models.py by `portal.services.audit_record`; see `audit_record()`."),
        (4, "Written by meetings.nowhere_module.function, shown at https://example.org/a/b.py."),
    ]
    problems = unresolved(origin, prose)
    assert problems == [
        "portal/services.py:1: path '/work/tools/NOTIFICATIONS.md'",
        "portal/services.py:1: path 'tests/elections/test_permissions_nowhere.py'",
        "portal/services.py:2: dotted 'elections.services.results_compute_nowhere'",
        "portal/services.py:2: name 'tally_nowhere'",
        "portal/services.py:4: dotted 'meetings.nowhere_module.function'",
    ]
