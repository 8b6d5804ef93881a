"""The same bytes from the same inputs: a .pptx zip rewritten with fixed times and order.

python-pptx stamps each zip entry with the wall clock, and the workbook behind
each chart (written by XlsxWriter) records when it was created. Both are
replaced by the as-of date, and entries are written ``[Content_Types].xml``
first, then in name order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

__all__ = ["normalise"]

_CONTENT_TYPES = "[Content_Types].xml"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalise(data: bytes, day: dt.date) -> bytes:
    """``data`` (a zip package) with every entry time ``day`` and a fixed entry order.

    Embedded workbooks (``.xlsx``) are normalised the same way, and their
    created and modified dates set to ``day``.
    """
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    iso = f"{max(day.year, 1980):04d}-{day.month:02d}-{day.day:02d}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda name: (name != _CONTENT_TYPES, name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            blob = source.read(name)
            if name.endswith(".xlsx"):
                blob = normalise(blob, day)
            elif name == "docProps/core.xml":
                blob = _STAMP.sub(rb"\g<1>" + iso + rb"\g<2>", blob)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o600 << 16
            target.writestr(info, blob)
    return out.getvalue()
