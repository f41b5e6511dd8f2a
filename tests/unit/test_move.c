/* test_move.c: policy_move_same(), the engine's answer to "does this rename or link change how
 * the policy decides what is moved?": a table of moves, and a soundness check by sampling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "secmodel/policy/policy_impl.h"

static struct policy_loaded *
compile(const char *rules)
{
	struct policy_diag d;
	char text[4096];
	struct policy_loaded *pl;

	snprintf(text, sizeof(text), "policy: 1\nname: m\ndefault: permit\n"
	    "rules:\n%s", rules);
	pl = tu_compile(text, &d);
	if (pl == NULL)
		fail_msg("%s:%u:%u: %s", d.pd_file, d.pd_line, d.pd_col,
		    d.pd_msg);
	return pl;
}

struct move_case {
	const char	*rules;
	const char	*from, *to;
	bool		dir;
	bool		same;
};

static const struct move_case cases[] = {
	/* deny beneath a directory: moving it, an ancestor, into it */
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/srv/w/no", "/srv/w/moved", true, false },
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/srv/w", "/srv/v", true, false },
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/srv/w/no/a", "/srv/w/ok/a", false, false },
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/srv/w/ok/a", "/srv/w/no/a", false, false },
	/* the same moves elsewhere widen nothing */
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/srv/w/ok", "/srv/w/ok2", true, true },
	{ "  - fsread: filename match \"/srv/w/no/*\" then deny\n",
	    "/tmp/a.txt", "/tmp/b.txt", false, true },
	/* inpath: a directory of its own, an ancestor of both */
	{ "  - fswrite: filename inpath \"/data/keep\" then deny\n",
	    "/data/keep", "/data/other", true, false },
	{ "  - fswrite: filename inpath \"/data\" then deny\n",
	    "/data/a", "/data/b", true, true },
	{ "  - fswrite: filename inpath \"/data/a/deep\" then deny\n",
	    "/data/a", "/data/b", true, false },
	/* eq: the object itself, or something beneath */
	{ "  - open: filename eq \"/etc/shadow\" then deny\n",
	    "/etc/shadow", "/tmp/s", false, false },
	{ "  - open: filename eq \"/etc/x/y\" then deny\n",
	    "/etc/x", "/etc/z", true, false },
	{ "  - open: filename eq \"/etc/x/y\" then deny\n",
	    "/etc/x", "/etc/z", false, true },
	/* a glob's tail: equal matcher states after both paths */
	{ "  - fsread: filename match \"/home/*/secret\" then deny\n",
	    "/home/a", "/home/b", true, true },
	{ "  - fsread: filename match \"*.key\" then deny\n",
	    "/x/a.key", "/x/a.txt", false, false },
	{ "  - fsread: filename match \"*.key\" then deny\n",
	    "/x/d", "/y/e", true, true },
	/* regular expressions */
	{ "  - fsread: filename re \"^/priv/[0-9]+/\" then deny\n",
	    "/priv/12", "/pub/12", true, false },
	{ "  - fsread: filename re \"^/priv/[0-9]+/\" then deny\n",
	    "/priv/12", "/priv/34", true, true },
	{ "  - fsread: filename re \"secret\" then deny\n",
	    "/a/b", "/c/d", true, true },
	{ "  - fsread: filename re \"secret\" then deny\n",
	    "/a/secret", "/c/d", true, false },
	/* substrings, also across the end of the moved path */
	{ "  - fsread: filename sub \".git/\" then deny\n",
	    "/src/x.git", "/src/y", true, false },
	{ "  - fsread: filename sub \".git/\" then deny\n",
	    "/src/x", "/src/y", true, true },
	/* link and rename targets; unix socket paths */
	{ "  - rename: filename2 inpath \"/drop\" then deny\n",
	    "/drop/in", "/other", true, false },
	{ "  - connect: sockaddr eq \"unix-/run/a.sock\" then deny\n",
	    "/run/a.sock", "/tmp/a.sock", false, false },
	/* rules that name no path are the same everywhere */
	{ "  - fsread: then deny\n  - kill: then deny\n",
	    "/a", "/b", true, true },
};

