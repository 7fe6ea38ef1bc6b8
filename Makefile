# qda — build, test, demo, install. `make demo` and `make check` install what
# they need first (make deps), so a fresh Debian machine needs nothing else.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc

# Debian packages: the build (libraries), the tests, and the tools they use.
DEB_PACKAGES = build-essential pkg-config libsqlite3-dev libyaml-dev libutf8proc-dev \
               libpcre2-dev libxml2-dev libzip-dev libcsv-dev libstemmer-dev nettle-dev libgraphviz-dev libcmocka-dev \
               libmicrohttpd-dev libsodium-dev curl \
               bats sqlite3 libxml2-utils jq zip python3 chromium nodejs

PKG_MODULES = sqlite3 yaml-0.1 libutf8proc libpcre2-8 libxml-2.0 libzip nettle libgvc libsodium libmicrohttpd
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

SCHEMA_SQL = core/schema.sql core/schema-2.sql core/schema-3.sql core/schema-4.sql core/schema-5.sql core/schema-6.sql

build/schema.h: $(SCHEMA_SQL) tests/tools/embed.sh
	@mkdir -p build
	sh tests/tools/embed.sh schema_sql core/schema.sql > $@.tmp
	sh tests/tools/embed.sh schema2_sql core/schema-2.sql >> $@.tmp
	sh tests/tools/embed.sh schema3_sql core/schema-3.sql >> $@.tmp
	sh tests/tools/embed.sh schema4_sql core/schema-4.sql >> $@.tmp
	sh tests/tools/embed.sh schema5_sql core/schema-5.sql >> $@.tmp
	sh tests/tools/embed.sh schema6_sql core/schema-6.sql >> $@.tmp
	mv $@.tmp $@

