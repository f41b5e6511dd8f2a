/* test_mutation.c: deterministic mutation testing: 120,000 mutated blobs and policies
 * fed to the validator, evaluator, compiler and importer (run under ASan by make check);
 * whatever the compiler accepts must also pass the validator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define N_BLOBS		60000
#define N_POLICIES	50000
#define N_IMPORTS	10000

static const char *seeds[] = {
	"policy: 1\nname: a\nprogram: /bin/a\ndefault: deny\nerrno: EACCES\nlog: all\nrules:\n"
	"  - open: filename eq \"/etc/passwd\" then permit\n"
	"  - fsread: filename match \"/usr/lib/*\" then permit\n"
	"  - open: filename match \"/usr/share/*\" then permit\n"
	"  - stat: filename re \"^/home/[a-z]+/(x|y)*$\" then permit\n"
	"  - open: flags sub \"O_CREAT\" and not filename inpath \"/tmp\" then deny[EROFS]\n"
	"  - getpid: then permit\n"
	"  - connect: sockaddr match \"inet-127.0.0.1:*\" or sockaddr eq \"unix-/run/x\" then ask log\n"
	"  - kill: signal eq \"SIGKILL\" then deny[EPERM]\n",
	"policy: 1\ndefault: ask\nrules:\n"
	"  - 'native-fswrite: filename inpath \"/tmp\" and (filename2 nsub \"..\" or mode eq \"0644\") then permit'\n"
	"  - execve: filename eq \"/bin/sh\" and argv re \"^sh -c [a-z ]{1,8}$\" then permit\n"
	"  - linux32-open: filename nmatch \"/proc/*\" then permit\n"
	"  - socket: domain eq \"AF_INET\" and type eq \"SOCK_DGRAM\" then permit\n"
	"  - syscall: syscall match \"get*\" then permit\n"
	"  - rename: filename re \"[[:alpha:]]+\\\\.(c|h)$\" then deny\n",
};

static const char *systrace_seed =
    "Policy: /bin/ls, Emulation: native\n"
    "\tnative-__sysctl: permit\n"
    "\tnative-fsread: filename eq \"/etc/malloc.conf\" then permit\n"
    "\tnative-fsread: filename match \"/usr/lib/*\" then permit\n"
    "\tnative-connect: sockaddr eq \"inet-127.0.0.1:53\" then deny[econnrefused]\n"
    "\tlinux-fswrite: filename re \"^/tmp/[a-z]+$\" and not filename sub \"x\" then ask log\n";

static void
exercise(const struct policy *p, uint64_t *rs)
{
	static const char *const paths[] = { "/etc/passwd", "/usr/lib/x",
	    "/home/ab/xy", "/tmp/q", "", "/proc/1/mem", "getpid" };
	struct policy_request req;
	struct policy_decision d;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int i;

	for (i = 0; i < 8; i++) {
		tu_req(&req, 1 + (unsigned)(tu_rand(rs) % (POLICY_OP_COUNT - 1)),
		    paths[tu_rand(rs) % 7]);
		req.pr_emul = (uint8_t)(tu_rand(rs) % POLICY_EMUL_COUNT);
		policy_request_set_str(&req, POLICY_F_FILENAME2, paths[tu_rand(rs) % 7]);
		policy_request_set_str(&req, POLICY_F_SYSCALL, paths[tu_rand(rs) % 7]);
		policy_request_set_str(&req, POLICY_F_SOCKADDR, "inet-127.0.0.1:53");
		policy_request_set_int(&req, POLICY_F_FLAGS, (int64_t)(tu_rand(rs) & 0xffff));
		policy_eval(p, &req, &d);
		assert_true(d.pd_action > POLICY_ACT_NONE && d.pd_action < POLICY_ACT_COUNT);
		assert_true(d.pd_rule == POLICY_NONE || d.pd_rule < p->p_nrules);
	}
	if ((tu_rand(rs) & 15) == 0 && (fp = open_memstream(&text, &len)) != NULL) {
		policy_dump(fp, p);
		fclose(fp);
		free(text);
	}
}

static void
test_mutated_blobs(void **state)
{
	static const uint32_t interesting[] = { 0, 1, 7, 8, 0x7fffffff,
	    0x80000000u, 0xfffffff8u, 0xffffffffu, 255, 256, 4096 };
	struct { void *d; size_t size; } base[2];
	uint64_t rs = 12345;
	unsigned i, accepted = 0, rejected = 0;
	struct policy_diag d;
	uint8_t *m = NULL;

	(void)state;
	for (i = 0; i < 2; i++)
		assert_int_equal(policy_compile_buffer("seed", seeds[i],
		    strlen(seeds[i]), &base[i].d, &base[i].size, &d), 0);
	for (i = 0; i < N_BLOBS; i++) {
		unsigned k = (unsigned)(tu_rand(&rs) & 1), n, j;
		size_t size = base[k].size;
		struct policy p;
		char err[POLICY_ERRBUF];

		m = aligned_alloc(8, (size + 7) & ~(size_t)7);
		memcpy(m, base[k].d, size);
		n = 1 + (unsigned)(tu_rand(&rs) % 4);
		for (j = 0; j < n && size > 0; j++) {
			size_t at = (size_t)(tu_rand(&rs) % size);
			switch (tu_rand(&rs) % 5) {
			case 0:
				m[at] ^= (uint8_t)(1u << (tu_rand(&rs) % 8));
				break;
			case 1:
				m[at] = (uint8_t)tu_rand(&rs);
				break;
			case 2: {
				uint32_t v = interesting[tu_rand(&rs) % 11];
				at &= ~(size_t)3;
				if (at + 4 <= size)
					memcpy(m + at, &v, 4);
				break;
			}
			case 3: {	/* small arithmetic on a word */
				uint32_t v;
				at &= ~(size_t)3;
				if (at + 4 <= size) {
					memcpy(&v, m + at, 4);
					v += (uint32_t)(tu_rand(&rs) % 17) - 8;
					memcpy(m + at, &v, 4);
				}
				break;
			}
			default:	/* truncate */
				if (tu_rand(&rs) % 4 == 0)
					size = at;
				break;
			}
		}
		if (size >= sizeof(struct policy_blob_header) && tu_rand(&rs) % 8 != 0) {
			/* keep size and checksum consistent so checks go deeper */
			((struct policy_blob_header *)(void *)m)->ph_total_size = (uint32_t)size;
			((struct policy_blob_header *)(void *)m)->ph_checksum =
			    policy_blob_checksum(m, size);
		}
		if (policy_blob_validate(&p, m, size, err, sizeof(err)) == 0) {
			accepted++;
			exercise(&p, &rs);
		} else {
			rejected++;
			assert_true(strncmp(err, "invalid policy blob: ", 21) == 0);
		}
		free(m);
	}
	free(base[0].d);
	free(base[1].d);
	print_message("blobs: %u mutated, %u accepted, %u rejected\n", N_BLOBS,
	    accepted, rejected);
	assert_int_equal(accepted + rejected, N_BLOBS);
	assert_true(rejected > N_BLOBS / 2);
	assert_true(accepted > 0);	/* harmless mutations exist: strings */
}

