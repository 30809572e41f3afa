# Fuzzing with libFuzzer, ASan and UBSan (tests/fuzz/README.md). Not part
# of `make check` except through fuzz-regress:
#   make fuzz           runs every harness for FUZZ_SECONDS (default 60) each,
#                       growing a work corpus in $(BUILD)/fuzz/work/NAME;
#                       a crash stops the run and leaves the input in
#                       $(BUILD)/fuzz/artifacts/NAME/
#   make fuzz-regress   runs every harness once over its seed corpus and its
#                       regression inputs (tests/fuzz/regress/NAME/): fast
#   make fuzz-build     only builds the harnesses into $(BUILD)/fuzz/
#   make fuzz-NAME      fuzzes one harness (e.g. make fuzz-mustache)
# FUZZ_ARGS passes extra libFuzzer options, e.g. FUZZ_ARGS=-jobs=2.
# FUZZ_SEED fixes libFuzzer's random seed (0, the default, picks one) and
# FUZZ_RUNS bounds each harness by executions instead of FUZZ_SECONDS: with
# both and an empty work corpus a run tries much the same inputs on any
# machine at any speed, so CI's short pass does about the same work
# everywhere (not exactly: comparison tracing sees ASan's addresses), and a
# longer local run with the same seed covers most of it.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_SEED    ?= 0
FUZZ_RUNS    ?=
FUZZ_BOUND    = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))
FUZZ_SPENT    = $(if $(FUZZ_RUNS),(seed $(FUZZ_SEED)),in $(FUZZ_SECONDS) s)
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
# The project's flags minus optimisation and _FORTIFY_SOURCE, whose checked
# wrappers would hide overflows from ASan.
FUZZ_CFLAGS   = $(filter-out -O% -D_FORTIFY_SOURCE=%,$(ALL_CFLAGS)) \
		-U_FORTIFY_SOURCE -O1 -g $(FUZZ_SAN) \
		-DFUZZ_SRCDIR='"$(abspath .)"'
FUZZ_OBJ     := $(LIBSRC:src/%.c=$(FUZZ_DIR)/obj/%.o)

# One harness per input the tool reads from someone else. snapshot (the
# snapshot loader and `diff`) joins once src/snapshot.h and src/diff.h do.
FUZZ_NAMES   := yaml catalog primer mustache adapter request url markdown view
ifneq ($(wildcard src/snapshot.h),)
ifneq ($(wildcard src/diff.h),)
FUZZ_NAMES   += snapshot
endif
endif
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
# Objects shared by every harness: keep them between builds.
.SECONDARY: $(FUZZ_OBJ)

# Longest input per harness: a page of an API's answer can be large (the
# recorded listings go up to 165 KB); catalog files and templates are small.
FUZZ_MAXLEN_yaml     := 65536
FUZZ_MAXLEN_catalog  := 65536
FUZZ_MAXLEN_primer   := 65536
FUZZ_MAXLEN_mustache := 32768
FUZZ_MAXLEN_adapter  := 262144
FUZZ_MAXLEN_request  := 4096
FUZZ_MAXLEN_url      := 4096
FUZZ_MAXLEN_markdown := 65536
FUZZ_MAXLEN_view     := 65536
FUZZ_MAXLEN_snapshot := 131072

FUZZ_OPTS = -timeout=10 -rss_limit_mb=2048 -max_len=$(FUZZ_MAXLEN_$*) \
	    -print_final_stats=1 -seed=$(FUZZ_SEED)
FUZZ_ENV  = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Run-time seeds from ../shared, when present, never copied into the
# repository (tests/fuzz/seeds.py): recorded API answers for the adapter
# harness and the Mustache spec's cases, into $(BUILD)/fuzz/seeds/NAME.
FUZZ_SHARED  ?= ../shared

