/* policy_os.h: the only place the portable engine meets its host; maps the few
 * kernel or libc facilities it uses (headers, allocation, logging) for NetBSD and userland. */
/*
 * Kernels: NetBSD 7.99.x (the 2016 sources of the rump kernel the tests boot)
 * and later.  Where their interfaces differ, the difference is mapped here,
 * not in the code: preempt_point(9) appeared after 2016, so a long
 * validation offers the CPU with the test it stands for (the scheduler's
 * SPCF_SHOULDYIELD request, then preempt(9)), which every one of them has.
 */
#ifndef _SECMODEL_POLICY_OS_H_
#define _SECMODEL_POLICY_OS_H_

#if defined(_KERNEL)
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/cpu.h>
#include <sys/sched.h>
#include <sys/signal.h>
#include <lib/libkern/libkern.h>
#define policy_os_zalloc(sz)	kmem_zalloc((sz), KM_SLEEP)
#define policy_os_free(p, sz)	kmem_free((p), (sz))
#define policy_os_log(...)	printf(__VA_ARGS__)
#define policy_os_yield()	do {					\
	if (curcpu()->ci_schedstate.spc_flags & SPCF_SHOULDYIELD)	\
		preempt();						\
} while (0)	/* in long validations */
#else
#include <sys/types.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define policy_os_zalloc(sz)	calloc(1, (sz))
#define policy_os_free(p, sz)	((void)(sz), free(p))
#define policy_os_log(...)	fprintf(stderr, __VA_ARGS__)
#define policy_os_yield()	((void)0)
#endif

/* A hint that *p will be read soon (GCC and Clang, kernel and userland). */
#define policy_os_prefetch(p)	__builtin_prefetch((p))

#ifndef __arraycount
#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* !_SECMODEL_POLICY_OS_H_ */