static void
test_table(void **state)
{
	size_t i;
	uint32_t rule;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct move_case *c = &cases[i];
		struct policy_loaded *pl = compile(c->rules);
		bool same = policy_move_same(&pl->pl_policy, c->from, c->to,
		    c->dir, &rule);

		if (same != c->same)
			fail_msg("case %zu (%s -> %s): %s, expected %s", i,
			    c->from, c->to, same ? "same" : "differs",
			    c->same ? "same" : "differs");
		if (!same)
			assert_int_equal(rule, 0);
		policy_loaded_free(pl);
	}
}

/*
 * Soundness: whenever the engine says "same", every operation decides
 * from+s and to+s alike, for the suffixes s tried.  Random policies over
 * a small alphabet of path pieces, random moves, random suffixes.
 */
static const char *const pieces[] = { "a", "b", "no", "ok", "x.c", "x.o" };
static const char *const ops[] = { "open", "fsread", "fswrite", "unlink",
    "stat", "rename" };

static void
rand_path(uint64_t *st, char *buf, size_t len, int depth)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < depth; i++)
		n += (size_t)snprintf(buf + n, len - n, "/%s",
		    pieces[tu_rand(st) % 6]);
}

static void
rand_test(uint64_t *st, char *buf, size_t len)
{
	char p[64];

	rand_path(st, p, sizeof(p), 1 + (int)(tu_rand(st) % 3));
	switch (tu_rand(st) % 7) {
	case 0: snprintf(buf, len, "filename eq \"%s\"", p); break;
	case 1: snprintf(buf, len, "filename inpath \"%s\"", p); break;
	case 2: snprintf(buf, len, "filename match \"%s/*\"", p); break;
	case 3: snprintf(buf, len, "filename match \"*%s\"", p); break;
	case 4: snprintf(buf, len, "filename sub \"%s\"", p + 1); break;
	case 5: snprintf(buf, len, "filename re \"^%s(/|$)\"", p); break;
	default: snprintf(buf, len, "filename neq \"%s\"", p); break;
	}
}

static void
test_sound(void **state)
{
	uint64_t st = 42;
	int round, nsame = 0, ndiff = 0;

	(void)state;
	for (round = 0; round < 2000; round++) {
		char rules[2048], t[128], from[64], to[64], a[256], b[256],
		    s[64];
		size_t n = 0;
		struct policy_loaded *pl;
		struct policy_request ra, rb;
		uint32_t rule;
		int i, k, o;
		bool same;

		for (i = 0; i < 1 + (int)(tu_rand(&st) % 4); i++) {
			rand_test(&st, t, sizeof(t));
			n += (size_t)snprintf(rules + n, sizeof(rules) - n,
			    "  - %s: %s then %s\n", ops[tu_rand(&st) % 6], t,
			    tu_rand(&st) % 2 ? "deny" : "permit");
		}
		pl = compile(rules);
		rand_path(&st, from, sizeof(from), 1 + (int)(tu_rand(&st) % 2));
		rand_path(&st, to, sizeof(to), 1 + (int)(tu_rand(&st) % 2));
		same = policy_move_same(&pl->pl_policy, from, to, true, &rule);
		nsame += same;
		ndiff += !same;
		for (k = 0; same && k < 60; k++) {
			rand_path(&st, s, sizeof(s), (int)(tu_rand(&st) % 3));
			snprintf(a, sizeof(a), "%s%s", from, s);
			snprintf(b, sizeof(b), "%s%s", to, s);
			for (o = 0; o < 6; o++) {
				int64_t op;

				assert_true(policy_name_lookup(policy_op_names,
				    o == 1 ? "open" : o == 2 ? "unlink" :
				    ops[o], strlen(o == 1 ? "open" : o == 2 ?
				    "unlink" : ops[o]), &op));
				tu_req(&ra, (unsigned)op, a);
				tu_req(&rb, (unsigned)op, b);
				if (tu_decide(pl, &ra, NULL) !=
				    tu_decide(pl, &rb, NULL))
					fail_msg("said same, but %s %s and %s "
					    "differ under\n%s", ops[o], a, b,
					    rules);
			}
		}
		policy_loaded_free(pl);
	}
	print_message("%d moves same, %d differ\n", nsame, ndiff);
	assert_true(nsame > 250 && ndiff > 250);
}

