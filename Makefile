# rarlhf: the README's two commands are `make run` and `make test`.
# Every target that needs system packages depends on `setup`, which installs
# them with apt-get when missing and says nothing when they are present.

SWIFT ?= swift
APT_PACKAGES := pkg-config libsqlite3-dev libopenblas-dev libyaml-dev \
  libssl-dev zlib1g-dev gnuplot-nox fonts-urw-base35 fontconfig python3-torch \
  sqlite3 texlive-latex-base texlive-latex-recommended
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE := .build/release/rarlhf

.PHONY: setup build run test bench reproduce lint clean

setup:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing" >&2; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	fi

build: setup
	$(SWIFT) build -c release

run: build
	$(RELEASE) sweep run experiments/default.yaml
	$(RELEASE) report default --out .

# The release build is part of the test: `make run` uses it, and an
# optimised build can fail where the debug build passes.
test: setup
	$(SWIFT) build -c release
	$(SWIFT) build
	$(SWIFT) test

# Our figures beside PyTorch's, TRL's and Hugging Face tokenizers' on this
# machine, with the goals; the reference Python environment is built under
# .build/trl-venv when missing (docs/PERFORMANCE.md).
bench: setup
	$(SWIFT) build -c release --product rarlhf-bench
	Benchmarks/run

reproduce: build
	for sweep in imdb jigsaw realtoxicityprompts schedule-ablation; do \
	  $(RELEASE) sweep run experiments/$$sweep.yaml || exit 1; \
	  $(RELEASE) report $$sweep --out . || exit 1; \
	done

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks

clean:
	rm -rf .build
