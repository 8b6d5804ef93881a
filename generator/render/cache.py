"""Where :class:`ChartCache` used to live: it moved to :mod:`generator.render.charts.cache`."""

from generator.render.charts.cache import DEFAULT_CACHE_DIR, ChartCache, cache_key

__all__ = ["ChartCache", "DEFAULT_CACHE_DIR", "cache_key"]
