/* rt.h: helpers the rump tests share: booting the rump kernel with the policy module built in,
 * tmpfs, processes, policies compiled with libpolicy and loaded through /dev/policy. */
#ifndef _RT_H_
#define _RT_H_

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include "../../sys/sys/policy.h"

#ifndef __arraycount
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* NetBSD's ioctl encoding (the rump kernel's, not the host's). */
#define RT_IOC(inout, g, n, len) \
	((unsigned long)(inout) | (((unsigned long)(len) & 0x1fff) << 16) | \
	((unsigned long)(g) << 8) | (unsigned long)(n))
#define RT_IOW(g, n, t)		RT_IOC(0x80000000UL, g, n, sizeof(t))
#define RT_IO(g, n)		RT_IOC(0x20000000UL, g, n, 0)
#define RT_IOC_LOAD		RT_IOW('P', 1, struct policy_load)
#define RT_IOC_ANSWER		RT_IOW('P', 2, struct policy_answer)
#define RT_IOC_UNLOAD		RT_IO('P', 3)

/* NetBSD constants the host headers spell differently. */
#define RT_AT_FDCWD		(-100)
#define RT_AT_SYMLINK_NOFOLLOW	0x200
#define RT_AT_SYMLINK_FOLLOW	0x400
#define RT_AT_REMOVEDIR		0x800
#define RT_S_IFIFO		0010000
#define RT_S_IFDIR		0040000
#define RT_S_IFREG		0100000
#define RT_S_IFLNK		0120000
#define RT_S_IFMT		0170000
#define RT_MODCTL_LOAD		0
#define RT_MODCTL_UNLOAD	1

/* NetBSD's struct stat (amd64), what rump_sys_stat() and friends fill in. */
struct rt_stat {
	uint64_t	st_dev;
	uint32_t	st_mode;
	uint64_t	st_ino;
	uint32_t	st_nlink;
	uint32_t	st_uid;
	uint32_t	st_gid;
	uint64_t	st_rdev;
	int64_t		st_times[8];	/* atim, mtim, ctim, birthtim */
	int64_t		st_size;
	int64_t		st_blocks;
	uint32_t	st_blksize;
	uint32_t	st_flags;
	uint32_t	st_gen;
	uint32_t	st_spare[2];
};
/* stat (follow) or lstat of path into *st; the rump call's return value. */
int	rt_stat(const char *path, bool follow, struct rt_stat *st);

/* The tmpfs every test works in, mounted at RT_T. */
#define RT_T			"/t"

/* Boots once (signals recorded, not raised), makes /dev/policy, mounts RT_T. */
void	rt_boot(void);
/* A clean RT_T for the next test: unmounted and mounted again. */
void	rt_fresh(void);
/*
 * The unconfined native process the main thread works as (rt_boot makes
 * it): rt_admin() makes it current.  rt_proc() forks a new process from it
 * (no descriptors) for the calling thread, rt_proc_exit() ends the current
 * one and goes back to the admin.
 */
extern struct lwp *rt_admin_lwp;
void	rt_admin(void);
struct lwp *rt_proc(void);
struct lwp *rt_proc_linux(void);	/* under rump's Linux emulation */
extern int rump_i_know_what_i_am_doing_with_sysents;
void	rt_proc_exit(void);
/* Compile YAML rules (under a default deny header unless it has its own). */
void	*rt_blob(const char *yaml, size_t *sizep);
/* Confine the current rump process; returns 0 or the errno of the load. */
int	rt_confine(const char *yaml);
int	rt_load_blob(const void *blob, size_t size);
/* Files to work on: rt_mkfile(path, text), rt_read(path) (static buffer, "" if none). */
void	rt_mkfile(const char *path, const char *text);
const char *rt_read(const char *path);
/* The errno of the last rump call (host numbering) when it returned -1. */
int	rt_err(int rv);
void	rt_pin(int which);	/* CPU 0 or 1 of the process's, -1: all */
/* Assert a rump call failed with e, or succeeded. */
#define rt_fails(call, e)	assert_int_equal(rt_err(call), (e))
#define rt_works(call)		assert_true((call) >= 0)

/* Kernel-side hooks (rk_kernel.c). */
void	rump_policytest_names(void);
int	rump_policytest_major(void);
const char *rump_policytest_emul(void);
int	rump_policytest_modcmd(int init);
void	rump_policytest_counts(unsigned *live, size_t *bytes,
	    uint64_t *decided, uint64_t *refused);

/* The control monitor of test_rrace.c (rk_race.c): decides with the engine on a copy of the
 * argument, then the kernel's own handler reads the argument (or looks the path up) again. */
#define RT_RACE_USER		0	/* decide on the copy, open the user's pointer */
#define RT_RACE_LEXICAL		1	/* decide on the copy made absolute, open the copy */
#define RT_RACE_RESOLVE		2	/* decide on what a lookup finds, open the copy */
int	rump_policyrace_open(int how, int fdat, const char *path, int flags,
	    int *fdp);
#define RT_RACE_CONNECT		0	/* rump_policyrace_sock()'s calls */
#define RT_RACE_SENDTO		1
#define RT_RACE_BIND		2
int	rump_policyrace_sock(int op, int s, const void *sa, unsigned salen,
	    const void *buf, size_t len);
int	rump_policyrace_unlink(const char *path);
int	rump_policyrace_rename(const char *from, const char *to);
unsigned rump_policyrace_vnodes(void);	/* vnodes the kernel holds now */

/* test_rdev.c's and test_rnet.c's hooks (rk_kernel.c): the ask timeout
 * (ms > 0 sets it; the old one back), a signal that interrupts a process's
 * sleeping lwps (how many), and the file cache drained on every CPU. */
int	rump_policytest_ask_timeout(int ms);
int	rump_policytest_signal(int pid, int sig);
void	rump_policytest_drain(void);
/* test_rswap.c (rk_swap.c): the file ids of the process's working directory
 * and root; with reset, both set back to the system's root. */
void	rump_policytest_dirs(uint64_t *cwd, uint64_t *root, int reset);
/* test_rexec.c (rk_exec.c): where exec puts the new image's ps_strings
 * (sys_execve into the native table's slot: 0, or EBUSY); the next images
 * 32-bit ones (PK_32, ps_strings32) or not; fn called by the
 * next exec before it reads its arguments; SIGKILL pending on pid (<= 0:
 * the caller; -1: no such process); the caller's image's file id (0: none)
 * and ps_strings, released as exit does; the references on path's vnode;
 * log(9) to the message buffer only (open) or the console too: the old. */
int	rump_policytest_exec_area(void *base, size_t len);
void	rump_policytest_exec_32(int on);
void	rump_policytest_exec_tamper(void (*fn)(void));
int	rump_policytest_killed(int pid);
uint64_t rump_policytest_exec_image(void **psstrp, int release);
int	rump_policytest_usecount(const char *path);
int	rump_policytest_klog(int open);
/* test_rcompat.c (rk_compat.c): the calling, unconfined process onto a
 * stand-in 32-bit emulation; ioctl, read-then-close and get{sock,peer}name
 * of its descriptors for a process whose tables have none of them. */
#define RT_EMUL_NETBSD32	0
#define RT_EMUL_LINUX32		1
int	rump_policytest_emul32(int which);
int	rump_policytest_ioctl(int fd, unsigned long cmd, void *data);
ssize_t	rump_policytest_fdread(int fd, void *buf, size_t len);	/* -errno */
int	rump_policytest_sockname(int fd, int peer, void *sa, size_t len);

#endif /* !_RT_H_ */
