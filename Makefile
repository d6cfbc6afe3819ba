# Fenxiao — the two set-up commands: `make demo` and `make test`.
# Both install the Debian packages the build needs when they are missing (sudo when not root).

PACKAGES := libsqlite3-dev libcurl4-openssl-dev sqlite3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo test build release bench-smoke clean

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

demo: deps
	swift run fenxiao demo

test: deps
	swift test

build: deps
	swift build

release: deps
	swift build -c release

clean:
	rm -rf .build
