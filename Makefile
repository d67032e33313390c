# Each target sets up its own virtualenv, so a fresh clone needs nothing but python3 (>= 3.11).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: demo test lint bench wheelhouse
demo: $(STAMP)  ## plan the shipped Lishui scenario
	$(BIN)/courtplan solve scenarios/lishui.json --out plan.json

test: $(STAMP)  ## the whole test suite, plus ruff and mypy
	$(BIN)/ruff check optimizer api tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/courtplan bench scale

# Offline install (docs/operations.md): the product and every runtime dependency as wheels, built
# where the package index is reachable; `sh build/wheelhouse/install-offline.sh /opt/courtplan`
# installs them where it is not. The dependencies are fetched again only when pyproject.toml
# changes; the product's own wheel is rebuilt every time.
WHEELHOUSE := build/wheelhouse
$(WHEELHOUSE)/.deps: pyproject.toml | $(STAMP)
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(BIN)/pip wheel --quiet --wheel-dir $(WHEELHOUSE) .
	touch $@
wheelhouse: $(WHEELHOUSE)/.deps  ## build/wheelhouse: courtplan and its dependencies, for pip --no-index
	rm -rf $(WHEELHOUSE)/courtplan-*.whl build/lib build/bdist.*  # (no stale module in the wheel)
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir $(WHEELHOUSE) .
	cp deploy/install-offline.sh $(WHEELHOUSE)/
	$(BIN)/python -c 'import platform, sys; print("python=%d.%d" % sys.version_info[:2]); print("machine=" + platform.machine())' > $(WHEELHOUSE)/BUILT-WITH
	@echo "wheelhouse: $(WHEELHOUSE) ($$(ls $(WHEELHOUSE)/*.whl | wc -l) wheels, $$(du -sh $(WHEELHOUSE) | cut -f1))"

# System packages for the browser, spreadsheet and PDF tests (Debian): installed only when missing.
SYSTEM_PACKAGES := chromium chromium-driver poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk
.PHONY: system-deps services
system-deps:  ## Debian packages the browser / LibreOffice / PDF tests use (root, apt)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

services:  ## start the local PostgreSQL if it is installed and not running (CI machines have it)
	@if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; fi
	@pg_isready -h 127.0.0.1 || echo "no PostgreSQL at 127.0.0.1:5432"
