"""MkDocs hooks of the generated ``mkdocs.yml`` (listed under ``hooks:``).

The organisation's name and the nav titles are user text (objective, perspective and
theme names). MkDocs treats them as HTML and Material prints them unescaped, so a name
like ``<script>`` would run in every page. This hook turns them into escaped
:class:`markupsafe.Markup` once: printed raw they show the text, and Material's own
``| e`` leaves them alone (no double escaping). Titles MkDocs takes from a page's ``# h1``
are already HTML, so they need nothing. The hook lives in the generated config, so a
plain ``mkdocs build -f`` gets the same protection as the portal's own build.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def on_config(config: Any) -> Any:
    """Escape the site name and every nav title (MkDocs ``on_config`` event).

    Args:
        config: The loaded MkDocs configuration.

    Returns:
        The same configuration, with ``site_name`` and nav titles as escaped Markup.
    """
    config["site_name"] = escape_text(config["site_name"])
    if config["nav"] is not None:
        config["nav"] = escape_nav(config["nav"])
    return config


def escape_text(text: Any) -> Markup:
    """``text`` as escaped Markup; text that already is Markup is kept (idempotent)."""
    return escape(text) if text is not None else Markup("")


def escape_nav(nav: Any) -> Any:
    """A copy of a MkDocs nav with every title escaped (paths and URLs untouched)."""
    if isinstance(nav, list):
        return [escape_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {escape_text(title): escape_nav(target) for title, target in nav.items()}
    return nav
