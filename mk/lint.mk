# make lint: static analysis and formatting, with no findings allowed.
#   cppcheck     warnings, performance and portability (.cppcheck-suppressions
#                names each false positive and why)
#   clang-tidy   the checks in .clang-tidy, warnings as errors
#   clang-format the committed .clang-format, checked, never applied
#   -Werror      every source and unit test compiled by gcc and by clang
#                with the build's flags (-Wall -Wextra ..., _FORTIFY_SOURCE,
#                -fstack-protector-strong) plus -Werror
# make format applies clang-format.

LINT_C := $(sort $(wildcard src/*.c src/*.h tests/*.c tests/fixture/*.c))
TIDY_FLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-DSTACKMAP_VERSION=\"$(VERSION)\" -Isrc \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)

.PHONY: lint lint-cppcheck lint-tidy lint-format lint-werror format

lint: lint-cppcheck lint-tidy lint-format lint-werror

lint-cppcheck: $(BUILD)/.deps-check
	cppcheck --quiet --enable=warning,performance,portability --std=c11 \
	  --inline-suppr --suppressions-list=.cppcheck-suppressions \
	  --error-exitcode=1 -Isrc -DSTACKMAP_VERSION='"$(VERSION)"' src/

# clang-tidy finds its flags in compile_flags.txt (generated, one a line)
compile_flags.txt: Makefile mk/lint.mk VERSION
	@printf '%s\n' $(TIDY_FLAGS) >$@

lint-tidy: $(BUILD)/.deps-check compile_flags.txt
	@printf '%s\n' $(filter %.c,$(wildcard src/*.c)) | \
	  xargs -P 2 -n 4 sh -c 'clang-tidy --quiet "$$@" 2>/dev/null || \
	  exit 255' sh
	@echo "clang-tidy: no findings"

WERROR_SRC := $(sort $(wildcard src/*.c tests/test_*.c tests/crash/*.c))
WERROR_OK  := $(foreach cc,gcc clang,$(WERROR_SRC:%.c=$(BUILD)/werror/$(cc)/%.ok))
$(BUILD)/werror/gcc/%.ok: %.c $(wildcard src/*.h) | $(BUILD)/.deps-check
	@mkdir -p $(dir $@)
	@gcc $(ALL_CFLAGS) -Isrc -Werror -c -o /dev/null $< && touch $@
$(BUILD)/werror/clang/%.ok: %.c $(wildcard src/*.h) | $(BUILD)/.deps-check
	@mkdir -p $(dir $@)
	@clang $(ALL_CFLAGS) -Isrc -Werror -c -o /dev/null $< && touch $@
lint-werror: $(WERROR_OK)
	@echo "gcc and clang -Werror: $(words $(WERROR_SRC)) files each, no warnings"

lint-format:
	clang-format --dry-run --Werror $(LINT_C)
	@echo "clang-format: all files formatted"

format:
	clang-format -i $(LINT_C)
