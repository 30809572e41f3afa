# stackmap — see README.md. `make site` builds the tool and the site;
# `make check` runs every test. Both install missing Debian packages.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/stackmap
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

VERSION := $(shell cat VERSION)
CC      ?= cc
PKGS    := yaml-0.1 libcmark libcurl jansson
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	$(WARN) $(HARDEN) -DSTACKMAP_VERSION='"$(VERSION)"' \
	-DSTACKMAP_DATADIR='"$(DATADIR)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

BUILD   ?= build
BIN     ?= stackmap
SRC     := $(sort $(wildcard src/*.c))
LIBSRC  := $(filter-out src/main.c,$(SRC))
OBJ     := $(SRC:src/%.c=$(BUILD)/%.o)
LIBOBJ  := $(LIBSRC:src/%.c=$(BUILD)/%.o)

TEST_UNITS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BINS  := $(TEST_UNITS:%=$(BUILD)/tests/%)

.PHONY: all deps-check site check test unit bad schemas install \
	uninstall clean asan valgrind lint

all: $(BUILD)/.deps $(BIN)

$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh build
	@touch $@

# after .deps: under make -j two apt-get runs must not race for dpkg's lock
$(BUILD)/.deps-check: scripts/deps.sh | $(BUILD)/.deps
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh check
	@touch $@

deps-check: $(BUILD)/.deps-check

$(BIN): $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) VERSION | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIBOBJ) | $(BUILD)/.deps-check
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Isrc -o $@ $< $(LIBOBJ) $(LIBS) \
	  $(CMOCKA_LIBS)

# Rules contributed per stage (fixture server, fuzzers, benchmarks).
-include $(sort $(wildcard mk/*.mk))

# Build the tool, then the site from the bundled catalog.
site: all
	./stackmap build

# The whole test suite. Sanitizer and valgrind passes are separate targets
# that .ci/run also calls.
check: deps-check all $(TEST_BINS)
	@STACKMAP=$(abspath $(BIN)) sh tests/run-all.sh $(BUILD)

unit: deps-check $(TEST_BINS)
	@for t in $(TEST_BINS); do $$t || exit 1; done

schemas: all
	./stackmap schema vendor > catalog/schema/vendor.schema.json
	./stackmap schema model > catalog/schema/model.schema.json
	./stackmap schema site > catalog/schema/site.schema.json
	./stackmap schema primer > catalog/schema/primer.schema.json

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/stackmap CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

valgrind: all $(TEST_BINS)
	@VALGRIND=1 STACKMAP=$(abspath $(BIN)) sh tests/run-all.sh $(BUILD)

# src/datadir.c compiles DATADIR in (where an installed stackmap finds its
# templates and the skeleton of `stackmap init`): rebuild it when DATADIR
# changes, so `make install PREFIX=/opt/x` installs a binary that looks
# in /opt/x/share/stackmap.
$(BUILD)/datadir.o: $(BUILD)/datadir.stamp
$(BUILD)/datadir.stamp: datadir-stamp-check | $(BUILD)/.deps
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
.PHONY: datadir-stamp-check

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/stackmap
	install -m 0644 man/stackmap.1 $(DESTDIR)$(MANDIR)/man1/stackmap.1
	install -d $(DESTDIR)$(DATADIR)
	rm -rf $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/skeleton
	cp -R templates $(DESTDIR)$(DATADIR)/
	cp -R skeleton $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 completion/stackmap.bash $(DESTDIR)$(BASHCOMPDIR)/stackmap

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stackmap $(DESTDIR)$(MANDIR)/man1/stackmap.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/stackmap
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-clang stackmap
