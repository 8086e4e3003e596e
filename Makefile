# redactor — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CACHED := $(VENV)/.prefilters-cached

.PHONY: install run test fuzz bench lock clean

install: $(STAMP) $(CACHED)

# Everything comes from the hash-pinned lock; the project itself is installed editable. Then the
# built-in patterns' prefilter databases are compiled into ~/.cache/redactor (never a profile's; see
# recognizers/prefilter_cache.py; REDACTOR_NO_CACHE=1 skips it), again whenever the translator changes.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(CACHED): $(STAMP) recognizers/prefilter.py
	$(BIN)/python -c "from recognizers.prefilter_cache import main; main()"
	@touch $@

run: $(STAMP) $(CACHED)
	$(BIN)/redactor redact samples/reports -o out --config samples/redactor.yaml --report out/report.json

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Throughput, scaling, memory and cold starts (measured, never asserted). BENCH_BIG_MB=200 by default.
bench: $(STAMP) $(CACHED)
	$(BIN)/python tests/bench.py

# Property tests with many more examples than `make test` runs.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_properties.py tests/recognizer_tables/test_prefilter.py

# Regenerate the lock from requirements.in (needs network to the registry; not part of run/test).
# the environment marker written next to hyperscan in requirements.in
HYPERSCAN_MARKER = $(shell sed -n 's/^hyperscan==[0-9.]* *; *//p' requirements.in)
lock:
	$(PYTHON) -m venv /tmp/redactor-lockenv && /tmp/redactor-lockenv/bin/pip install --quiet uv
	/tmp/redactor-lockenv/bin/uv pip compile --generate-hashes --python-version 3.11 --no-header \
	  requirements.in -o requirements.lock
	$(PYTHON) models/pin_model_hash.py requirements.lock
	# uv drops environment markers from a single-platform lock; hyperscan has no wheel for Linux aarch64
	sed -i 's/^hyperscan==\([0-9.]*\) \\$$/hyperscan==\1 ; $(HYPERSCAN_MARKER) \\/' requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache
