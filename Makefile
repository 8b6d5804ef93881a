# strategy-portal: two commands on a fresh machine.
#   make portal   set up, build the portal from scorecard/ into site/
#   make test     set up, lint, run every test (browser tests included)

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SCORECARD ?= scorecard
SITE     ?= site
SITE_URL ?=
AS_OF    ?=
AUDIENCE ?=

.PHONY: setup portal lint test check serve bench schema publish snapshot clean

setup: $(STAMP)

# Everything from pinned versions: direct pins in pyproject.toml, the whole tree in requirements.lock.
# pip's own output is long: progress is one line per package, the whole of it goes to .venv/pip.log.
$(STAMP): pyproject.toml requirements.lock
	@echo "Setting up $(VENV)/ from requirements.lock ($$(grep -c '==' requirements.lock) pinned packages; a minute or two the first time)"
	$(PYTHON) -m venv $(VENV)
	@{ $(PY) -m pip install --disable-pip-version-check --progress-bar off -c requirements.lock -e ".[test]" 2>&1; \
	   echo "pip exit $$?"; } | awk -v total="$$(grep -c '==' requirements.lock)" -v logfile="$(VENV)/pip.log" ' \
	  { print > logfile } \
	  /^Collecting / { name = $$2; sub(/[<>=!~;[].*/, "", name); n++; printf "  %d/%d %s\n", n, total, name; fflush() } \
	  /^Processing .*\.whl/ { k = split($$2, part, "/"); split(part[k], word, "-"); n++; \
	                          printf "  %d/%d %s\n", n, total, word[1]; fflush() } \
	  /^Installing collected packages/ { print "  installing them (the longest step)..."; fflush() } \
	  /^ERROR/ { print } \
	  /^pip exit / { code = $$3 } \
	  END { if (code) print "pip failed: the whole output is in " logfile; exit code }'
	@touch $@
	@echo "Set up: $(VENV)/ is ready."

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium fonts-dejavu-core

# SITE_URL: the address the portal is published at (fills the sitemap; enables instant page changes).
# AS_OF and AUDIENCE: --as-of and --audience (the Provenance page's rebuild command passes them).
portal: setup
	$(PY) -m generator build $(SCORECARD) --site-dir $(SITE)$(if $(SITE_URL), --site-url $(SITE_URL))$(if $(AS_OF), --as-of $(AS_OF))$(if $(AUDIENCE), --audience $(AUDIENCE))

# ruff (style, imports, likely bugs) on the code, tests and benchmarks, mypy (types) on generator/;
# both configured in pyproject.toml.
lint: setup
	$(PY) -m ruff check generator tests bench
	$(PY) -m mypy

# Lint first: a lint error fails `make test` before the (longer) test run.
test: setup $(CHROMIUM)
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest

check: setup
	$(PY) -m generator check $(SCORECARD) --strict

serve: setup
	$(PY) -m generator serve $(SCORECARD)

# Issue 7's figures: a 1,000-KPI organisation single and cascaded over 1 + 49 units (a few minutes).
bench: setup
	$(PY) bench/bench_check.py
	$(PY) bench/bench_build.py --units 49

schema: setup
	$(PY) -m generator.schema

# For a web server without CI: check strictly, build, then swap the site into PUBLISH_TARGET
# (a folder the web server serves); the old copy is removed only after the new one is in place.
publish: check portal
	@test -n "$(PUBLISH_TARGET)" || { echo "set PUBLISH_TARGET, e.g. make publish PUBLISH_TARGET=/var/www/strategy"; exit 2; }
	rm -rf "$(PUBLISH_TARGET).new" "$(PUBLISH_TARGET).old"
	cp -a $(SITE) "$(PUBLISH_TARGET).new"
	if [ -e "$(PUBLISH_TARGET)" ]; then mv "$(PUBLISH_TARGET)" "$(PUBLISH_TARGET).old"; fi
	mv "$(PUBLISH_TARGET).new" "$(PUBLISH_TARGET)"
	rm -rf "$(PUBLISH_TARGET).old"

# At period close: an immutable snapshot of the portal as of LABEL (2026-Q3, 2026-09, 2026) on the
# portal-snapshots branch; publishing a label twice is refused.
snapshot: check
	@test -n "$(LABEL)" || { echo "set LABEL, e.g. make snapshot LABEL=2026-Q3"; exit 2; }
	$(PY) -m generator snapshot $(LABEL) $(SCORECARD)

clean:
	rm -rf build site .cache