static void
mutate_text(uint64_t *rs, const char *src, char *out, size_t cap)
{
	static const char alphabet[] = "\"':-[]()\\ \n\t#*?^$|&!{}aeo/0_,.\x01\xff";
	size_t len = strlen(src), n, j;

	if (len >= cap)
		len = cap - 1;
	memcpy(out, src, len);
	out[len] = '\0';
	n = 1 + (size_t)(tu_rand(rs) % 2);
	for (j = 0; j < n; j++) {
		size_t at = len ? (size_t)(tu_rand(rs) % len) : 0;
		char c = alphabet[tu_rand(rs) % (sizeof(alphabet) - 1)];

		switch (tu_rand(rs) % 4) {
		case 0:		/* replace */
			if (len)
				out[at] = c;
			break;
		case 1:		/* insert */
			if (len + 1 < cap) {
				memmove(out + at + 1, out + at, len - at + 1);
				out[at] = c;
				len++;
			}
			break;
		case 2:		/* delete a run */
			if (len) {
				size_t k = 1 + (size_t)(tu_rand(rs) % 8);
				if (at + k > len)
					k = len - at;
				memmove(out + at, out + at + k, len - at - k + 1);
				len -= k;
			}
			break;
		default: {	/* duplicate a run */
			size_t k = 1 + (size_t)(tu_rand(rs) % 40);
			if (at + k > len)
				k = len - at;
			if (len + k < cap) {
				memmove(out + at + k, out + at, len - at + 1);
				len += k;
			}
			break;
		}
		}
	}
}

static void
test_mutated_policies(void **state)
{
	static char buf[8192];
	uint64_t rs = 777;
	unsigned i, ok = 0, bad = 0;

	(void)state;
	for (i = 0; i < N_POLICIES; i++) {
		struct policy_diag d;
		void *blob;
		size_t size;

		mutate_text(&rs, seeds[tu_rand(&rs) & 1], buf, sizeof(buf));
		if (policy_compile_buffer("m.yaml", buf, strlen(buf), &blob,
		    &size, &d) == 0) {
			struct policy p;
			char err[POLICY_ERRBUF];

			/* the compiler never emits a blob the validator refuses */
			if (policy_blob_validate(&p, blob, size, err, sizeof(err)) != 0)
				fail_msg("compiled but invalid (%s):\n%s", err, buf);
			exercise(&p, &rs);
			free(blob);
			if (ok % 4 == 0) {
				/* appending to any valid policy keeps it valid */
				char *more = policy_yaml_with_rule("m.yaml", buf,
				    strlen(buf), "open: filename eq \"/x\" then deny",
				    "added", &d);
				if (more == NULL)
					fail_msg("cannot append to a valid policy "
					    "(%s):\n%s", d.pd_msg, buf);
				free(more);
			}
			ok++;
		} else {
			assert_true(d.pd_msg[0] != '\0');
			assert_string_equal(d.pd_file, "m.yaml");
			bad++;
		}
	}
	print_message("policies: %u mutated, %u compiled, %u rejected\n",
	    N_POLICIES, ok, bad);
	assert_true(ok > N_POLICIES / 50 && bad > N_POLICIES / 2);
}

static void
test_mutated_imports(void **state)
{
	static char buf[4096];
	uint64_t rs = 4242;
	unsigned i, ok = 0;

	(void)state;
	for (i = 0; i < N_IMPORTS; i++) {
		struct policy_diag d;
		char *out = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&out, &len);

		mutate_text(&rs, systrace_seed, buf, sizeof(buf));
		if (policy_import_systrace("m.systrace", buf, strlen(buf), fp, &d) == 0) {
			fclose(fp);
			/* what import writes compiles */
			struct policy_loaded *pl = tu_compile(out, &d);
			if (pl == NULL)
				fail_msg("import output does not compile: %s\n%s",
				    d.pd_msg, out);
			policy_loaded_free(pl);
			ok++;
		} else {
			fclose(fp);
			assert_int_equal(len, 0);
		}
		free(out);
	}
	assert_true(ok > 0 && ok < N_IMPORTS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutated_blobs),
		cmocka_unit_test(test_mutated_policies),
		cmocka_unit_test(test_mutated_imports),
	};

	return cmocka_run_group_tests_name("mutation", tests, NULL, NULL);
}
