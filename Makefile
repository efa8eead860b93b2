# outdial — build, test, demo, bench.
SWIFT ?= swift
BUILD_FLAGS ?=
BIN = .build/debug/outdial
RELEASE_BIN = .build/release/outdial

# `make install`: where (PREFIX, under DESTDIR when packaging), and which build (release; the
# install test takes the debug build the tests already made).
PREFIX ?= /usr/local
DESTDIR ?=
CONFIGURATION ?= release
INSTALL_BIN = .build/$(CONFIGURATION)/outdial
MANPAGE = .build/man/$(CONFIGURATION)/outdial.1
bindir = $(DESTDIR)$(PREFIX)/bin
bashdir = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
man1dir = $(DESTDIR)$(PREFIX)/share/man/man1

.PHONY: all build release deps deps-build test-deps test demo bench format lint clean install uninstall manual

all: build

# Installs what the build and the tests need on a fresh Debian machine (as root): libyaml, and
# the tz database (tzdata) that calling windows read local time from (deps-build: all that
# `make install` asks for); man-db and groff-base to check the man page; chromium, the browser
# the report test opens its page in.
deps-build:
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

deps: deps-build
	@if ! command -v man >/dev/null 2>&1 || ! command -v groff >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing man-db and groff-base (the install test reads the man page)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db groff-base; \
		else \
			echo "man is missing: install man-db and groff-base (apt)" >&2; exit 1; \
		fi; \
	fi
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing chromium (the report test loads the page in it, headless)"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
				|| echo "chromium could not be installed: the report's browser test will be skipped" >&2; \
		else \
			echo "chromium is missing: the report's browser test will be skipped (install chromium as root)" >&2; \
		fi; \
	fi

# What the tests use besides: Debian's prometheus (promtool checks the metrics file),
# prometheus-pushgateway (a real Pushgateway for --pushgateway) and postgresql (initdb and pg_ctl:
# the ledger's PostgreSQL tests start a throw-away cluster), installed as root when missing.
# Under CI=true a PostgreSQL that cannot be installed fails here (and its tests fail, not skip).
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
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing postgresql (the ledger's PostgreSQL tests start a throw-away cluster)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql \
				|| { echo "could not install postgresql" >&2; [ "$$CI" != true ] || exit 1; }; \
		else \
			echo "PostgreSQL is missing: the ledger's PostgreSQL tests are skipped (apt: postgresql)" >&2; \
		fi; \
	fi

build: deps-build
	$(SWIFT) build $(BUILD_FLAGS)

release: deps-build
	$(SWIFT) build -c release $(BUILD_FLAGS)

test: test-deps
	@python3 -c 'import boto3, awscli' 2>/dev/null || python3 -m pip install -q boto3 awscli
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)
	@sh scripts/install-test.sh

# The man page, from the same help texts as --help: ArgumentParser's generate-manual plugin reads
# `outdial --experimental-dump-help` (it builds the package in CONFIGURATION first). A blank line
# of a discussion becomes `.Pp` (mdoc's paragraph; man warns about blank lines).
manual: $(MANPAGE)

$(MANPAGE): $(INSTALL_BIN)
	$(SWIFT) package $(BUILD_FLAGS) generate-manual --configuration $(CONFIGURATION) >/dev/null
	@mkdir -p $(@D)
	@page=$$(find .build/plugins -path '*GenerateManual*' -name outdial.1 -newer $(INSTALL_BIN) | head -n 1); \
		if [ -z "$$page" ]; then echo "generate-manual made no outdial.1" >&2; exit 1; fi; \
		sed 's/^$$/.Pp/' "$$page" > $@

$(INSTALL_BIN):
	$(SWIFT) build -c $(CONFIGURATION) --product outdial $(BUILD_FLAGS)

# Installs the binary, bash/zsh/fish completions (ArgumentParser's --generate-completion-script)
# and the man page; `make uninstall` with the same PREFIX and DESTDIR removes exactly these.
install: deps-build
	$(SWIFT) build -c $(CONFIGURATION) --product outdial $(BUILD_FLAGS)
	@$(MAKE) --no-print-directory manual CONFIGURATION=$(CONFIGURATION)
	install -d $(bindir) $(bashdir) $(zshdir) $(fishdir) $(man1dir)
	install -m 0755 $(INSTALL_BIN) $(bindir)/outdial
	$(INSTALL_BIN) --generate-completion-script bash > $(bashdir)/outdial
	$(INSTALL_BIN) --generate-completion-script zsh > $(zshdir)/_outdial
	$(INSTALL_BIN) --generate-completion-script fish > $(fishdir)/outdial.fish
	chmod 0644 $(bashdir)/outdial $(zshdir)/_outdial $(fishdir)/outdial.fish
	install -m 0644 $(MANPAGE) $(man1dir)/outdial.1

uninstall:
	rm -f $(bindir)/outdial $(bashdir)/outdial $(zshdir)/_outdial $(fishdir)/outdial.fish $(man1dir)/outdial.1

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
