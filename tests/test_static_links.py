"""The docs folder's static files (KPI charts...) linked into the site: same bytes, and never written through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import build_portal

from generator.render.writer import write_if_changed


def docs_folder(cafe_project: Path) -> Path:
    return cafe_project / "build" / "all" / "docs"


def a_chart(cafe_project: Path) -> str:
    docs = docs_folder(cafe_project)
    return sorted(p.relative_to(docs).as_posix() for p in docs.glob("kpis/*.svg"))[0]


def test_a_chart_is_published_as_the_docs_folders_file_and_a_rebuild_never_writes_through_it(
    cafe_project: Path,
) -> None:
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    chart = a_chart(cafe_project)
    published, source = cafe_project / "site" / chart, docs_folder(cafe_project) / chart
    assert published.read_bytes() == source.read_bytes()
    assert published.stat().st_ino == source.stat().st_ino, "linked, not copied"
    # The next build replaces a changed chart in the docs folder while the site is live.
    before = published.read_bytes()
    assert write_if_changed(source, b"<svg>another month</svg>")
    assert published.read_bytes() == before


# A plugin of the cafe_project that rewrites a published chart in place, as a minifier would.
HOOK = """
import os


def on_post_build(config):
    for folder, _, names in os.walk(config.site_dir):
        for name in names:
            if name.endswith(".svg"):
                with open(os.path.join(folder, name), "a", encoding="utf-8") as out:
                    out.write("<!-- minified -->")
"""


def test_with_a_plugin_of_the_project_the_site_gets_copies_and_the_docs_folder_stays_as_rendered(
    cafe_project: Path,
) -> None:
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    config = docs_folder(cafe_project).parent / "mkdocs.yml"
    (config.parent / "hook.py").write_text(HOOK, encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n- hook.py\n", encoding="utf-8")
    chart = a_chart(cafe_project)
    rendered = (docs_folder(cafe_project) / chart).read_bytes()
    site_dir = cafe_project / "site-hooked"
    # In a fresh process, as the pipeline runs MkDocs (see test_page_cache.py).
    code = "import sys; from pathlib import Path; from generator.publish import site; " \
           "site.run_mkdocs(Path(sys.argv[1]), strict=True, epoch=0, site_dir=Path(sys.argv[2]))"
    subprocess.run([sys.executable, "-c", code, str(config), str(site_dir)], check=True, capture_output=True)
    assert (site_dir / chart).read_bytes().endswith(b"<!-- minified -->")
    assert (docs_folder(cafe_project) / chart).read_bytes() == rendered
