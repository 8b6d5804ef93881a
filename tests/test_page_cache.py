"""MkDocs's per-page work reused between builds: the same bytes as without it, and faster rebuilds."""

from __future__ import annotations

import filecmp
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_portal

from generator import workers as page_workers
from generator.errors import PublishError
from generator.publish.page_cache import CACHE_NAME


def differences(one: Path, other: Path) -> list[str]:
    """Files that differ or exist on one side only, as paths relative to ``one``."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return found


def cache_file(cafe_project: Path) -> Path:
    return cafe_project / "build" / "all" / CACHE_NAME


def test_a_rebuild_reuses_pages_and_gives_the_bytes_of_a_build_without_the_cache(cafe_project: Path) -> None:
    scorecard = cafe_project.parent / "cafe"
    build_portal(scorecard, cafe_project / "site-1", cafe_project)
    kept = marshal.loads(cache_file(cafe_project).read_bytes())["entries"]
    assert kept, "the first build keeps its pages"

    # One number changes: its KPI page (and the pages that show it) must change, the rest is reused.
    data = scorecard / "data" / "csat.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("84", "91", 1), encoding="utf-8")
    build_portal(scorecard, cafe_project / "site-warm", cafe_project)
    cache_file(cafe_project).unlink()
    build_portal(scorecard, cafe_project / "site-cold", cafe_project)

    assert differences(cafe_project / "site-warm", cafe_project / "site-cold") == []
    assert differences(cafe_project / "site-1", cafe_project / "site-warm"), "the changed number reached the site"
    rebuilt = marshal.loads(cache_file(cafe_project).read_bytes())["entries"]
    assert set(kept) & set(rebuilt), "unchanged pages were reused"


# MkDocs in a fresh process: pages go to worker processes only from a process with no other
# thread, and this one may have some (a session fixture's web server). "forked" tells, for
# each time MkDocs's pages were offered to workers (converted, then their templates rendered),
# whether workers took them.
ALONE = """
import json, sys
from pathlib import Path
from generator.errors import PublishError
from generator import workers as page_workers
from generator.publish import page_cache, site, theme_pages

config, site_dir, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
if sys.argv[4] == "no-fork":  # a platform where the build does not fork (macOS, Windows)
    page_workers._can_fork = lambda: False
forked = []
fork_map = page_workers.fork_map

def spy(*args, **kwargs):
    made = fork_map(*args, **kwargs)
    forked.append(made is not None)
    return made

page_workers.fork_map = spy
page_workers.cpu_count = lambda: workers
page_cache.PARALLEL_FROM = theme_pages.PARALLEL_FROM = 1  # the cafe is small
try:
    site.run_mkdocs(config, strict=True, epoch=0, site_dir=site_dir)
    error = None
except PublishError as failure:
    error = str(failure)
print(json.dumps({"forked": forked, "error": error}))
"""


def mkdocs_alone(cafe_project: Path, site_dir: Path, workers: int, *, cold: bool = True, fork: bool = True) -> dict:
    """MkDocs on the cafe_project's generated configuration, in a fresh process with ``workers`` cores."""
    if cold:
        cache_file(cafe_project).unlink(missing_ok=True)
    config = cache_file(cafe_project).parent / "mkdocs.yml"
    done = subprocess.run(
        [sys.executable, "-c", ALONE, str(config), str(site_dir), str(workers), "fork" if fork else "no-fork"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_pages_converted_in_worker_processes_give_the_bytes_of_one_process(cafe_project: Path) -> None:
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    assert mkdocs_alone(cafe_project, cafe_project / "site-1", workers=1) == {"forked": [False, False], "error": None}
    assert mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2) == {"forked": [True, True], "error": None}
    assert differences(cafe_project / "site-1", cafe_project / "site-2") == []
    assert (cafe_project / "site-2" / "search" / "search_index.json").stat().st_size > 1000


def test_without_fork_every_page_is_built_in_one_process_with_the_same_bytes(cafe_project: Path) -> None:
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    alone = mkdocs_alone(cafe_project, cafe_project / "site-1", workers=2, fork=False)
    assert alone == {"forked": [False, False], "error": None}
    assert mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2) == {"forked": [True, True], "error": None}
    assert differences(cafe_project / "site-1", cafe_project / "site-2") == []


