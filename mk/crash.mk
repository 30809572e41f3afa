# Crash-safety stage: tests/crash/killat, the helper with which
# tests/suite-crash.sh kills stackmap build and probe at stepped delays.
CRASH_TEST_TOOLS = $(BUILD)/tests/killat

$(BUILD)/tests/killat: tests/crash/killat.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

check: $(CRASH_TEST_TOOLS)
valgrind: $(CRASH_TEST_TOOLS)