WEB_ASSETS = $(sort $(wildcard cmd/web/*))

build/web_assets.h: $(WEB_ASSETS) tests/tools/embed-web.sh tests/tools/embed.sh
	@mkdir -p build
	sh tests/tools/embed-web.sh $(WEB_ASSETS) > $@.tmp
	mv $@.tmp $@

build/rel/cmd/web.o build/san/cmd/web.o: build/web_assets.h
build/rel/cmd/web.o build/san/cmd/web.o build/rel/cmd/web_api.o build/san/cmd/web_api.o build/rel/cmd/web_write.o build/san/cmd/web_write.o: cmd/web.h

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
	@sh tests/tools/deps-browser.sh

# The fuzz harnesses replaying their saved findings (tests/fuzz/regressions/),
# run by tests/cli/18-fuzz-regressions.bats.
REPLAY_BIN = $(patsubst tests/fuzz/regressions/%,build/fuzz/replay_%,$(wildcard tests/fuzz/regressions/*))

check-build: build/san/qda $(UNIT_BIN) $(REPLAY_BIN)

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

# make bench [SCALE=small|medium|large]: every operation of issue 15 beside
# its anchor, at two sizes 10x apart; results in build/bench/results.csv
SCALE ?= medium
bench: deps
	@$(MAKE) --no-print-directory qda
	@sh tests/bench/run.sh ./qda $(SCALE)

install: qda
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 qda $(DESTDIR)$(PREFIX)/bin/qda
	install -m 0644 man/qda.1 $(DESTDIR)$(PREFIX)/share/man/man1/qda.1

clean:
	rm -rf build qda

# ---- fuzzing (issue 16): libFuzzer harnesses in tests/fuzz/, built with
# clang; `make fuzz FUZZ_SECONDS=N` runs each N seconds on seeds gathered
# from corpus-sample/ and tests/fixtures/ into build/fuzz/seeds/ (nothing
# copied into the tree); findings land in build/fuzz/crashes/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = txt vtt srt docx docxml yaml qdc qdpx qde csv
FUZZ_FLAGS    = -std=c11 -D_GNU_SOURCE -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK \
                -DQDA_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -Ibuild -Icore -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CORE     = $(patsubst %.c,build/fuzz/%.o,$(CORE_SRC))
FUZZ_BIN      = $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))

build/fuzz/core/%.o: core/%.c build/schema.h $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_CORE)
	@echo "  LINK    $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE) $(PKG_LIBS)

# The same harnesses without libFuzzer: each replays the files it is given
# (tests/fuzz/regressions/<target>/), for make check.
build/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/replay.c $(SAN_CORE)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -Icore -o $@ tests/fuzz/replay.c $< $(SAN_CORE) $(PKG_LIBS)

build/fuzz/seeds: $(wildcard corpus-sample/* tests/fixtures/*/* codebooks/*)
	@rm -rf $@ && mkdir -p $(patsubst %,$@/%,$(FUZZ_TARGETS))
	@cp corpus-sample/*.txt corpus-sample/*.md tests/fixtures/import/*.txt tests/fixtures/import/*.md $@/txt/
	@cp corpus-sample/*.vtt tests/fixtures/import/*.vtt $@/vtt/
	@cp tests/fixtures/import/*.srt tests/fixtures/transcripts/*.srt $@/srt/
	@cp corpus-sample/*.docx tests/fixtures/import/word.docx $@/docx/
	@cp codebooks/*.yaml tests/fixtures/codebook/*.yaml $@/yaml/
	@cp tests/fixtures/refi/qdc/*.qdc $@/qdc/
	@for d in atlas guess nvivo; do (cd tests/fixtures/refi/$$d && zip -qr "$(CURDIR)/$@/qdpx/$$d.qdpx" .); done
	@for f in corpus-sample/*.docx tests/fixtures/import/word.docx; do \
		python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("word/document.xml"))' \
			"$$f" > "$@/docxml/$$(basename "$$f" .docx).xml"; done
	@for d in atlas guess nvivo; do cp tests/fixtures/refi/$$d/*.qde "$@/qde/$$d.qde"; done
	@for f in corpus-sample/*.csv tests/fixtures/reading/*.csv; do \
		printf ',' | cat - "$$f" > "$@/csv/$$(basename "$$f")"; done

fuzz-build: $(FUZZ_BIN) build/fuzz/seeds

fuzz: fuzz-build
	@mkdir -p build/fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus/$$t; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
			-print_final_stats=1 -artifact_prefix=build/fuzz/crashes/$$t- \
			build/fuzz/corpus/$$t build/fuzz/seeds/$$t 2>&1 | tail -n 12 || exit 1; \
	done

.PHONY: fuzz fuzz-build
.SECONDARY: $(FUZZ_CORE)

# ---- valgrind (issue 16): the unit tests without ASan (which valgrind
# cannot run under), each under memcheck; any error or definite leak fails.
VG_CORE = $(patsubst %.c,build/vg/%.o,$(CORE_SRC))
VG_UNIT = $(patsubst tests/unit/%.c,build/vg/unit/%,$(UNIT_SRC))

build/vg/core/%.o: core/%.c build/schema.h $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC vg   $<"
	@$(CC) $(ALL_CFLAGS) -O1 -DQDA_NO_JIT -c -o $@ $<

build/vg/unit/%: tests/unit/%.c $(VG_CORE) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST vg $@"
	@$(CC) $(ALL_CFLAGS) -O1 -Icore -o $@ $< $(VG_CORE) $(PKG_LIBS) -lcmocka

check-valgrind: $(VG_UNIT)
	@fail=0; for t in $(VG_UNIT); do \
		if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			$$t > build/vg/$$(basename $$t).log 2>&1; then echo "valgrind $$(basename $$t): clean"; \
		else echo "valgrind $$(basename $$t): FAILED (build/vg/$$(basename $$t).log)"; fail=1; fi; \
	done; exit $$fail

.PHONY: check-valgrind
.SECONDARY: $(VG_CORE)