/* policy_move_permitted: "widen" lets the one move through, nothing else. */
static void
test_widen(void **state)
{
	struct policy_loaded *pl = compile(
	    "  - fsread: filename match \"/srv/w/no/*\" then deny\n"
	    "  - rename: filename eq \"/srv/w/no\" and filename2 eq "
	    "\"/srv/w/out\" then permit widen\n");
	struct policy_request r;
	struct policy_decision d;
	char why[80];

	(void)state;
	tu_req(&r, POLICY_OP_RENAME, "/srv/w/no");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/srv/w/out");
	policy_eval(&pl->pl_policy, &r, &d);
	assert_int_equal(d.pd_line, 6);
	assert_true(policy_move_permitted(&pl->pl_policy, &d, "/srv/w/no",
	    "/srv/w/out", true, false, why, sizeof(why)));
	tu_req(&r, POLICY_OP_RENAME, "/srv/w/no");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/srv/w/elsewhere");
	policy_eval(&pl->pl_policy, &r, &d);
	assert_false(policy_move_permitted(&pl->pl_policy, &d, "/srv/w/no",
	    "/srv/w/elsewhere", true, false, why, sizeof(why)));
	assert_string_equal(why, "move would change how the rule at line 5 "
	    "decides");
	/* an exchange is checked both ways */
	assert_false(policy_move_permitted(&pl->pl_policy, &d, "/srv/w/ok",
	    "/srv/w/no", true, true, why, sizeof(why)));
	policy_loaded_free(pl);
}

/* policyctl check's warnings, at the rule a rename could sidestep. */
static unsigned lint_line[8], lint_n;
static char lint_msg[8][512];

static void
lint_note(void *arg, unsigned line, unsigned col, const char *msg)
{
	(void)arg;
	assert_int_equal(col, 5);
	if (lint_n < 8) {
		lint_line[lint_n] = line;
		snprintf(lint_msg[lint_n], sizeof(lint_msg[0]), "%s", msg);
	}
	lint_n++;
}

static void
test_lint(void **state)
{
	struct policy_loaded *pl;

	(void)state;
	/* default permit: renaming /srv/w/no is permitted, and would move it */
	pl = compile("  - fsread: filename match \"/srv/w/no/*\" then deny\n"
	    "  - fsread: filename inpath \"/srv\" then permit\n");
	lint_n = 0;
	assert_int_equal(policy_lint_moves(&pl->pl_policy, lint_note, NULL), 1);
	assert_int_equal(lint_line[0], 5);
	assert_non_null(strstr(lint_msg[0], "the default permits renaming "
	    "/srv/w/no"));
	policy_loaded_free(pl);
	/* renames of it and its ancestors denied: nothing to say */
	pl = compile("  - fsread: filename match \"/srv/w/no/*\" then deny\n"
	    "  - rename: filename inpath \"/srv\" and filename nmatch "
	    "\"/srv/w/no/*\" then deny\n");
	lint_n = 0;
	assert_int_equal(policy_lint_moves(&pl->pl_policy, lint_note, NULL), 0);
	policy_loaded_free(pl);
	/* widen across a deny: sidestepped by design */
	pl = compile("  - rename: filename eq \"/srv/w\" then permit widen\n"
	    "  - open: filename inpath \"/srv/w/no\" then deny\n"
	    "  - rename: then deny\n");
	lint_n = 0;
	assert_int_equal(policy_lint_moves(&pl->pl_policy, lint_note, NULL), 1);
	assert_int_equal(lint_line[0], 6);
	assert_non_null(strstr(lint_msg[0], "can be sidestepped: the rule at "
	    "line 5 permits renaming /srv/w with 'widen'"));
	policy_loaded_free(pl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sound),
		cmocka_unit_test(test_widen),
		cmocka_unit_test(test_lint),
	};

	return cmocka_run_group_tests_name("move check", tests, NULL, NULL);
}
