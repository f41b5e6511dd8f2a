/* policy_match.c: the string matchers a condition uses (glob, inpath, substring,
 * regular-expression VM), the index hash and the blob checksum; bounded, no allocation. */
#include "policy_impl.h"

/* Glob: '*' any run (slashes included), '?' one byte, '[...]' a class with
 * ranges and '!' or '^' negation, '\' quotes the next byte. */
/* A '[...]' class at p[*pi]: 1 if c is in it, 0 if not, -1 if the class has
 * no closing ']' (then '[' is an ordinary byte).  On 0 or 1, *pi moves past it. */
static int
policy_glob_class(const char *p, size_t plen, size_t *pi, unsigned char c)
{
	size_t i = *pi + 1;
	bool neg = false, hit = false, first = true;

	if (i < plen && (p[i] == '!' || p[i] == '^')) {
		neg = true;
		i++;
	}
	for (; i < plen && (first || p[i] != ']'); first = false) {
		unsigned char lo = (unsigned char)p[i], hi;

		if (lo == '\\' && i + 1 < plen)
			lo = (unsigned char)p[++i];
		hi = lo;
		if (i + 2 < plen && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = (unsigned char)p[i + 2];
			i += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
		i++;
	}
	if (i >= plen)
		return -1;
	*pi = i + 1;
	return hit != neg;
}

bool
policy_glob_match(const char *s, size_t slen, const char *p, size_t plen)
{
	size_t si = 0, pi = 0, star_p = (size_t)-1, star_s = 0;

	while (si < slen) {
		if (pi < plen) {
			unsigned char pc = (unsigned char)p[pi];
			size_t next = pi + 1, k = pi;
			int r;

			if (pc == '*') {
				star_p = pi++;
				star_s = si;
				continue;
			}
			if (pc == '?') {
				si++;
				pi = next;
				continue;
			}
			if (pc == '[' &&
			    (r = policy_glob_class(p, plen, &k,
			    (unsigned char)s[si])) >= 0) {
				if (r == 1) {
					si++;
					pi = k;
					continue;
				}
			} else {
				if (pc == '\\' && pi + 1 < plen) {
					pc = (unsigned char)p[pi + 1];
					next = pi + 2;
				}
				if (pc == (unsigned char)s[si]) {
					si++;
					pi = next;
					continue;
				}
			}
		}
		if (star_p == (size_t)-1)
			return false;
		pi = star_p + 1;
		si = ++star_s;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

static void
policy_glob_set(uint8_t *bits, size_t i)
{
	bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static bool
policy_glob_isset(const uint8_t *bits, size_t i)
{
	return (bits[i >> 3] >> (i & 7)) & 1;
}

/* Add the positions a '*' at a set position may skip to. */
static void
policy_glob_close(const char *p, size_t plen, uint8_t *bits)
{
	size_t i;

	for (i = 0; i < plen; i++)
		if (policy_glob_isset(bits, i) && p[i] == '*')
			policy_glob_set(bits, i + 1);
}

/*
 * The pattern positions that policy_glob_match() can stand at after
 * reading s[0..slen) (bits: plen + 1 of them, zeroed by the caller): the
 * same language, as an NFA over the pattern, so that two prefixes with
 * the same positions match exactly the same continuations.
 */
void
policy_glob_states(const char *p, size_t plen, const char *s, size_t slen,
    uint8_t *bits)
{
	uint8_t next[POLICY_GLOB_STATES_MAX / 8 + 1];
	size_t si, i, nb = plen / 8 + 1;

	policy_glob_set(bits, 0);
	policy_glob_close(p, plen, bits);
	for (si = 0; si < slen; si++) {
		unsigned char c = (unsigned char)s[si];

		memset(next, 0, nb);
		for (i = 0; i < plen; i++) {
			size_t k = i, to = i + 1;
			unsigned char pc = (unsigned char)p[i];
			int r;

			if (!policy_glob_isset(bits, i))
				continue;
			if (pc == '*')
				policy_glob_set(next, i);
			else if (pc == '?')
				policy_glob_set(next, to);
			else if (pc == '[' &&
			    (r = policy_glob_class(p, plen, &k, c)) >= 0) {
				if (r == 1)
					policy_glob_set(next, k);
			} else {
				if (pc == '\\' && i + 1 < plen) {
					pc = (unsigned char)p[i + 1];
					to = i + 2;
				}
				if (pc == c)
					policy_glob_set(next, to);
			}
		}
		memcpy(bits, next, nb);
		policy_glob_close(p, plen, bits);
	}
}

/* The path is dir itself or lies below it. */
bool
policy_inpath(const char *s, size_t slen, const char *dir, size_t dlen)
{
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	if (slen < dlen || memcmp(s, dir, dlen) != 0)
		return false;
	return slen == dlen || s[dlen] == '/' || (dlen == 1 && dir[0] == '/');
}

bool
policy_substr(const char *s, size_t slen, const char *sub, size_t sublen)
{
	size_t i;

	if (sublen == 0)
		return true;
	for (i = 0; i + sublen <= slen; i++)
		if (s[i] == sub[0] && memcmp(s + i, sub, sublen) == 0)
			return true;
	return false;
}

/* FNV-1a over the operation number and the key. */
uint32_t
policy_hash(unsigned op, const char *key, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	h = (h ^ (op & 0xff)) * 16777619u;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

/* Bit i (< POLICY_BLOOM_K) of a key with hash h in a filter of nbits (a power
 * of two, at least 64) bits.  All of a key's bits share one 64-bit word,
 * policy_bloom_word(), so a lookup touches one cache line. */
uint32_t
policy_bloom_bit(uint32_t h, unsigned i, uint32_t nbits)
{
	uint32_t h2 = ((h >> 16) | (h << 16)) * 0x9e3779b1u;

	return (policy_bloom_word(h, nbits) << 6) | ((h2 >> (6 * i)) & 63u);
}

/* CRC-32 (IEEE); chain calls by passing the previous result, start with 0. */
uint32_t
policy_crc32(uint32_t crc, const void *buf, size_t len)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *p = buf;

	crc ^= 0xffffffffu;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble[crc & 15];
		crc = (crc >> 4) ^ nibble[crc & 15];
	}
	return crc ^ 0xffffffffu;
}

/*
 * Regular expressions run as a Thompson NFA simulation over a program the
 * compiler built and the validator checked: every state is visited at most
 * once per input byte, so the cost is O(len * ninsn) and no input can make it
 * backtrack.  The search is unanchored unless the program starts with BOL.
 */
struct policy_rxset {
	uint16_t	n;
	uint16_t	pc[POLICY_RX_MAX];
	uint8_t		seen[POLICY_RX_MAX / 8];
};

static void
policy_rx_add(const struct policy_rxinsn *code, uint32_t n,
    struct policy_rxset *set, uint32_t pc0, size_t pos, size_t len)
{
	uint16_t stack[2 * POLICY_RX_MAX + 2];
	unsigned sp = 0;

	stack[sp++] = (uint16_t)pc0;
	while (sp > 0) {
		uint32_t pc = stack[--sp];
		const struct policy_rxinsn *in;

		if (pc >= n || (set->seen[pc >> 3] & (1u << (pc & 7))))
			continue;
		set->seen[pc >> 3] |= (uint8_t)(1u << (pc & 7));
		in = &code[pc];
		switch (in->rx_op) {
		case POLICY_RX_JMP:
			stack[sp++] = in->rx_x;
			break;
		case POLICY_RX_SPLIT:
			stack[sp++] = in->rx_y;
			stack[sp++] = in->rx_x;
			break;
		case POLICY_RX_BOL:
			if (pos == 0)
				stack[sp++] = (uint16_t)(pc + 1);
			break;
		case POLICY_RX_EOL:
			if (pos == len)
				stack[sp++] = (uint16_t)(pc + 1);
			break;
		default:
			set->pc[set->n++] = (uint16_t)pc;
			break;
		}
	}
}

/*
 * Run program prog over s[0..len) from start: true as soon as a thread
 * matches.  open: more input follows s (EOL never holds), and the threads
 * left at the end are returned in seen.
 */
static bool
policy_rx_run(const struct policy *p, uint32_t prog, const char *s,
    size_t len, size_t start, bool open, uint8_t *seen)
{
	struct policy_rxset sets[2], *cur = &sets[0], *nxt = &sets[1], *t;
	const struct policy_rxinsn *code;
	size_t pos, end = open ? (size_t)-1 : len;
	uint32_t n, i;
	uintptr_t line;
	bool anchored;

	if (prog >= p->p_nrxprog || start > len)
		return false;
	code = p->p_rxinsn + p->p_rxprog[prog].rp_insn;
	n = p->p_rxprog[prog].rp_ninsn;
	/* its first lines at once (a failing match rarely reads on) */
	for (line = (uintptr_t)code & ~(uintptr_t)63;
	    line < (uintptr_t)(code + n) && line < (uintptr_t)code + 256;
	    line += 64)
		policy_os_prefetch((const void *)line);
	/* a program that starts with BOL can only match from position 0 */
	anchored = start > 0 || (n > 0 && code[0].rx_op == POLICY_RX_BOL);
	cur->n = 0;
	memset(cur->seen, 0, sizeof(cur->seen));
	policy_rx_add(code, n, cur, 0, start, end);
	for (pos = start;; pos++) {
		unsigned char c;

		for (i = 0; i < cur->n; i++)
			if (code[cur->pc[i]].rx_op == POLICY_RX_MATCH)
				return true;
		if (pos == len) {
			if (open)
				memcpy(seen, cur->seen, sizeof(cur->seen));
			return false;
		}
		c = (unsigned char)s[pos];
		nxt->n = 0;
		memset(nxt->seen, 0, sizeof(nxt->seen));
		for (i = 0; i < cur->n; i++) {
			const struct policy_rxinsn *in = &code[cur->pc[i]];
			bool ok;

			switch (in->rx_op) {
			case POLICY_RX_CHAR:
				ok = c == in->rx_arg;
				break;
			case POLICY_RX_ANY:
				ok = true;
				break;
			case POLICY_RX_CLASS:
				ok = (p->p_classes[in->rx_arg * 32 + (c >> 3)] >>
				    (c & 7)) & 1;
				break;
			default:
				ok = false;
				break;
			}
			if (ok)
				policy_rx_add(code, n, nxt, cur->pc[i] + 1,
				    pos + 1, end);
		}
		/* Unanchored search: a match may also start here. */
		if (!anchored)
			policy_rx_add(code, n, nxt, 0, pos + 1, end);
		else if (nxt->n == 0 && !open)
			return false;	/* no thread left, none can start */
		t = cur;
		cur = nxt;
		nxt = t;
	}
}

/* Does program prog match s[0..len)?  With start 0, anywhere (or from 0
 * if it begins with BOL); else only from position start, as a regex's
 * tail does after its head (start <= len). */
bool
policy_rx_exec(const struct policy *p, uint32_t prog, const char *s,
    size_t len, size_t start)
{
	return policy_rx_run(p, prog, s, len, start, false, NULL);
}

/* Where program prog stands after s[0..len) with more to come. */
void
policy_rx_states(const struct policy *p, uint32_t prog, const char *s,
    size_t len, size_t start, uint8_t seen[POLICY_RX_MAX / 8], bool *matched)
{
	memset(seen, 0, POLICY_RX_MAX / 8);
	*matched = policy_rx_run(p, prog, s, len, start, true, seen);
}
