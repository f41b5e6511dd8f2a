/* policy_linux_exec.c: execve and execveat: decide on the resolved binary and copied argv,
 * then verify at PTRACE_EVENT_EXEC that the image (dev, inode) and argv are those decided. */
/*
 * Only the kernel can exec, and it re-reads the path and argv from the
 * target's memory after we answer.  So the answer is checked afterwards, at
 * the ptrace exec stop, before the new image runs a single instruction: the
 * file behind /proc/PID/exe must be the one the policy decided on (for a
 * #! script: the interpreter it names), and when the policy has rules on
 * argv, /proc/PID/cmdline must be the argv decided on.  On any mismatch the
 * process is killed.  An exec stop with no decision recorded is killed too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policy_linux.h"

#define ARGS_MAX	(256u * 1024)	/* argv bytes copied for verification */
#define ARGC_MAX	(64u * 1024)

/* Copy argv: NUL-separated into *bufp, joined with spaces into the request. */
static int
policy_linux_argv(struct policy_linux_call *c, uint64_t vec, char **bufp,
    size_t *lenp, size_t *argcp)
{
	char *buf = malloc(ARGS_MAX);
	size_t len = 0, argc = 0;
	int r = 0;

	if (buf == NULL)
		return -ENOMEM;
	while (vec != 0) {
		uint64_t p;
		size_t n;

		if (argc >= ARGC_MAX) {
			r = -E2BIG;
			break;
		}
		if ((r = policy_linux_read(c->c_tid, vec + 8 * argc, &p,
		    sizeof(p))) != 0)
			break;
		if (p == 0)
			break;
		if (len >= ARGS_MAX) {
			r = -E2BIG;
			break;
		}
		r = policy_linux_read_str(c->c_tid, p, buf + len, ARGS_MAX - len,
		    &n);
		if (r != 0) {
			r = r == -ENAMETOOLONG ? -E2BIG : r;
			break;
		}
		len += n + 1;
		argc++;
	}
	if (r != 0) {
		free(buf);
		return r;
	}
	*bufp = buf;
	*lenp = len;
	*argcp = argc;
	return 0;
}

/* The argv string the policy sees: arguments joined with single spaces. */
static int
policy_linux_argv_join(const char *buf, size_t len, char *out, size_t cap)
{
	size_t i;

	if (len > cap)
		return -E2BIG;
	for (i = 0; i < len; i++)
		out[i] = buf[i] == '\0' ? ' ' : buf[i];
	out[len ? len - 1 : 0] = '\0';
	return 0;
}

/*
 * The image the kernel will actually run for the file at fd: for "#!"
 * scripts (up to the kernel's nesting limit) the interpreter, resolved from
 * the target's cwd as the kernel does.  *extra counts the arguments the
 * kernel puts before the script's own.
 */
static int
policy_linux_image(struct policy_linux_call *c, int fd, struct stat *st,
    size_t *extra)
{
	struct policy_linux_walk w;
	int depth, cur = fd, r = 0;

	*extra = 0;
	for (depth = 0; depth < 5; depth++) {
		char head[256], link[64], *p, *e, *arg;
		ssize_t n;
		int rfd, start;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", cur);
		policy_linux_as_self(NULL);	/* the kernel reads "#!" */
		if ((rfd = open(link, O_RDONLY | O_CLOEXEC)) < 0)
			break;		/* unreadable: not a script we can parse */
		n = pread(rfd, head, sizeof(head) - 1, 0);
		close(rfd);
		if (n < 2 || head[0] != '#' || head[1] != '!')
			break;
		head[n] = '\0';
		if ((e = strchr(head, '\n')) == NULL)
			e = head + n;
		*e = '\0';
		for (p = head + 2; *p == ' ' || *p == '\t'; p++)
			;
		for (e = p; *e && *e != ' ' && *e != '\t'; e++)
			;
		arg = *e ? e + 1 : e;
		*e = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
		for (e = arg + strlen(arg); e > arg && (e[-1] == ' ' ||
		    e[-1] == '\t'); )
			*--e = '\0';
		*extra += *arg ? 2 : 1;
		if (*p == '\0')
			return -ENOEXEC;
		if ((start = policy_linux_startfd(c->c_sup, c->c_tid, AT_FDCWD,
		    p)) < 0)
			return start;
		r = policy_linux_walk(c, start, p, PLW_MUSTEXIST, &w);
		close(start);
		if (r != 0)
			return r;
		if (cur != fd)
			close(cur);
		cur = w.w_fd;
		w.w_fd = -1;
		policy_linux_walk_done(&w);
	}
	if (depth == 5)
		r = -ELOOP;
	if (r == 0 && fstat(cur, st) != 0)
		r = -errno;
	if (cur != fd)
		close(cur);
	return r;
}

