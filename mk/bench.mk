# Benchmarks (tests/bench/README.md). Not part of `make check`:
#   make bench          the full S/M/L benchmark, vs Hugo and the write floor;
#                       prints a table and writes tests/bench/RESULTS.md
#   make bench-smoke    quick: generate S, check it validates clean and builds
#   make bench-profile  callgrind on an M build and an L validate;
#                       writes tests/bench/PROFILE.md
# BENCH_ARGS passes options to tests/bench/bench.py, e.g.
#   make bench BENCH_ARGS="--sizes S,M --runs 7 --hugo-runs-l 3"

BENCH_FLOOR := $(BUILD)/bench/floor
BENCH_ARGS  ?=

.PHONY: bench bench-smoke bench-profile

$(BENCH_FLOOR): tests/bench/floor.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

bench: all $(BENCH_FLOOR)
	python3 tests/bench/bench.py --stackmap $(abspath $(BIN)) \
	  --floor $(abspath $(BENCH_FLOOR)) $(BENCH_ARGS)

bench-smoke: all
	@sh tests/bench/smoke.sh $(abspath $(BIN))

bench-profile: all
	sh tests/bench/profile.sh $(abspath $(BIN))