.PHONY: fuzz fuzz-regress fuzz-build fuzz-seeds $(FUZZ_NAMES:%=fuzz-%)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/.deps: mk/fuzz.mk | $(BUILD)/.deps
	@mkdir -p $(@D)
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >$(@D)/probe.c
	@if ! $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(@D)/probe $(@D)/probe.c 2>/dev/null; then \
	  v=$$($(FUZZ_CC) -dumpversion 2>/dev/null | cut -d. -f1); \
	  pkg="clang libclang-rt-$${v:-14}-dev"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "stackmap: installing: $$pkg" >&2; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$pkg >/dev/null || \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$pkg >/dev/null; }; \
	    $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(@D)/probe $(@D)/probe.c || exit 1; \
	  else \
	    echo "stackmap: $(FUZZ_CC) cannot link -fsanitize=fuzzer. Run:" >&2; \
	    echo "  sudo apt-get install $$pkg" >&2; exit 1; \
	  fi; \
	fi
	@rm -f $(@D)/probe $(@D)/probe.c
	@touch $@

$(FUZZ_DIR)/obj/%.o: src/%.c $(wildcard src/*.h) VERSION | $(FUZZ_DIR)/.deps
	@mkdir -p $(@D)
	@echo "  CC (fuzz) $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h \
		tests/fuzz/fuzz_pages.h $(FUZZ_OBJ)
	@echo "  LD (fuzz) $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< \
	  $(FUZZ_OBJ) $(LIBS)

fuzz-seeds:
	@if command -v python3 >/dev/null; then \
	  python3 tests/fuzz/seeds.py runtime $(FUZZ_DIR)/seeds $(FUZZ_SHARED); \
	else mkdir -p $(FUZZ_DIR)/seeds/adapter $(FUZZ_DIR)/seeds/mustache; fi

# Every harness once over its seeds and regression inputs. libFuzzer runs
# each file given by name exactly once and fails on the first crash.
fuzz-regress: $(FUZZ_BINS) fuzz-seeds
	@fail=0; for n in $(FUZZ_NAMES); do \
	  files=$$(find tests/fuzz/corpus/$$n tests/fuzz/regress/$$n \
	    $(FUZZ_DIR)/seeds/$$n \
	    -type f 2>/dev/null | sort); \
	  [ -n "$$files" ] || { echo "fuzz-regress: $$n: no inputs"; fail=1; continue; }; \
	  count=$$(echo "$$files" | wc -l); \
	  if $(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$$n -runs=1 $$files \
	      >$(FUZZ_DIR)/regress-$$n.log 2>&1; then \
	    echo "fuzz-regress: $$n: $$count inputs ok"; \
	  else \
	    echo "FAIL fuzz-regress: $$n (see $(FUZZ_DIR)/regress-$$n.log)"; \
	    tail -n 40 $(FUZZ_DIR)/regress-$$n.log; fail=1; \
	  fi; \
	done; [ $$fail = 0 ]

# One bounded run of harness NAME; prints its executions. The work corpus
# comes first: libFuzzer writes the inputs it finds interesting there.
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_% fuzz-seeds
	@mkdir -p $(FUZZ_DIR)/work/$* $(FUZZ_DIR)/artifacts/$*
	@dirs=; for d in tests/fuzz/corpus/$* tests/fuzz/regress/$* \
	    $(FUZZ_DIR)/seeds/$*; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
	if $(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$* $(FUZZ_OPTS) \
	    $(FUZZ_BOUND) \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$*/ $(FUZZ_ARGS) \
	    $(FUZZ_DIR)/work/$* $$dirs >$(FUZZ_DIR)/fuzz-$*.log 2>&1; then \
	  echo "fuzz: $*: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/fuzz-$*.log | tail -n 1) executions $(FUZZ_SPENT), no finding"; \
	else \
	  echo "FAIL fuzz: $* after $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/fuzz-$*.log | tail -n 1) executions (log: $(FUZZ_DIR)/fuzz-$*.log; input in $(FUZZ_DIR)/artifacts/$*/)"; \
	  grep -m 1 -A 30 -E '^==[0-9]+==|runtime error|invariant failed|ERROR: libFuzzer' $(FUZZ_DIR)/fuzz-$*.log; \
	  exit 1; \
	fi

# Every harness in turn; fails at the end if any found something.
fuzz: $(FUZZ_BINS) fuzz-seeds
	@fail=0; for n in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory fuzz-$$n || fail=1; \
	done; [ $$fail = 0 ]
