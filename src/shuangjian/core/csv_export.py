"""A list as a CSV download that Excel opens as it is: UTF-8 with a byte-order mark (without it Excel reads Chinese
as mojibake), and no cell that a spreadsheet would run as a formula."""

import csv
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text  # shown as text, never evaluated (CSV injection)
    return text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """`filename` may be Chinese: it is sent both percent-encoded (RFC 6266) and as a plain ASCII fallback."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=\"export.csv\"; filename*=UTF-8''{quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_cell(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response
