# tests/ltp/ltp.mk: the Linux Test Project's system-call tests run natively and under policyctl,
# outcomes compared test by test (tests/ltp/README.md); `make ltp`, and `make ltp-check` for `make check`.

# The LTP build, used in place (never copied here): syscalls.runtest and bin/.
LTP		?= ../shared/ltp
LTP_OUT		:= $(BUILD)/ltp
LTP_TEST	:= $(LTP_OUT)/test_ltp
# More arguments for tests/ltp/ltp-compare, e.g. LTP_ARGS="-v open01 chroot01"
LTP_ARGS	?=
# The policyctl under test: this tree's, built first; LTP_POLICYCTL=path
# runs another build as it is (make does not try to remake it).
LTP_POLICYCTL	?= $(POLICYCTL)

.PHONY: ltp ltp-check

$(LTP_TEST): tests/ltp/test_ltp.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) -o $@ $< -lcmocka

# Prints a summary line per pass and cmocka's verdict; fails on any
# unexpected difference or stale expectation.
ltp: $(LTP_TEST) $(filter $(POLICYCTL),$(LTP_POLICYCTL))
	@LTP_COMPARE=tests/ltp/ltp-compare LTP=$(LTP) POLICYCTL=$(abspath $(LTP_POLICYCTL)) \
	    LTP_OUT=$(LTP_OUT) LTP_ARGS="$(LTP_ARGS)" $(LTP_TEST)

# The hook `make check` calls: one line and success when there is nothing to run.
ltp-check:
ifeq ($(SAN),1)
	@echo "ltp-check: skipped in the sanitizer build"
else
	@if [ ! -f $(LTP)/syscalls.runtest ]; then \
	    echo "ltp-check: skipped: no LTP tests at $(LTP)/syscalls.runtest (set LTP to their directory)"; \
	elif [ "$$(id -u)" != 0 ]; then \
	    echo "ltp-check: skipped: the LTP tests at $(LTP) need root"; \
	else $(MAKE) --no-print-directory ltp; fi
endif
