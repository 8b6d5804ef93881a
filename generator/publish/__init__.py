"""Publish: turn a generated docs folder into the site (MkDocs), serve it, snapshot it.

* :mod:`generator.publish.site` builds the site atomically (:func:`~generator.publish.site.build_site`)
  and finds the project folder with ``mkdocs.yml`` and ``theme/``;
* :mod:`generator.publish.serve` previews it with live reload while the inputs change;
* :mod:`generator.publish.engine` is what a site engine must do (config, build, serve), MkDocs behind it;
* :mod:`generator.publish.provenance`, :mod:`~generator.publish.snapshot` and
  :mod:`~generator.publish.changes` record where a build came from and keep dated snapshots.
"""
