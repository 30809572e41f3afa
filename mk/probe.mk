# Probe stage: the fixture HTTP server that tests/suite-probe.sh runs the
# probe against, and the probe benchmark (not part of check).

MHD_CFLAGS = $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS = $(shell pkg-config --libs libmicrohttpd 2>/dev/null) -lpthread
PROBE_TEST_TOOLS = $(BUILD)/tests/fixture_server

$(BUILD)/tests/fixture_server: tests/fixture/fixture_server.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MHD_CFLAGS) $(LDFLAGS) -o $@ $< $(MHD_LIBS)

check: $(PROBE_TEST_TOOLS)
valgrind: $(PROBE_TEST_TOOLS)

.PHONY: bench-probe
bench-probe: all $(PROBE_TEST_TOOLS)
	@STACKMAP=$(abspath $(BIN)) sh tests/fixture/bench-probe.sh $(BUILD)