void
policy_linux_execve(struct policy_linux_call *c)
{
	struct policy_sup *s = c->c_sup;
	struct policy_linux_walk w;
	struct policy_linux_exec *e;
	struct stat img;
	char *argv = NULL, joined[POLICY_ARGV_MAX], raw[PATH_MAX];
	size_t argvlen = 0, argc = 0, extra = 0;
	int at = strcmp(c->c_name, "execveat") == 0, flags = 0, err = 0, r;
	int wflags = PLW_MUSTEXIST;

	/* a new exec decision replaces any earlier one of this thread */
	policy_linux_exec_forget(s, c->c_tid);
	if (at) {
		flags = (int)c->c_args[4];
		if (flags & AT_SYMLINK_NOFOLLOW)
			wflags |= PLW_NOFOLLOW;
	}
	/* flags the kernel refuses before it reads anything */
	if ((err = policy_linux_atflags_ok(c->c_name, c->c_args)) != 0) {
		policy_linux_walk_init(&w);
		goto fail;
	}
	r = policy_linux_argv(c, c->c_args[at ? 2 : 1], &argv, &argvlen, &argc);
	if (r == 0)
		r = policy_linux_path_arg_raw(c, at ? (int)c->c_args[0] :
		    AT_FDCWD, c->c_args[at ? 1 : 0], wflags, at &&
		    (flags & AT_EMPTY_PATH), &w, raw, sizeof(raw));
	else
		policy_linux_walk_init(&w);
	if (r != 0) {
		err = -r;
		goto fail;
	}
	if (S_ISLNK(w.w_st.st_mode))
		err = ELOOP;
	else if (!S_ISREG(w.w_st.st_mode))
		err = EACCES;
	if (err != 0)
		goto fail;

	policy_linux_req(c, POLICY_OP_EXECVE);
	policy_request_set_str(&c->c_req, POLICY_F_FILENAME, w.w_path);
	if (policy_linux_argv_join(argv, argvlen, joined, sizeof(joined)) == 0)
		policy_request_set_str(&c->c_req, POLICY_F_ARGV, joined);
	else if (s->s_argv_rules) {
		policy_linux_note(c, "execve %s: argv longer than %u bytes, "
		    "which the policy's argv rules cannot see; denied",
		    w.w_path, POLICY_ARGV_MAX - 1);
		err = E2BIG;
		goto fail;
	}
	if ((err = policy_linux_decide(c)) != 0)
		goto fail;
	if ((r = policy_linux_image(c, w.w_fd, &img, &extra)) != 0) {
		err = -r;
		goto fail;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		err = ENOMEM;
		goto fail;
	}
	e->pe_tid = c->c_tid;
	e->pe_dev = img.st_dev;
	e->pe_ino = img.st_ino;
	e->pe_skip = extra;
	e->pe_sdev = w.w_st.st_dev;
	e->pe_sino = w.w_st.st_ino;
	if (extra > 0 && (e->pe_script = policy_linux_script_name(at ?
	    (int)c->c_args[0] : AT_FDCWD, raw)) == NULL) {
		free(e);
		err = ENOMEM;
		goto fail;
	}
	if (s->s_argv_rules) {
		e->pe_argv = argv;
		e->pe_argvlen = argvlen;
		argv = NULL;
	}
	e->pe_initial = c->c_tid == s->s_child && s->s_initial_pending;
	/* a program some policy names runs under that policy */
	e->pe_pol = policy_linux_program_policy(s, c->c_polidx, w.w_path,
	    &w.w_st);
	policy_linux_exec_add(s, e);
	policy_linux_walk_done(&w);
	free(argv);
	policy_linux_continue(s, c->c_id);
	return;
fail:
	if (c->c_tid == s->s_child && s->s_initial_pending)
		s->s_initial_errno = err;
	policy_linux_walk_done(&w);
	free(argv);
	policy_linux_reply(s, c->c_id, 0, err);
}

