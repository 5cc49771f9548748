# reportgen - settings first (suckless style); override on the command line.
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
OUT      ?= out
BUILD    ?= $(OUT)/build
BIN      := $(OUT)/bin/reportgen
DATADIR  ?= $(CURDIR)
PKGS     := libxml-2.0 libxslt harfbuzz libdeflate
DEB_PKGS := build-essential pkg-config libhpdf-dev libxml2-dev libxslt1-dev libcmocka-dev \
            libunibreak-dev libharfbuzz-dev hyphen-en-us qpdf poppler-utils python3 valgrind strace \
            ghostscript mupdf-tools libharfbuzz-bin fonts-dejavu-core python3-pikepdf libcsv-dev libzip-dev \
            python3-openpyxl man-db groff-base liblcms2-dev libdeflate-dev
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
OPT      ?= -O2 -g
XCFLAGS  := $(CSTD) $(WARN) $(OPT) -Iinclude -iquote src $(shell pkg-config --cflags $(PKGS) libzip 2>/dev/null) \
            -DRG_DATADIR='"$(DATADIR)"' $(CFLAGS)
XLDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lunibreak -lcsv -lm $(LDLIBS)

CLI_SRC  := src/main.c $(wildcard src/cli_*.c)
CLI_OBJ  := $(CLI_SRC:src/%.c=$(BUILD)/%.o)
LIB_SRC  := $(filter-out $(CLI_SRC),$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libreportgen.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all demo test test-suites conformance check leakcheck bench install uninstall clean deps unit golden accept-errors faultcheck fuzz stress
all: $(BIN)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) include/reportgen.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(XCFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $^ $(XLDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) src/rg.h
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(XLDLIBS) -lcmocka $(shell pkg-config --libs libzip 2>/dev/null)

# The program carries LittleCMS's sRGB profile as bytes (pdf_meta.c); this
# test makes it with LittleCMS again and compares.
$(BUILD)/tests/test_srgb: XLDLIBS += $(shell pkg-config --libs lcms2 2>/dev/null)

unit: $(UNIT_BIN)

# Installs missing Debian packages as root; otherwise says what to run.
deps:
	@sh tests/deps.sh $(DEB_PKGS)

demo: deps
	@$(MAKE) --no-print-directory all
	@for f in data/*.xml; do \
	  o=$(OUT)/$$(basename $$f .xml).pdf; \
	  $(BIN) render $$f -o $$o || exit 1; echo "$$o"; \
	done
	@$(BIN) batch data/states -o $(OUT)/states >/dev/null && ls $(OUT)/states/*.pdf
	@$(BIN) overview data/states -o $(OUT)/overview.pdf && echo "$(OUT)/overview.pdf"

# The fault build (tests/render/faults.sh) comes along, except under
# sanitizers (make check), whose allocator would meet ours.
FAULT_BIN  := $(OUT)/fault/bin/reportgen
TEST_FAULT := $(if $(findstring sanitize,$(OPT)),,$(FAULT_BIN))

# The program with no paragraph memo (text.c built with RG_PARA_MEMO=0):
# tests/render/memo.sh compares its output with the program's.
NOMEMO_BIN := $(OUT)/nomemo/bin/reportgen

$(OUT)/nomemo/text.o: src/text.c $(wildcard src/*.h) include/reportgen.h
	@mkdir -p $(@D)
	@echo "  CC      $< (RG_PARA_MEMO=0)"
	@$(CC) $(XCFLAGS) -DRG_PARA_MEMO=0 -c $< -o $@

$(NOMEMO_BIN): $(CLI_OBJ) $(OUT)/nomemo/text.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $^ $(XLDLIBS)

# On a fresh machine `make test` installs what it needs first, as `make demo` does.
test: deps
	@$(MAKE) --no-print-directory test-suites

test-suites: all unit $(TEST_FAULT) $(NOMEMO_BIN)
	@FAULT_BIN=$(TEST_FAULT) NOMEMO_BIN=$(CURDIR)/$(NOMEMO_BIN) sh tests/run.sh $(BIN) $(UNIT_BIN)

# Every PDF `make demo` writes, checked for PDF/UA-1 and PDF/A-2a
# (tests/render/conformance.py); `make test` runs it too.
conformance: deps all
	@ROOT=$(CURDIR) BIN=$(CURDIR)/$(BIN) sh tests/render/conformance-samples.sh

# Re-records the golden layout traces after a deliberate layout change:
# review `git diff tests/golden` before committing.
golden: all
	@for g in tests/golden/*.xml; do \
	  REPORTGEN_DATADIR=$(CURDIR) $(BIN) render $$g --root tests --format trace -o $${g%.xml}.trace && echo "$${g%.xml}.trace"; \
	done

# Re-records the expected messages of tests/errors after a deliberate change.
accept-errors: all
	@RG_ACCEPT=1 sh tests/run.sh $(BIN) >/dev/null; git status --short tests/errors

check:
	@$(MAKE) --no-print-directory OUT=$(OUT)/asan OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  LDFLAGS='-fsanitize=address,undefined' test

leakcheck: all unit
	@RG_VALGRIND=1 sh tests/run.sh $(BIN) $(UNIT_BIN)

$(BUILD)/bench: tests/bench/bench.c $(LIB)
	$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(XLDLIBS)

bench: all $(BUILD)/bench
	@sh tests/bench/run.sh $(BIN)

# The program, its templates and fonts, the manual page and bash completion.
MANDIR   ?= $(PREFIX)/share/man
BASHCOMP ?= $(PREFIX)/share/bash-completion/completions

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/reportgen $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMP)
	$(MAKE) --no-print-directory OUT=$(OUT)/install DATADIR=$(PREFIX)/share/reportgen all
	install -m 755 $(OUT)/install/bin/reportgen $(DESTDIR)$(PREFIX)/bin/reportgen
	cp -R templates fonts $(DESTDIR)$(PREFIX)/share/reportgen/
	install -m 644 man/reportgen.1 $(DESTDIR)$(MANDIR)/man1/reportgen.1
	install -m 644 completion/reportgen.bash $(DESTDIR)$(BASHCOMP)/reportgen

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/reportgen $(DESTDIR)$(PREFIX)/share/reportgen
	rm -f $(DESTDIR)$(MANDIR)/man1/reportgen.1 $(DESTDIR)$(BASHCOMP)/reportgen

clean:
	rm -rf $(OUT)

# ---- Fault injection (tests/fault): every allocation and file call of a render
# (or import of a sheet: a .csv or .xlsx document) made to fail in turn.
# FAULT_DOCS, FAULT_KINDS (alloc,write,read), FAULT_STRIDE
# (every Kth allocation), FAULT_MODE (--ceiling: from the Nth allocation on the
# heap may not grow, as under ulimit -v; --persist: every allocation from the
# Nth on fails). Every N of the card and the annual report: about 94,400 runs,
# 13 min on 2 cores; 13,900 more (about 1.5 min) for golden/refdigits (a
# contents laid out over three passes), 33,700 (about 5 min) for the sheet's import;
# FAULT_STRIDE=97 takes 10 s. Any failing run fails, a library's too.
FAULT_DOCS   ?= data/ct-2021-card.xml data/tip-2021-annual.xml tests/golden/refdigits.xml tests/errors/sheet-base.csv
FAULT_KINDS  ?= alloc,write,read
FAULT_STRIDE ?= 1
FAULT_JOBS   ?= 2
FAULT_MODE   ?=

$(OUT)/fault/inject.o: tests/fault/inject.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) -std=gnu11 -O2 -g -Wall -Wextra -c $< -o $@

# The product's own objects, linked with the failing allocator and file calls.
$(FAULT_BIN): $(CLI_OBJ) $(LIB) $(OUT)/fault/inject.o
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -rdynamic -o $@ $^ $(XLDLIBS) -ldl

faultcheck: $(FAULT_BIN)
	@python3 tests/fault/run.py $(FAULT_BIN) $(FAULT_DOCS) --kinds $(FAULT_KINDS) \
	  --stride $(FAULT_STRIDE) --jobs $(FAULT_JOBS) --strict $(FAULT_MODE) --outdir $(OUT)/fault

# ---- Fuzzing (tests/fuzz): libFuzzer harnesses built with clang, ASan and UBSan;
# each runs FUZZ_SECONDS. Needs Debian's clang (apt-get install clang).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_MAXLEN  ?= 65536
FUZZ_OUT     := $(OUT)/fuzz
FUZZERS      := $(FUZZ_OUT)/fuzz_check $(FUZZ_OUT)/fuzz_layout
FUZZ_CFLAGS  := $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -Iinclude -iquote src $(shell pkg-config --cflags $(PKGS) libzip 2>/dev/null) -DRG_DATADIR='"$(DATADIR)"'

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(LIB_SRC) $(wildcard src/*.h) include/reportgen.h
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(XLDLIBS)

fuzz: $(FUZZERS)
	@sh tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_SECONDS) $(FUZZ_MAXLEN) $(FUZZERS)

# ---- Batch under stress (tests/stress; not part of make test): STRESS_DOCS
# documents with -j STRESS_JOBS, then STRESS_ROUNDS interrupted batches.
STRESS_DOCS   ?= 1000
STRESS_JOBS   ?= 8
STRESS_ROUNDS ?= 40

stress: all
	@python3 tests/stress/run.py $(BIN) --docs $(STRESS_DOCS) --jobs $(STRESS_JOBS) \
	  --rounds $(STRESS_ROUNDS) --outdir $(OUT)/stress
