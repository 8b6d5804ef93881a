"""strategy-portal: a balanced scorecard in git, published as a strategy portal.

The package is one pipeline, split by stage:

* :mod:`generator.load` reads YAML and CSV into a validated :class:`~generator.model.Scorecard`;
* :mod:`generator.compute` turns it into statuses and roll-ups (:class:`~generator.compute.results.Results`);
* :mod:`generator.render` writes Markdown, SVG and charts into a docs folder;
* :mod:`generator.publish` runs MkDocs on that folder into the site.

Each stage takes the previous stage's output and never reaches back.
"""

__version__ = "0.1.0"
