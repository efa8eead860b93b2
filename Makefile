# outdial — build, test, demo, bench.
SWIFT ?= swift
BUILD_FLAGS ?=
BIN = .build/debug/outdial
RELEASE_BIN = .build/release/outdial

.PHONY: all build release deps test-deps test demo bench format lint clean

all: build

# Installs what the build needs on a fresh Debian machine (as root): libyaml, and the tz database
# (tzdata) that calling windows read local time from.
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing libyaml-dev"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libyaml-dev pkg-config; \
		else \
			echo "libyaml is missing: install libyaml-dev (apt) and pkg-config" >&2; exit 1; \
		fi; \
	fi
	@if [ ! -e /usr/share/zoneinfo/America/New_York ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing tzdata"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tzdata; \
		else \
			echo "the tz database is missing: install tzdata (apt)" >&2; exit 1; \
		fi; \
	fi

# What the tests use besides: Debian's prometheus (promtool checks the metrics file) and
# prometheus-pushgateway (a real Pushgateway for --pushgateway), installed as root when missing.
test-deps: deps
	@if [ ! -x /usr/bin/promtool ] || [ ! -x /usr/bin/prometheus-pushgateway ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing prometheus (promtool) and prometheus-pushgateway"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				prometheus prometheus-pushgateway \
				|| echo "could not install prometheus: the promtool and Pushgateway checks are skipped" >&2; \
		else \
			echo "promtool and prometheus-pushgateway are missing: their tests are skipped (apt: prometheus prometheus-pushgateway)" >&2; \
		fi; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

test: test-deps
	@python3 -c 'import boto3, awscli' 2>/dev/null || python3 -m pip install -q boto3 awscli
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

demo: build
	@sh samples/demo.sh $(BIN)

bench: release
	@sh bench/run.sh $(RELEASE_BIN)

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests

clean:
	rm -rf .build
