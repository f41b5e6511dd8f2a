/* bench_clock.h: the benchmarks' one clock: CLOCK_MONOTONIC in nanoseconds, as a double
 * (bench_eval, bench_run, bench_notify). */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <time.h>

static inline double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#endif /* !BENCH_CLOCK_H */
