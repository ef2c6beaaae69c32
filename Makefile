# jiyue: consolidating government websites.  `make run`, `make test`.
#
# Targets that a newcomer needs first install missing Debian packages
# (scripts/deps.sh), then call this Makefile again so that pkg-config sees
# them.

CC ?= cc
PREFIX ?= /usr/local
O ?= build/release
CFLAGS ?= -O2 -g
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

PKGS = libcmark-gfm libgit2 libcurl libxml-2.0 yaml-0.1 jansson zlib libdeflate libcrypto libzip
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -I. $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lcmark-gfm-extensions -lpthread

LIB_SRC = $(wildcard common/*.c) $(wildcard gen/*.c) $(wildcard gen/mustache/*.c) \
          $(wildcard archiver/*.c)
CLI_SRC = $(wildcard cli/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(O)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(O)/%.o)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
SPEC_BIN = $(O)/tests/mustache_spec $(O)/tests/mustache_errors

BIN = jiyue

.PHONY: all run serve test check asan ubsan tsan deps deps-test install clean bench bench-archive
.DEFAULT_GOAL := all

all: $(BIN)

# The binary lives at the top so that it finds themes/ beside it.
ifeq ($(O),build/release)
$(BIN): $(O)/jiyue
	@cp $< $@.tmp && mv -f $@.tmp $@
endif

# Objects are linked directly (no archive: gen/render.o and
# gen/mustache/render.o would clash as archive members).
$(O)/jiyue: $(CLI_OBJ) $(LIB_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB_OBJ) $(LIBS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tests/test_%: tests/unit/test_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS) -lcmocka

$(O)/tests/mustache_%: tests/unit/mustache_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# ---- what a newcomer runs ----

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

# The demo's "today": its notices are then on display or expired as the
# story needs, whatever the day make run is run.  make run DEMO_DATE=...
DEMO_DATE ?= 2026-11-23

# The whole demo (scripts/demo.sh): archive the old site in demo/oldsites/
# (once; REARCHIVE=1 again), build the portal into public/, the audit report
# into public/audit/.  Without nginx the portal is built without the archive.
run: deps
	@sh scripts/deps.sh demo || echo "warning: without nginx the demo's old site cannot be archived"
	@$(MAKE) --no-print-directory all
	@bash scripts/demo.sh -s . -d public --date $(DEMO_DATE) $(if $(REARCHIVE),--rearchive)
	@echo
	@echo "The demo portal is in public/: make serve, then open the address it prints."

# public/ with nginx on loopback, in the foreground (PORT=... to choose the port).
serve:
	@sh scripts/deps.sh serve
	@bash scripts/serve.sh public

test: deps-test
	@$(MAKE) --no-print-directory check

# The whole suite against the build in $(O); ends with "N passed, M failed".
check: all-in-$(O) $(UNIT_BIN) $(SPEC_BIN)
	@sh tests/run.sh $(O)

.PHONY: all-in-$(O)
all-in-$(O): $(O)/jiyue

asan: deps-test
	@$(MAKE) --no-print-directory O=build/asan CFLAGS="$(SAN_FLAGS)" check

ubsan: asan

# ThreadSanitizer on the code that runs threads: the archiver (crawl workers,
# the parallel copy) against real servers, and the unit tests.
tsan: deps-test
	@$(MAKE) --no-print-directory O=build/tsan CFLAGS="-O1 -g -fsanitize=thread" \
		build/tsan/jiyue $(UNIT_SRC:tests/unit/%.c=build/tsan/tests/%)
	@for t in $(UNIT_SRC:tests/unit/%.c=build/tsan/tests/%); do TSAN_OPTIONS="halt_on_error=1" $$t >/dev/null 2>&1 || \
		{ echo "tsan: $$t failed"; exit 1; }; done; echo "tsan: unit tests clean"
	@TSAN_OPTIONS="halt_on_error=1" bash tests/archive/run.sh build/tsan/jiyue

bench: deps
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

bench-archive: deps
	@sh scripts/deps.sh bench-archive
	@$(MAKE) --no-print-directory all
	@sh bench/archive/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/jiyue/themes
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(BIN)
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/jiyue/themes/

clean:
	rm -rf build $(BIN)
