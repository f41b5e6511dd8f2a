# tests/rump/rump.mk: the NetBSD side in a real NetBSD kernel: the kernel files compiled unchanged
# with the rump kit's rumpkern-cc, linked with its rump kernel, booted by cmocka tests.

RUMPKIT   ?= ../shared/netbsd-rump
RUMPVIEW  := $(BUILD)/rump/kit
RUMPCC    := $(RUMPVIEW)/bin/rumpkern-cc
# Kernel headers warn of their own casts; our files are held to the rest.
RUMP_KFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	       -Wno-cast-function-type -Wno-missing-field-initializers \
	       -Isys/kern -Isys/secmodel/policy -idirafter sys -DCOMPAT_LINUX \
	       -DCOMPAT_NETBSD32 -DCOMPAT_LINUX32
# Every kernel file of the policy; the kit has no netbsd32 or linux32, whose wrappers run
# under the stand-in emulations of rk_compat.c.
RUMP_KSRCS := sys/kern/sys_policy.c sys/kern/sys_policy_class.c sys/kern/sys_policy_gate.c \
	      sys/kern/sys_policy_native.c sys/kern/sys_policy_req.c sys/kern/sys_policy_vfs.c \
	      sys/kern/sys_policy_xattr.c \
	      sys/kern/sys_policy_linux.c sys/kern/sys_policy_netbsd32.c \
	      sys/kern/sys_policy_linux32.c $(wildcard sys/secmodel/policy/*.c) \
	      tests/rump/rk_kernel.c tests/rump/rk_race.c tests/rump/rk_swap.c \
	      tests/rump/rk_compat.c tests/rump/rk_exec.c
RUMP_KOBJS := $(patsubst %.c,$(BUILD)/rump/kobj/%.o,$(RUMP_KSRCS))
RUMP_TSRCS := $(wildcard tests/rump/test_*.c)
RUMP_TESTS := $(patsubst tests/rump/%.c,$(BUILD)/rump/%,$(RUMP_TSRCS))
RUMP_LIBS  := rumpkern_sys_linux rumpnet_local rumpnet_netinet rumpnet_net rumpnet \
	      rumpfs_tmpfs rumpvfs rump rumpuser
RUMP_LDLIBS = -Wl,-rpath,$(abspath $(RUMPVIEW)/lib) -Wl,--no-as-needed \
	      $(foreach l,$(RUMP_LIBS),$(RUMPVIEW)/lib/lib$(l).so.0) -lpthread -ldl

.PHONY: rump-check rump-kit
# The kit is looked for once per make; without one, rump-check says so and passes.
$(BUILD)/rump/kit.ok: tests/rump/rump-kit.sh
	@mkdir -p $(BUILD)/rump
	@sh tests/rump/rump-kit.sh $(RUMPKIT) $(RUMPVIEW) > $@.tmp; rc=$$?; \
	    if [ $$rc = 0 ]; then mv $@.tmp $@; else cat $@.tmp; rm -f $@.tmp; exit $$rc; fi

$(BUILD)/rump/kobj/%.o: %.c tests/rump/rump.mk $(BUILD)/rump/kit.ok
	@mkdir -p $(dir $@)
	$(RUMPCC) $(RUMP_KFLAGS) -o $@ $<

$(BUILD)/rump/obj/%.o: tests/rump/%.c $(BUILD)/rump/kit.ok
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CPPFLAGS) $(CFLAGS) $(WARN) -I$(RUMPVIEW)/include -c $< -o $@

$(BUILD)/rump/test_%: $(BUILD)/rump/obj/test_%.o $(BUILD)/rump/obj/rt.o $(RUMP_KOBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/rump/obj/rt.o $(RUMP_KOBJS) $(LIB) $(LDLIBS) \
	    -lcmocka $(RUMP_LDLIBS)

# Under SAN=1 only the host side is instrumented; the rump kernel is never halted and keeps
# what its host threads allocated (rumpuser's mutexes, condvars) to the end: no leak check.
rump-check: $(LIB)
	@msg=$$(sh tests/rump/rump-kit.sh $(RUMPKIT) $(BUILD)/rump/kit.probe); rc=$$?; \
	if [ $$rc = 3 ]; then echo "rump-check: $$msg"; exit 0; fi; \
	if [ $$rc != 0 ]; then echo "rump-check: $$msg"; exit 1; fi; \
	$(MAKE) --no-print-directory rump-tests || exit 1; \
	for t in $(RUMP_TESTS); do echo "== $$t"; \
	    ASAN_OPTIONS=$${ASAN_OPTIONS:+$$ASAN_OPTIONS:}detect_leaks=0 $$t || exit 1; done

.PHONY: rump-tests
rump-tests: $(RUMP_TESTS)
