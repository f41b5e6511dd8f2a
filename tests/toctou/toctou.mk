# toctou.mk: builds and runs the race suite of tests/toctou (included by the top Makefile).
# `make toctou N=100000 [TOCTOU_ARGS="-m 20000 -M"]` for a long run; `make check` runs it.

TOCTOU_OUT	:= $(BUILD)/toctou
TOCTOU_ATKS	:= $(patsubst tests/toctou/%.c,$(TOCTOU_OUT)/%,$(wildcard tests/toctou/atk_*.c))
TOCTOU_BINS	:= $(TOCTOU_ATKS) $(TOCTOU_OUT)/naive_monitor $(TOCTOU_OUT)/fastpath \
		   $(TOCTOU_OUT)/probe_ok $(TOCTOU_OUT)/probe_bad $(TOCTOU_OUT)/probe_interp
TOCTOU_CFLAGS	:= -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror
TOCTOU_PROBE	:= -std=c11 -O2 -Wall -Wextra -Werror -static -nostdlib -ffreestanding \
		   -fno-stack-protector -fno-pie -no-pie
# Attempts per class in `make check`: sized so the suite takes about five
# minutes on a loaded two-core machine (see tests/toctou/RESULTS.md).
TOCTOU_CHECK_N	?= 2000
N		?= $(TOCTOU_CHECK_N)
TOCTOU_ARGS	?=

.PHONY: toctou toctou-bins toctou-check

toctou-bins: $(TOCTOU_BINS) $(POLICYCTL)

toctou: toctou-bins
	tests/toctou/run -b $(BUILD) -n $(N) $(TOCTOU_ARGS)

# The hook `make check` calls (the suite runs against the normal build only).
toctou-check:
ifeq ($(SAN),1)
	@echo "== tests/toctou: skipped in the sanitizer build"
else
	@$(MAKE) --no-print-directory toctou N=$(TOCTOU_CHECK_N)
endif

$(TOCTOU_OUT)/atk_%: tests/toctou/atk_%.c tests/toctou/toctou.c tests/toctou/toctou.h
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_CFLAGS) -o $@ $< tests/toctou/toctou.c -lpthread

$(TOCTOU_OUT)/naive_monitor: tests/toctou/naive_monitor.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_CFLAGS) $(CPPFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(TOCTOU_OUT)/fastpath: tests/toctou/fastpath.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_CFLAGS) $(CPPFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(TOCTOU_OUT)/probe_ok: tests/toctou/probe.c
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_PROBE) -DPROBE_CODE=43 -o $@ $<

$(TOCTOU_OUT)/probe_bad: tests/toctou/probe.c
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_PROBE) -DPROBE_CODE=42 -o $@ $<

$(TOCTOU_OUT)/probe_interp: tests/toctou/probe.c
	@mkdir -p $(dir $@)
	$(CC) $(TOCTOU_PROBE) -DPROBE_INTERP -o $@ $<
