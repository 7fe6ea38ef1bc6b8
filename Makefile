# qda — build, test, demo, install. `make demo` and `make check` install what
# they need first (make deps), so a fresh Debian machine needs nothing else.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc

# Debian packages: the build (libraries), the tests, and the tools they use.
DEB_PACKAGES = build-essential pkg-config libsqlite3-dev libyaml-dev libutf8proc-dev \
               libpcre2-dev libxml2-dev libzip-dev libcsv-dev libstemmer-dev nettle-dev libgraphviz-dev libcmocka-dev \
               bats sqlite3 libxml2-utils jq zip python3

PKG_MODULES = sqlite3 yaml-0.1 libutf8proc libpcre2-8 libxml-2.0 libzip nettle libgvc
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKG_MODULES) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKG_MODULES) 2>/dev/null) -lcsv -lstemmer -lm

WARN     = -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK -DQDA_VERSION='"$(VERSION)"' $(WARN) $(PKG_CFLAGS) -Ibuild $(CFLAGS)
SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

CORE_SRC = $(wildcard core/*.c)
CMD_SRC  = $(wildcard cmd/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

OBJ      = $(patsubst %.c,build/rel/%.o,$(CORE_SRC) $(CMD_SRC))
SAN_CORE = $(patsubst %.c,build/san/%.o,$(CORE_SRC))
SAN_OBJ  = $(SAN_CORE) $(patsubst %.c,build/san/%.o,$(CMD_SRC))
UNIT_BIN = $(patsubst tests/unit/%.c,build/san/unit/%,$(UNIT_SRC))

.PHONY: all deps check check-build demo bench install clean unit cli

all: qda

qda: $(OBJ)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

SCHEMA_SQL = core/schema.sql core/schema-2.sql core/schema-3.sql core/schema-4.sql

build/schema.h: $(SCHEMA_SQL) tests/tools/embed.sh
	@mkdir -p build
	sh tests/tools/embed.sh schema_sql core/schema.sql > $@.tmp
	sh tests/tools/embed.sh schema2_sql core/schema-2.sql >> $@.tmp
	sh tests/tools/embed.sh schema3_sql core/schema-3.sql >> $@.tmp
	sh tests/tools/embed.sh schema4_sql core/schema-4.sql >> $@.tmp
	mv $@.tmp $@

build/rel/%.o: %.c build/schema.h $(wildcard core/*.h) cmd/cmd.h cmd/out.h cmd/opts.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c build/schema.h $(wildcard core/*.h) cmd/cmd.h cmd/out.h cmd/opts.h
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/san/qda: $(SAN_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(SAN_OBJ) $(PKG_LIBS)

build/san/unit/%: tests/unit/%.c $(SAN_CORE) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -Icore -o $@ $< $(SAN_CORE) $(PKG_LIBS) -lcmocka

deps:
	@sh tests/tools/deps.sh $(DEB_PACKAGES)

check-build: build/san/qda $(UNIT_BIN)

# Every test, built with ASan and UBSan; the last line is "check: N passed, M failed".
check: deps
	@$(MAKE) --no-print-directory check-build
	@sh tests/tools/run-checks.sh build/san/qda $(UNIT_BIN)

unit: deps
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

demo: deps
	@$(MAKE) --no-print-directory qda
	@sh tests/tools/demo.sh ./qda

bench: deps
	@$(MAKE) --no-print-directory qda
	@sh tests/bench/run.sh ./qda

install: qda
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 qda $(DESTDIR)$(PREFIX)/bin/qda
	install -m 0644 man/qda.1 $(DESTDIR)$(PREFIX)/share/man/man1/qda.1

clean:
	rm -rf build qda
