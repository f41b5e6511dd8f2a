/* probe.c: the tiny static programs the exec attacks run (no libc, so an exec costs little):
 * exit 43 as the permitted image, 42 as the denied one; as an interpreter, the script's code. */
/*
 * Built three times: PROBE_CODE=43 (probe_ok), PROBE_CODE=42 (probe_bad),
 * and PROBE_INTERP (probe_interp, the "#!" interpreter of the script
 * attack: it reads the script the kernel named in argv[1] and exits with
 * the number on its second line).  Any build exits 42 when argv[1] is
 * "--evil" and 43 when it is "--safe" (the argv attack).
 */
#include <stddef.h>

#ifndef PROBE_CODE
#define PROBE_CODE	43
#endif

#define SYS_read	0
#define SYS_open	2
#define SYS_close	3
#define SYS_exit_group	231

static long
sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b),
	    "d"(c) : "rcx", "r11", "memory");
	return r;
}

static __attribute__((noreturn)) void
leave(int code)
{
	for (;;)
		sys3(SYS_exit_group, code, 0, 0);
}

static int
same(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

#ifdef PROBE_INTERP
/* The script's exit code: the decimal number on its second line. */
static int
script_code(const char *path)
{
	char buf[256];
	long fd = sys3(SYS_open, (long)path, 0, 0), n, i;
	int code = 0;

	if (fd < 0)
		return 60;
	n = sys3(SYS_read, fd, (long)buf, sizeof(buf) - 1);
	sys3(SYS_close, fd, 0, 0);
	if (n <= 0)
		return 61;
	for (i = 0; i < n && buf[i] != '\n'; i++)
		;
	for (i++; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		code = code * 10 + (buf[i] - '0');
	return code;
}
#endif

__attribute__((used, noreturn)) void probe_main(long *sp);

__attribute__((used, noreturn)) void
probe_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);

	if (argc > 1 && same(argv[1], "--evil"))
		leave(42);
	if (argc > 1 && same(argv[1], "--safe"))
		leave(43);
#ifdef PROBE_INTERP
	leave(argc > 1 ? script_code(argv[1]) : 62);
#else
	leave(PROBE_CODE);
#endif
}

__asm__(".text\n.globl _start\n_start:\n"
    "\txor %rbp, %rbp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n"
    "\tcall probe_main\n\thlt\n");
