# tests/kernel/kernel.mk: `make kernel-check`: every NetBSD kernel file of the policy compiled
# with all its emulations on against real NetBSD kernel headers (the rump kit's).

# Included before the main rules: keep `all` the default goal.
.DEFAULT_GOAL := all

KCHECK_SRCS := $(wildcard sys/kern/sys_policy*.c) $(wildcard sys/secmodel/policy/*.c)
.PHONY: kernel-check
kernel-check:
	@RUMPKIT="$(RUMPKIT)" BUILD="$(BUILD)" sh tests/kernel/kernel-check.sh $(KCHECK_SRCS)