def test_pages_rendered_in_worker_processes_from_the_cache_give_the_bytes_of_one_process(cafe_project: Path) -> None:
    # Every page converted is in the cache: only the theme's templates go to the workers.
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    one = mkdocs_alone(cafe_project, cafe_project / "site-1", workers=1, cold=False)
    two = mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2, cold=False)
    assert (one, two) == ({"forked": [False], "error": None}, {"forked": [True], "error": None})
    assert differences(cafe_project / "site-1", cafe_project / "site-2") == []


def failure_in_one_process(cafe_project: Path, notes: str, needle: str) -> dict:
    """What MkDocs in one process says of the built cafe_project once ``notes.md`` (``notes``) joins its docs."""
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    (cache_file(cafe_project).parent / "docs" / "notes.md").write_text(notes, encoding="utf-8")
    told = mkdocs_alone(cafe_project, cafe_project / "site-1", workers=1, cold=False)
    assert needle in told["error"]
    return told


def test_a_page_whose_template_fails_in_worker_processes_fails_the_build_as_in_one_process(cafe_project: Path) -> None:
    notes = "---\ntemplate: no-such-template.html\n---\n# Notes\n"
    told = failure_in_one_process(cafe_project, notes, "no-such-template.html")
    again = mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2, cold=False)
    assert again == {"forked": [True, True], "error": told["error"]}, "the same error, told once"


HOOK = """
import os

seen = []


def on_post_page(output, page, config):
    seen.append(page.url)
    return output.replace("</body>", "<!-- hooked --></body>")


def on_post_build(config):
    with open(os.path.join(config.site_dir, "seen.txt"), "w", encoding="utf-8") as out:
        out.write("\\n".join(seen))
"""


def test_pages_with_a_plugin_of_the_project_are_built_in_one_process(cafe_project: Path) -> None:
    # A plugin's page events keep state in this process: pages built in workers would lose it.
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    config = cache_file(cafe_project).parent / "mkdocs.yml"
    (config.parent / "hook.py").write_text(HOOK, encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n- hook.py\n", encoding="utf-8")
    assert mkdocs_alone(cafe_project, cafe_project / "site-1", workers=1, cold=False) == {"forked": [], "error": None}
    assert mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2, cold=False) == {"forked": [], "error": None}
    assert differences(cafe_project / "site-1", cafe_project / "site-2") == []
    seen = (cafe_project / "site-2" / "seen.txt").read_text(encoding="utf-8").splitlines()
    assert len(seen) > 20 and "<!-- hooked -->" in (cafe_project / "site-2" / "okrs" / "index.html").read_text("utf-8")


def test_a_page_with_a_broken_link_fails_every_build_not_only_the_first(cafe_project: Path) -> None:
    scorecard = cafe_project.parent / "cafe"
    content = cafe_project.parent / "content"
    content.mkdir()
    (content / "notes.md").write_text("# Notes\n\nSee [the plan](missing-page.md).\n", encoding="utf-8")
    (cafe_project / "content").unlink()
    (cafe_project / "content").symlink_to(content)
    for attempt in ("site-1", "site-2"):
        with pytest.raises(PublishError, match="missing-page.md"):
            build_portal(scorecard, cafe_project / attempt, cafe_project)


def test_a_broken_link_converted_in_worker_processes_fails_the_build_as_in_one_process(cafe_project: Path) -> None:
    told = failure_in_one_process(cafe_project, "# Notes\n\nSee [the plan](missing-page.md).\n", "missing-page.md")
    for cold in (False, True):  # the other pages kept, or none
        again = mkdocs_alone(cafe_project, cafe_project / "site-2", workers=2, cold=cold)
        assert again == {"forked": [True, True], "error": told["error"]}, "the same warning, told once"


# MkDocs itself, none of the build's own ways (cache, workers, links, skipped anchor scan).
PLAIN = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

build(load_config(config_file=sys.argv[1], site_dir=sys.argv[2]))
"""


def test_the_site_is_the_bytes_plain_mkdocs_builds(cafe_project: Path) -> None:
    build_portal(cafe_project.parent / "cafe", cafe_project / "site", cafe_project)
    config = cache_file(cafe_project).parent / "mkdocs.yml"
    assert mkdocs_alone(cafe_project, cafe_project / "site-1", workers=2) == {"forked": [True, True], "error": None}
    plain = cafe_project / "site-plain"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0"}  # the epoch mkdocs_alone builds with
    subprocess.run([sys.executable, "-c", PLAIN, str(config), str(plain)], check=True, capture_output=True,
                   env=environment)
    assert differences(cafe_project / "site-1", plain) == []


NOTES = """# Notes

