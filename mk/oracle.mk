# Adapter oracle: tests/listing_dump prints what an adapter parses from a
# recorded response; tests/suite-adapter-oracle.sh compares it with the
# listing tests/adapter_oracle.py computes on its own.

ORACLE_TEST_TOOLS = $(BUILD)/tests/listing_dump

check: $(ORACLE_TEST_TOOLS)
