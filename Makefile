# Makefile: builds libpolicy (portable engine + compiler), libsupervisor (the Linux
# supervisor), policyctl, the tests, benchmarks and fuzz targets.  GNU make; see README.md for the targets.

BUILD	?= build
PREFIX	?= /usr/local
CC	?= cc
CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter
CSTD	:= -std=c11 -D_GNU_SOURCE
CPPFLAGS += -I. -Isys -Ilib/libpolicy -Ilib/libsupervisor -I$(BUILD)/gen
ifeq ($(SAN),1)
CFLAGS	:= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
endif
LDLIBS	:= -lyaml -lseccomp -lpthread

ENGINE_SRCS := $(wildcard sys/secmodel/policy/policy_*.c)
LIB_SRCS    := $(wildcard lib/libpolicy/*.c) $(wildcard lib/libsupervisor/*.c)
LEX_SRC     := lib/libpolicy/policy_cond_lex.l
YACC_SRC    := lib/libpolicy/policy_cond_parse.y
GEN_SRCS    := $(BUILD)/gen/policy_cond_lex.c $(BUILD)/gen/policy_cond_parse.c
CTL_SRCS    := $(wildcard usr.sbin/policyctl/*.c)
TEST_SRCS   := $(wildcard tests/unit/test_*.c)
TEST_HELPER_SRCS := $(filter-out $(TEST_SRCS),$(wildcard tests/unit/*.c))
BENCH_SRCS  := $(wildcard bench/bench_*.c)

LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(ENGINE_SRCS) $(LIB_SRCS)) \
	    $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))
CTL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CTL_SRCS))
TEST_HELPER_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_HELPER_SRCS))
TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
BENCHES  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
LIB      := $(BUILD)/libpolicy.a
POLICYCTL := $(BUILD)/policyctl

DEB_PKGS := build-essential libyaml-dev libcmocka-dev flex bison libseccomp-dev \
	    clang valgrind busybox-static python3 git curl strace hyperfine \
	    libmicrohttpd-dev chromium chromium-driver

# NetBSD kernel side: every kernel file compiled against the kit (kernel-check).
include tests/kernel/kernel.mk

.PHONY: all check asan bench fuzz deps install clean demo
.SECONDARY:

all: $(POLICYCTL) $(TESTS) $(BENCHES)

# Each generator writes two files in one run: grouped targets (GNU make 4.3),
# so that a parallel make runs it once, and remakes both if either is gone.
$(BUILD)/gen/policy_cond_parse.c $(BUILD)/gen/policy_cond_parse.h &: $(YACC_SRC)
	@mkdir -p $(dir $@)
	bison -Wall -Werror -o $(BUILD)/gen/policy_cond_parse.c --defines=$(BUILD)/gen/policy_cond_parse.h $<

$(BUILD)/gen/policy_cond_lex.c $(BUILD)/gen/policy_cond_lex.h &: $(LEX_SRC) $(BUILD)/gen/policy_cond_parse.h
	@mkdir -p $(dir $@)
	flex -o $(BUILD)/gen/policy_cond_lex.c --header-file=$(BUILD)/gen/policy_cond_lex.h $<

# Generated scanners are not written to our warning standard.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/gen/policy_cond_parse.h $(BUILD)/gen/policy_cond_lex.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CPPFLAGS) $(CFLAGS) -Wall -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter -c $< -o $@

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/policy_cond_parse.h $(BUILD)/gen/policy_cond_lex.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(POLICYCTL): $(CTL_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CTL_OBJS) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_HELPER_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_HELPER_OBJS) $(LIB) $(LDLIBS) -lcmocka

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lm

# Every cmocka program, then every shell test; stop at the first failure.
check: $(POLICYCTL) $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; POLICYCTL=$(abspath $(POLICYCTL)) $$t; done
	@set -e; for t in $(sort $(wildcard tests/sh/test_*.sh)); do echo "== $$t"; \
	    POLICYCTL=$(abspath $(POLICYCTL)) BUILD=$(abspath $(BUILD)) sh $$t; done
ifneq ($(SAN),1)
	@echo "== mutation test under ASan+UBSan"
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 build-asan/tests/test_mutation
	build-asan/tests/test_mutation
endif
	@$(MAKE) --no-print-directory toctou-check
	@$(MAKE) --no-print-directory kernel-check
	@$(MAKE) --no-print-directory rump-check
	@$(MAKE) --no-print-directory ltp-check
	@echo "make check: all tests passed"

asan:
	$(MAKE) BUILD=build-asan SAN=1 check

bench: $(POLICYCTL) $(BENCHES)
	@set -e; for b in $(BENCHES); do $$b; done
	@sh bench/callgrind.sh $(BUILD)/bench/bench_eval
	@sh bench/timesplit.sh $(BUILD) $${BENCH_QUICK:+10000}

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
# Seeds: tests/fuzz/corpus/<target> when there is one; the blob target's are
# compiled from share/policies, so that they always have the current format.
fuzz: $(GEN_SRCS) $(POLICYCTL)
	@mkdir -p $(BUILD)/fuzz/corpus-fuzz_blob
	@set -e; for y in share/policies/*.yaml; do $(POLICYCTL) compile $$y \
	    -o $(BUILD)/fuzz/corpus-fuzz_blob/$$(basename $$y .yaml).blob; done
	@set -e; for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
	    echo "clang $$n"; clang $(CSTD) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Wno-unused-function -o $(BUILD)/fuzz/$$n $$f $(ENGINE_SRCS) $(LIB_SRCS) $(GEN_SRCS) $(LDLIBS); \
	    mkdir -p $(BUILD)/fuzz/corpus-$$n; seeds=; \
	    if [ -d tests/fuzz/corpus/$$n ]; then seeds=tests/fuzz/corpus/$$n; fi; \
	    rm -f $(BUILD)/fuzz/$$n-crash-* $(BUILD)/fuzz/$$n-leak-* \
	        $(BUILD)/fuzz/$$n-timeout-* $(BUILD)/fuzz/$$n-oom-*; \
	    $(BUILD)/fuzz/$$n -max_total_time=$${FUZZ_TIME:-20} -seed=1 \
	    -artifact_prefix=$(BUILD)/fuzz/$$n- $(BUILD)/fuzz/corpus-$$n $$seeds 2>&1 | tail -3; \
	    for a in $(BUILD)/fuzz/$$n-crash-* $(BUILD)/fuzz/$$n-leak-* \
	        $(BUILD)/fuzz/$$n-timeout-* $(BUILD)/fuzz/$$n-oom-*; do \
	        if [ -e "$$a" ]; then echo "fuzz: $$n: finding in $$a"; exit 1; fi; done; done

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	else echo "make deps: all build dependencies are installed"; fi

install: $(POLICYCTL)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man4 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/share/policy
	install -m 755 $(POLICYCTL) $(DESTDIR)$(PREFIX)/sbin/policyctl
	install -m 644 usr.sbin/policyctl/policyctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 lib/libpolicy/policy.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 share/policies/*.yaml $(DESTDIR)$(PREFIX)/share/policy/

# The main job: a real program confined, with a permit and denials shown.
demo: $(POLICYCTL)
	@POLICYCTL=$(abspath $(POLICYCTL)) sh tests/demo/demo.sh

clean:
	rm -rf build build-asan

# The race suite (tests/toctou): `make toctou`, run by `make check`.
include tests/toctou/toctou.mk

# The NetBSD side booted in a rump kernel: `make rump-check`, run by `make check`.
include tests/rump/rump.mk

# The LTP system-call tests, natively and confined: `make ltp`, run by `make check`
# (`make ltp-check`: one skip line without ../shared/ltp).
include tests/ltp/ltp.mk

# --- policyd (issue 6): the alarm daemon (libmicrohttpd for its metrics), and
# the peer helper its tests use; `make install` installs it too.
PD_SRCS  := $(wildcard usr.sbin/policyd/*.c)
PD_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(PD_SRCS)) \
	    $(BUILD)/obj/gen/policyd_console_files.o
# The web console's files (--console), built into policyd by a generated C file.
PD_ASSETS := $(sort $(wildcard usr.sbin/policyd/console/*.html usr.sbin/policyd/console/*.css \
	    usr.sbin/policyd/console/*.js))
$(BUILD)/gen/policyd_console_files.c: $(PD_ASSETS) usr.sbin/policyd/console/embed.sh
	@mkdir -p $(dir $@)
	sh usr.sbin/policyd/console/embed.sh $@ $(PD_ASSETS)
$(BUILD)/obj/gen/policyd_console_files.o: CPPFLAGS += -Iusr.sbin/policyd
POLICYD  := $(BUILD)/policyd
PD_PEER  := $(BUILD)/helpers/policyd_peer
all check: $(POLICYD) $(PD_PEER)
install: install-policyd
.PHONY: install-policyd
$(POLICYD): $(PD_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(PD_OBJS) $(LIB) $(LDLIBS) -lmicrohttpd
$(PD_PEER): $(BUILD)/obj/tests/helpers/policyd_peer.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)
install-policyd: $(POLICYD)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/systemd/user
	install -m 755 $(POLICYD) $(DESTDIR)$(PREFIX)/sbin/policyd
	install -m 644 usr.sbin/policyd/policyd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 usr.sbin/policyd/policyd.service $(DESTDIR)$(PREFIX)/lib/systemd/system/
	install -m 644 usr.sbin/policyd/policyd-user.service \
	    $(DESTDIR)$(PREFIX)/lib/systemd/user/policyd.service

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
