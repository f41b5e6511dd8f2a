/* kh_user.c: harness "user memory": a separate mapping at its own addresses, copied in only
 * through copyin/copyinstr (which count reads and honour faults), rewritten by racer threads. */
#include <sys/mman.h>
#include <sched.h>

#include "kh.h"

static uint8_t *kh_umem;
static size_t kh_ubrk;
#define KH_NFAULT	8
static struct { uintptr_t u; size_t n; } kh_faults[KH_NFAULT];
static unsigned kh_nfaults;
#define KH_NLOG		4096
static struct { uintptr_t u; size_t n; } kh_log_reads[KH_NLOG];
static unsigned kh_nlog;

static void
kh_umap(void)
{
	if (kh_umem != NULL)
		return;
	kh_umem = mmap(NULL, KH_USIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (kh_umem == MAP_FAILED)
		kh_panic("mmap user memory", __FILE__, __LINE__);
}

void
kh_user_reset(void)
{
	kh_umap();
	memset(kh_umem, 0, kh_ubrk);
	kh_ubrk = 0;
	kh_nfaults = 0;
	kh_nlog = 0;
}

uintptr_t
kh_ualloc(size_t n)
{
	uintptr_t u;

	kh_umap();
	n = (n + 15) & ~(size_t)15;
	if (kh_ubrk + n + 16 > KH_USIZE)
		kh_panic("user memory exhausted", __FILE__, __LINE__);
	kh_ubrk += 16;		/* a gap: overruns hit unallocated bytes */
	u = KH_UBASE + kh_ubrk;
	kh_ubrk += n;
	return u;
}

static uint8_t *
kh_host(uintptr_t u)
{
	return kh_umem + (u - KH_UBASE);
}

void
kh_uwrite(uintptr_t u, const void *p, size_t n)
{
	const uint8_t *s = p;
	uint8_t *d = kh_host(u);
	size_t i;

	for (i = 0; i < n; i++)
		__atomic_store_n(&d[i], s[i], __ATOMIC_RELAXED);
}

void
kh_uread(uintptr_t u, void *p, size_t n)
{
	uint8_t *d = p;
	const uint8_t *s = kh_host(u);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

uintptr_t
kh_ustr(const char *s)
{
	size_t n = strlen(s) + 1;
	uintptr_t u = kh_ualloc(n);

	kh_uwrite(u, s, n);
	return u;
}

void
kh_ufault(uintptr_t u, size_t n)
{
	if (kh_nfaults < KH_NFAULT) {
		kh_faults[kh_nfaults].u = u;
		kh_faults[kh_nfaults].n = n;
		kh_nfaults++;
	}
}

static bool
kh_uok(uintptr_t u, size_t n)
{
	unsigned i;

	if (u < KH_UBASE || n > kh_ubrk || u - KH_UBASE > kh_ubrk - n)
		return false;
	for (i = 0; i < kh_nfaults; i++)
		if (u < kh_faults[i].u + kh_faults[i].n &&
		    kh_faults[i].u < u + n)
			return false;
	return true;
}

struct kh_racer {
	pthread_t	t;
	uintptr_t	u;
	uint8_t		v[2][512];
	size_t		n;
	volatile int	stop;
	unsigned long	flips;
	unsigned	ilv_k;		/* interleaving: the value written last */
	unsigned long	ilv_flips;
};
static struct kh_racer *kh_ilv;

/*
 * The adversary at its strongest, whatever the scheduler does: right after
 * any copy-in that read the raced bytes, they change (the racing thread
 * keeps writing as well).
 */
static void
kh_interleave(uintptr_t u, size_t n)
{
	struct kh_racer *r = kh_ilv;

	if (r == NULL || n == 0 || u >= r->u + r->n || r->u >= u + n)
		return;
	r->ilv_k ^= 1;
	kh_uwrite(r->u, r->v[r->ilv_k], r->n);
	r->ilv_flips++;
}

static void
kh_logread(uintptr_t u, size_t n)
{
	if (kh_nlog < KH_NLOG) {
		kh_log_reads[kh_nlog].u = u;
		kh_log_reads[kh_nlog].n = n;
		kh_nlog++;
	}
}

unsigned
kh_reads(uintptr_t u, size_t n)
{
	unsigned i, c = 0;

	for (i = 0; i < kh_nlog; i++)
		if (u < kh_log_reads[i].u + kh_log_reads[i].n &&
		    kh_log_reads[i].u < u + n)
			c++;
	return c;
}

void
kh_reads_reset(void)
{
	kh_nlog = 0;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	uintptr_t u = (uintptr_t)uaddr;

	if (!kh_uok(u, len))
		return EFAULT;
	kh_uread(u, kaddr, len);
	kh_logread(u, len);
	kh_interleave(u, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	uintptr_t u = (uintptr_t)uaddr;

	if (!kh_uok(u, len))
		return EFAULT;
	kh_uwrite(u, kaddr, len);
	return 0;
}

int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	uintptr_t u = (uintptr_t)uaddr;
	uint8_t *d = kaddr, c;
	size_t i;
	int error = ENAMETOOLONG;

	for (i = 0; i < len; i++) {
		if (!kh_uok(u + i, 1)) {
			error = EFAULT;
			break;
		}
		c = __atomic_load_n(kh_host(u + i), __ATOMIC_RELAXED);
		d[i] = c;
		if (c == '\0') {
			i++;
			error = 0;
			break;
		}
	}
	if (i > 0) {
		kh_logread(u, i);
		kh_interleave(u, i);
	}
	if (done != NULL)
		*done = i;
	return error;
}

static void *
kh_racer_main(void *arg)
{
	struct kh_racer *r = arg;
	unsigned k = 0;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		k ^= 1;
		kh_uwrite(r->u, r->v[k], r->n);
		r->flips++;
		if ((r->flips & 0xffff) == 0)
			sched_yield();
	}
	return NULL;
}

struct kh_racer *
kh_race_start(uintptr_t u, const void *a, const void *b, size_t n)
{
	struct kh_racer *r = calloc(1, sizeof(*r));

	if (r == NULL || n > sizeof(r->v[0]))
		kh_panic("racer", __FILE__, __LINE__);
	r->u = u;
	r->n = n;
	memcpy(r->v[0], a, n);
	memcpy(r->v[1], b, n);
	if (pthread_create(&r->t, NULL, kh_racer_main, r) != 0)
		kh_panic("pthread_create", __FILE__, __LINE__);
	kh_ilv = r;
	return r;
}

unsigned long
kh_race_stop(struct kh_racer *r)
{
	unsigned long flips;

	kh_ilv = NULL;
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
	pthread_join(r->t, NULL);
	flips = r->flips + r->ilv_flips;
	free(r);
	return flips;
}
