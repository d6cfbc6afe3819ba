# Fenxiao — the two set-up commands: `make demo` and `make test`.
# Both install the Debian packages the build needs when they are missing (sudo when not root).

# systemd: systemd-analyze verifies deploy/'s units in DeployFilesTests (never skipped).
PACKAGES := libsqlite3-dev libcurl4-openssl-dev sqlite3 libzint-dev systemd libpq-dev postgresql
# The till's browser test: headless Chromium, its driver, a CJK font, and Python's venv for Selenium.
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-zenhei python3-venv
VENV := .venv
SELENIUM := selenium==4.38.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps browser-deps demo test test-browser screens lint format build release bench-smoke clean completions man

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Selenium lives in a venv under the repo (.venv, git-ignored): Debian's pip is externally managed.
browser-deps:
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@[ -x $(VENV)/bin/python ] || /usr/bin/python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import selenium" 2>/dev/null || $(VENV)/bin/pip install -q $(SELENIUM)

demo: deps
	swift run fenxiao demo

# The Swift suites, then the till in a real browser (fails, never skips, when it cannot run).
# LOG_LEVEL=warning: the in-process servers of the suites (Hummingbird's default logger) keep
# their one line per request to themselves; refusals and failures still print.
test: deps browser-deps
	LOG_LEVEL=warning swift test
	$(MAKE) test-browser

test-browser: browser-deps
	swift build
	$(VENV)/bin/python tests/browser/till_e2e.py
	$(VENV)/bin/python tests/browser/console_e2e.py
	$(VENV)/bin/python tests/browser/console_members_e2e.py
	$(VENV)/bin/python tests/browser/mall_e2e.py

# Refreshes the README's screenshots of the till (docs/screens/) from the browser test.
screens: browser-deps
	swift build
	FENXIAO_SCREENS=$(CURDIR)/docs/screens $(VENV)/bin/python tests/browser/till_e2e.py
	FENXIAO_SCREENS=$(CURDIR)/docs/screens $(VENV)/bin/python tests/browser/console_e2e.py
	FENXIAO_SCREENS=$(CURDIR)/docs/screens $(VENV)/bin/python tests/browser/console_members_e2e.py
	FENXIAO_SCREENS=$(CURDIR)/docs/screens $(VENV)/bin/python tests/browser/mall_e2e.py

# The style check CI runs: swift-format (part of the toolchain) with the committed .swift-format.
lint:
	swift format lint --strict --recursive --parallel Sources Tests Package.swift

# Rewrites the sources in the committed style (then `make lint` passes).
format:
	swift format --in-place --recursive --parallel Sources Tests Package.swift

build: deps
	swift build

release: deps
	swift build -c release

# Shell completions (bash, zsh, fish) and man pages for `fenxiao`, into dist/ (git-ignored):
# argument-parser's --generate-completion-script and its generate-manual plugin, on a debug
# build (the plugin's default is a release build).
DIST := dist
completions: deps
	swift build --product fenxiao
	mkdir -p $(DIST)/completions
	.build/debug/fenxiao --generate-completion-script bash > $(DIST)/completions/fenxiao.bash
	.build/debug/fenxiao --generate-completion-script zsh > $(DIST)/completions/_fenxiao
	.build/debug/fenxiao --generate-completion-script fish > $(DIST)/completions/fenxiao.fish
	@ls -l $(DIST)/completions

man: deps
	swift package plugin generate-manual --configuration debug --multi-page
	rm -rf $(DIST)/man && mkdir -p $(DIST)/man/man1
	find .build/plugins -path '*GenerateManual*' -name '*.1' -exec cp {} $(DIST)/man/man1/ \;
	@echo "$$(ls $(DIST)/man/man1 | wc -l) pages in $(DIST)/man/man1 (try: man -l $(DIST)/man/man1/fenxiao.1)"

clean:
	rm -rf .build $(DIST)