<div id="raw-anchor">A block whose anchor only its raw HTML holds.</div>

```html
<div id="in-code">An example, not an anchor.</div>
```

See [the block](#raw-anchor) and [{name}](#{anchor}).
"""


@pytest.mark.parametrize(("name", "anchor", "missing"), [
    ("the block", "raw-anchor", None), ("nothing", "nowhere", "nowhere"), ("the example", "in-code", "in-code"),
])  # fmt: skip
def test_links_to_anchors_are_checked_against_headings_and_raw_html_as_mkdocs_does(
    cafe_project: Path, name: str, anchor: str, missing: str | None
) -> None:
    # The project's mkdocs.yml warns of a missing anchor (strict: the build fails). MkDocs
    # finds a raw-HTML anchor by a scan the build makes only for a link that needs it.
    content = cafe_project.parent / "content"
    content.mkdir()
    (cafe_project / "content").unlink()
    (cafe_project / "content").symlink_to(content)
    (content / "notes.md").write_text(NOTES.format(name=name, anchor=anchor), encoding="utf-8")
    scorecard = cafe_project.parent / "cafe"
    if missing is None:
        build_portal(scorecard, cafe_project / "site", cafe_project)
        return
    with pytest.raises(PublishError, match=f"'#{missing}', but there is no such anchor"):
        build_portal(scorecard, cafe_project / "site", cafe_project)


def test_a_damaged_cache_is_ignored(cafe_project: Path) -> None:
    scorecard = cafe_project.parent / "cafe"
    build_portal(scorecard, cafe_project / "site-1", cafe_project)
    cache_file(cafe_project).write_text("{not a cache", encoding="utf-8")
    build_portal(scorecard, cafe_project / "site-2", cafe_project)
    assert differences(cafe_project / "site-1", cafe_project / "site-2") == []


def test_worker_results_reach_the_caller_as_they_come() -> None:
    # In a fresh process: this one may run a test server's thread, and then nothing forks.
    script = (
        "from generator.workers import fork_map\n"
        "seen = []\n"
        "made = fork_map(str, list(range(40)), workers=2, on_result=seen.append)\n"
        "assert made == [str(n) for n in range(40)] and sorted(seen, key=int) == made, (made, seen)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_pages_stay_in_this_process_while_another_thread_runs() -> None:
    # The preview server rebuilds beside its own threads: a forked worker could inherit a held lock.
    import threading

    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert page_workers.fork_map(str, [1, 2, 3], workers=2) is None
    finally:
        done.set()
        thread.join()


EXCLUDED_BLOCKS = {
    "a period table": '<div class="sp-periods" data-search-exclude>\n<table><tr><td>12</td></tr></table>\n</div>',
    "a chart figure": '<figure class="sp-chart" data-search-exclude><img src="x.svg" alt="a chart"></figure>',
    "a comment holding an end tag": '<div class="sp-x" data-search-exclude><!-- </div> --> hidden</div>',
    "a nested block": '<div class="sp-x" data-search-exclude><div>inner</div> hidden</div>',
    "a heading inside": '<div class="sp-x" data-search-exclude><h2 id="in">Inside</h2> hidden</div>',
}


@pytest.mark.parametrize("block", EXCLUDED_BLOCKS.values(), ids=EXCLUDED_BLOCKS.keys())
def test_cutting_our_excluded_blocks_gives_materials_own_search_entries(block: str) -> None:
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from generator.publish.page_cache import _Cache

    content = f'<h1 id="kpi">KPI</h1>\n<p>Before.</p>\n{block}\n<h2 id="after">After</h2>\n<p>Text.</p>'
    page = SimpleNamespace(content=content, toc=[], url="kpis/x/", meta={}, title="KPI")
    theirs, ours = SearchIndex(), SearchIndex()
    SearchIndex.add_entry_from_context(theirs, page)
    _Cache(None, None, SearchIndex.add_entry_from_context, None).add_excluding(ours, page)  # type: ignore[arg-type]
    assert ours.entries == theirs.entries and page.content == content
