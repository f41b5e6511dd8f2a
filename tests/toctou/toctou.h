/* toctou.h: what every race attack shares: the command line (policy, setup, run), the
 * result line the harness reads, racing threads, and small file and path helpers. */
#ifndef TOCTOU_H
#define TOCTOU_H

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit codes of the probe programs the exec attacks run. */
#define PROBE_BAD	42	/* the denied image (or argv) ran: the attack won */
#define PROBE_OK	43	/* the permitted image ran */

/* The contents of the permitted and the denied file of the open attacks. */
#define SECRET_TEXT	"SECRET-BYTES"
#define PUBLIC_TEXT	"public-bytes"

/* What one run of an attack observed.  A "win" is an attempt in which the
 * denied effect observably happened. */
struct atk_result {
	long		attempts;
	long		wins;		/* denied effect happened */
	long		denied;		/* the call failed with the policy's errno */
	long		ok;		/* the permitted effect happened */
	long		caught;		/* landed, and the monitor killed it */
	long		other;		/* anything else (torn value, ENOENT...) */
	const char	*mode;		/* how the attack was carried out */
};

/*
 * One attack class.  policy() prints the class's rules (atk_main() prints
 * the header, with "default: permit"), setup() makes the fixtures in dir
 * outside confinement, run() makes n attempts inside it.
 */
struct atk_class {
	const char	*name;
	void		(*policy)(const char *dir, FILE *out);
	void		(*setup)(const char *dir);
	void		(*run)(const char *dir, long n, struct atk_result *r);
};

/* "PROG policy|setup|run CLASS DIR [N]"; returns the exit status.  CLASS
 * may end in "+fast": the same attack under a policy that puts every call
 * the kernel filter can decide there (atk_fast is then 1; see toctou.c). */
int	atk_main(int argc, char **argv, const struct atk_class *, size_t);
extern int atk_fast;

/* The fast variant's route for an open attack: attempt i opens path
 * O_RDONLY when atk_fast is 0 or i is even; when odd, opens it O_PATH
 * (decided in the kernel filter) and then reopens /proc/self/fd/N for
 * reading (decided by the supervisor on the object).  Returns the fd
 * read from, or -1 with errno. */
int	open_route(int dirfd, const char *path, long i);
/* The same with these open flags (O_RDONLY, O_WRONLY...) instead. */
int	open_route_flags(int dirfd, const char *path, long i, int flags);

/* Print a message and exit 2 (the harness then reports the class failed). */
void	die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* dir + "/" + name into buf (PATH_MAX). */
char	*pjoin(char *buf, const char *dir, const char *name);
/* Write a whole file (replacing it); dies on error. */
void	put_file(const char *path, const char *text, mode_t mode);
/* Copy a file (a new inode); dies on error. */
void	copy_file(const char *from, const char *to, mode_t mode);
void	make_dir(const char *path);
/* The first bytes of an open file, NUL-terminated; -1 on error. */
int	read_fd(int fd, char *buf, size_t cap);
/* Count one open attempt: true (counted as denied, EACCES, or other) when
 * fd is -1, errno intact; false when it opened, for the caller to score. */
bool	score_refused(struct atk_result *r, int fd);
/* Count one open attempt of the public-or-secret file: fd is what the open
 * returned (errno intact when -1), classified by what it reads; closed. */
void	score_open(struct atk_result *r, int fd);
/* The directory holding this program (to find the probes). */
void	self_dir(char *buf);
/* The resolved path of this program, for exec rules. */
void	self_path(char *buf);

/* Placement of a racer (the calling thread) and the attacking thread
 * (attacker) on the CPUs, rotated by place_step(); see toctou.c. */
struct place {
	pid_t		attacker;	/* 0: nothing to place */
	cpu_set_t	all;
	double		next;
	unsigned	phase;
};
void	place_init(struct place *, pid_t attacker);
void	place_step(struct place *);

/* A racing thread that calls fn(arg, 0), fn(arg, 1), fn(arg, 0)... until
 * stopped, placed against the thread that started it.  Writers of shared
 * memory must use flip_bytes() (not memcpy), so that the compiler keeps
 * every store. */
struct flipper {
	void		(*fn)(void *, unsigned);
	void		*arg;
	atomic_int	stop;
	pthread_t	th;
	unsigned long	flips;
	struct place	place;
};
void	flip_start(struct flipper *, void (*)(void *, unsigned), void *);
/* The same, left where the scheduler puts it when placed is 0. */
void	flip_start_placed(struct flipper *, void (*)(void *, unsigned), void *,
	    int placed);
void	flip_stop(struct flipper *);
void	flip_bytes(volatile void *dst, const void *src, size_t len);

/* Two values of a memory argument, swapped by flip_mem(). */
struct memflip {
	volatile char	*dst;
	const void	*val[2];	/* [0] permitted, [1] denied */
	size_t		len;
};
void	flip_mem(void *memflip, unsigned phase);

/*
 * One exec attempt: fork, run child(arg) in the child (it starts its racer
 * and execs), and classify how the child ended: exit PROBE_BAD is a win,
 * PROBE_OK the permitted image, EACCES from the exec a denial, SIGKILL
 * the monitor killing an exec it caught.
 */
void	exec_attempt(void (*child)(void *), void *arg, struct atk_result *r);

/* Seconds since an arbitrary point. */
double	now(void);

#endif /* TOCTOU_H */
