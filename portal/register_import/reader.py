"""Reading the file: detect the encoding and the delimiter, check the header. File-level problems stop here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import COLUMN_NAMES, normalise_header

UTF8_BOM = b"\xef\xbb\xbf"


class FileError(Exception):
    """The file as a whole cannot be imported (encoding, missing column...). Nothing is imported."""


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    rows: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)
    """(line number in the file, values by column, problems with the shape of the line)."""


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM) first, then Windows-1252."""
    if content.startswith(UTF8_BOM):
        try:
            return content[len(UTF8_BOM) :].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as error:
            raise FileError(
                _("The file says it is UTF-8 but it is not (byte %(position)s). Save it again as CSV UTF-8.")
                % {"position": error.start + len(UTF8_BOM)}
            ) from error
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _(
                'The file is saved as UTF-16 ("Unicode text"). Save it as "CSV UTF-8" or "CSV (semicolon '
                'separated)" and try again.'
            )
        )
    if content.startswith(b"PK\x03\x04") or b"\x00" in content[:4096]:
        raise FileError(
            _("This is not a CSV text file (it looks like a spreadsheet or a binary file). Save it as CSV.")
        )
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise FileError(
            _(
                "The file's encoding is not recognised (byte %(position)s is neither UTF-8 nor Windows-1252). "
                'Save it as "CSV UTF-8" and try again.'
            )
            % {"position": error.start}
        ) from error


def sniff_delimiter(header_line: str) -> str:
    """Semicolon (Excel in Belgium), comma or tab: whichever splits the header into the most columns."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def parse(content: bytes) -> ParsedFile:
    """Decode and split the file; raise FileError for problems that concern the whole file."""
    if not content.strip():
        raise FileError(_("The file is empty."))
    text, encoding = decode(content)
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = sniff_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    parsed = ParsedFile(encoding=encoding, delimiter=delimiter)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [normalise_header(cell) for cell in cells]
                _check_header(header)
                continue
            problems = []
            if (
                len(cells) != len(header)
                and any(cell.strip() for cell in cells[len(header) :])
                or len(cells) < len(header)
            ):
                problems.append(
                    _("This line has %(found)s values where the header has %(expected)s columns.")
                    % {"found": len(cells), "expected": len(header)}
                )
            values = {
                name: (cells[index].strip() if index < len(cells) else "")
                for index, name in enumerate(header)
                if name
            }
            parsed.rows.append((reader.line_num, values, problems))
    except csv.Error as error:
        raise FileError(
            _("The file cannot be read as CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if header is None:
        raise FileError(_("The file is empty."))
    if not parsed.rows:
        raise FileError(_("The file has a header row but no person in it."))
    return parsed


def _check_header(header: list[str]) -> None:
    missing = [name for name in COLUMN_NAMES if name not in header]
    unknown = [name for name in header if name and name not in COLUMN_NAMES]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown or ["?"])})
    if duplicated:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    if problems:
        problems.append(
            _("The header row must name these columns (in any order): %(columns)s.")
            % {"columns": ", ".join(COLUMN_NAMES)}
        )
        raise FileError(" ".join(problems))
