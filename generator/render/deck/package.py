"""The .pptx package: its parts named without a search, and the same bytes from the same inputs.

python-pptx names each new part (a notes slide, a chart, its workbook) by
walking every relationship of the package for the names taken, so a deck of
hundreds of parts spends most of a second naming them (:func:`name_parts_quickly`
remembers the names instead). It also stamps each zip entry with the wall
clock, and the workbook behind each chart (written by XlsxWriter) records when
it was created. Both are replaced by the as-of date, and entries are written
``[Content_Types].xml`` first, then in name order (:func:`normalise`).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from typing import Any

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import NotesSlidePart

__all__ = ["Notes", "name_parts_quickly", "normalise"]

_CONTENT_TYPES = "[Content_Types].xml"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


class _PartNames:
    """``Package.next_partname`` with the taken names remembered per template, not searched each time.

    It gives the name python-pptx would (the highest free ``n`` up to one more than
    the names taken), because each name it hands out is taken: python-pptx relates
    every new part into the package before it asks for the next name of its kind,
    and a deck never removes a part.
    """

    def __init__(self, package: Any) -> None:
        self._package = package
        self._taken: dict[str, set[str]] = {}

    def __call__(self, template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        taken = self._taken.get(prefix)
        if taken is None:  # the first of its kind: the parts the template presentation came with
            taken = {str(part.partname) for part in self._package.iter_parts() if part.partname.startswith(prefix)}
            self._taken[prefix] = taken
        name = next(template % n for n in range(len(taken) + 1, 0, -1) if template % n not in taken)
        taken.add(name)
        return PackURI(name)


def name_parts_quickly(package: Any) -> None:
    """Let ``package`` (a presentation's ``prs.part.package``) name new parts from memory.

    Only this package's method is replaced (an attribute of the instance), never the library's class.
    """
    package.next_partname = _PartNames(package)


class Notes:
    """Notes pages of one presentation, each a copy of the first one's blank page.

    python-pptx builds every notes page from the notes master, cloning its
    placeholders one by one (most of a millisecond a slide). The blank page it
    builds is the same for every slide, so the first is kept and copied; the copy
    is related to the master and its slide as python-pptx relates a new one.
    """

    def __init__(self) -> None:
        self._blank: Any = None

    def text_frame(self, page: Any) -> Any:
        """The notes text frame of slide ``page`` (which has no notes page yet)."""
        if self._blank is None:
            notes = page.notes_slide  # python-pptx's own: the notes master, its placeholders
            self._blank = copy.deepcopy(notes._element)
            return notes.notes_text_frame
        slide_part = page.part
        package = slide_part.package
        part = NotesSlidePart(
            package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, package,
            copy.deepcopy(self._blank),
        )
        part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)
        return page.notes_slide.notes_text_frame


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
