"""MkDocs's copies of the generated docs folder's static files made as hard links.

MkDocs copies every file of the docs folder that is not a page into the site: for a 1,000-KPI
portal, a thousand KPI charts, each a new file written in the build's own process while the
other cores wait (0.3-0.8 s on the benchmark machine). Within :func:`static_links`, a file of
the generated docs folder is linked into the site instead: the same bytes, no new file.

Safe because nothing writes a docs file in place (render replaces a changed file by a new
one, :func:`generator.render.writer.write_if_changed`) and nothing of the build writes a
copied file of the site: done only when no plugin but Material's search runs, as a plugin may
rewrite the site's files in place (a minifier would reach the docs folder through the link).
The theme's files, and any file a link cannot be made for (another file system), are copied
as MkDocs copies them.

An optimisation of our own build only: the site is the same bytes either way, and
``mkdocs build -f`` by hand copies every file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from generator.publish.theme_pages import search_plugin_only

__all__ = ["static_links"]


@contextlib.contextmanager
def static_links(config: Any) -> Iterator[None]:
    """Within the block, MkDocs links the docs folder's static files into the site (see above).

    Args:
        config: The loaded MkDocs configuration of the build.
    """
    if not search_plugin_only(config):
        yield
        return
    # The one seam: the function MkDocs's ``File.copy_file`` calls for a file on disk.
    from mkdocs import utils

    copy = utils.copy_file
    docs = os.path.join(os.path.abspath(config["docs_dir"]), "")

    def link_or_copy(source_path: str, output_path: str) -> None:
        if source_path.startswith(docs) and _linked(source_path, output_path):
            return
        copy(source_path, output_path)

    utils.copy_file = link_or_copy
    try:
        yield
    finally:
        utils.copy_file = copy


def _linked(source_path: str, output_path: str) -> bool:
    """Hard-link ``source_path`` at ``output_path``; False when the file system cannot."""
    try:
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        # A theme file of the same name, copied before: the docs folder's wins, as with a copy.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(output_path)
        os.link(source_path, output_path)
    except OSError:
        return False
    return True