/* The new image's command line, NUL-separated: up to ARGS_MAX + 1 bytes
 * (more than ARGS_MAX means longer than anything decided on). */
static char *
policy_linux_cmdline(pid_t pid, size_t *lenp)
{
	char path[64], *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if ((buf = malloc(ARGS_MAX + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (len < ARGS_MAX + 1 &&
	    (n = read(fd, buf + len, ARGS_MAX + 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	*lenp = len;
	return buf;
}

/* Compare the new image's command line with the argv decided on.  For
 * scripts the kernel replaced argv[0] with interpreter [arg] script:
 * compare the rest. */
static bool
policy_linux_argv_ok(const char *buf, size_t len,
    const struct policy_linux_exec *e)
{
	size_t i, skip, off = 0;

	if (e->pe_skip == 0)
		return len == e->pe_argvlen && memcmp(buf, e->pe_argv, len) == 0;
	/* skip interpreter args + the script name in cmdline, argv[0] in ours */
	for (i = 0, skip = e->pe_skip + 1; i < len && skip > 0; i++)
		if (buf[i] == '\0')
			skip--;
	while (off < e->pe_argvlen && e->pe_argv[off] != '\0')
		off++;
	off++;
	return off <= e->pe_argvlen && len - i == e->pe_argvlen - off &&
	    memcmp(buf + i, e->pe_argv + off, len - i) == 0;
}

/* PTRACE_EVENT_EXEC for pid (formerly thread oldtid): verify or kill. */
void
policy_linux_exec_event(struct policy_sup *s, pid_t pid, pid_t oldtid)
{
	struct policy_linux_exec *e;
	struct stat st;
	char path[64], *cmd = NULL;
	size_t cmdlen = 0;
	const char *why = NULL;

	if ((e = policy_linux_exec_take(s, oldtid)) == NULL)
		e = policy_linux_exec_take(s, pid);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (e == NULL) {
		if (s->s_exec_unchecked)
			return;		/* the filter permits every exec */
		why = "no exec decision recorded";
	} else if (stat(path, &st) != 0)
		why = "cannot inspect the new image";
	else if (st.st_dev != e->pe_dev || st.st_ino != e->pe_ino)
		why = "the image is not the file the policy decided on";
	else if ((e->pe_argv != NULL || e->pe_script != NULL) &&
	    (cmd = policy_linux_cmdline(pid, &cmdlen)) == NULL)
		why = "cannot read the new image's arguments";
	else if (e->pe_argv != NULL && !policy_linux_argv_ok(cmd, cmdlen, e))
		why = "argv changed after the policy decided on it";
	else if (e->pe_script != NULL && !policy_linux_script_ok(cmd,
	    cmdlen, e->pe_skip, e->pe_script))
		why = "the script is not the one the policy decided on";
	free(cmd);
	policy_linux_script_forget(pid);	/* an earlier image's */
	if (why == NULL && e != NULL && e->pe_script != NULL) {
		if (!policy_linux_script_expect(pid, e->pe_script,
		    e->pe_sdev, e->pe_sino))
			why = "out of memory";
		e->pe_script = NULL;
	}
	if (e != NULL) {
		if (e->pe_initial)
			s->s_initial_pending = 0;
		if (why == NULL && e->pe_pol != policy_linux_task_pol(pid)) {
			(void)policy_linux_task_setpol(pid, e->pe_pol);
			if (s->s_verbose) {
				fprintf(s->s_log, "policyctl: pid %d: now under "
				    "%s\n", (int)pid, e->pe_pol ?
				    s->s_sources[e->pe_pol] : s->s_source);
				fflush(s->s_log);
			}
		}
		policy_linux_exec_free(e);
	}
	if (why != NULL) {
		fprintf(s->s_log, "policyctl: pid %d: exec killed: %s\n",
		    (int)pid, why);
		fflush(s->s_log);
		kill(pid, SIGKILL);
	}
}
