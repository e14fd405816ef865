/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Backends: the list's text form, the choice of a backend (round-robin or
 * source hash, skipping backends marked down), down marks and recovery.
 * Pure logic: the clock is the caller's.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "sf_proxy.h"
#include "sf_text.h"

#define ITEM_QUOTE_MAX	48	/* longest item echoed in an error */
#define PORT_DIGITS_MAX	5	/* "65535" */
#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

/*
 * The address part [b, e) of an item: "a.b.c.d" or "[v6]".
 * @return 0, or -1 with @p why set.
 */
static int
parse_host(const char *b, const char *e, struct sf_proxy_addr *a,
	   const char **why)
{
	char txt[INET6_ADDRSTRLEN];
	size_t n;
	bool v6 = b < e && *b == '[';

	if (v6) {
		if (e - b < 2 || e[-1] != ']') {
			*why = "has no ']' after the IPv6 address";
			return -1;
		}
		b++;
		e--;
	}
	n = (size_t)(e - b);
	if (n == 0 || n >= sizeof(txt)) {
		*why = "is not an IPv4 address or a [IPv6] address";
		return -1;
	}
	memcpy(txt, b, n);
	txt[n] = '\0';
	if (v6 && inet_pton(AF_INET6, txt, a->addr) == 1) {
		a->family = SF_AF_INET6;
		return 0;
	}
	if (!v6 && inet_pton(AF_INET, txt, a->addr) == 1) {
		a->family = SF_AF_INET;
		return 0;
	}
	*why = strchr(txt, ':') != NULL && !v6 ?
		"is an IPv6 address without brackets ([ADDR]:PORT)" :
		"is not an IPv4 address or a [IPv6] address";
	return -1;
}

/* One item [b, e), trimmed. @return 0, or -1 with @p why set. */
static int
parse_item(const char *b, const char *e, struct sf_proxy_addr *a,
	   const char **why)
{
	const char *colon;
	uint32_t port;

	memset(a, 0, sizeof(*a));
	if (b == e) {
		*why = "is an empty item";
		return -1;
	}
	colon = e;
	while (colon > b && colon[-1] != ':' && colon[-1] != ']')
		colon--;
	if (colon == b || colon[-1] != ':') {
		*why = "has no ':PORT'";
		return -1;
	}
	/* at most five digits: "080" is a port, "000080" is not */
	if (e - colon > PORT_DIGITS_MAX ||
	    sf_text_u32(colon, e, 1, UINT16_MAX, &port) != 0) {
		*why = "has no port in 1..65535";
		return -1;
	}
	a->port = (uint16_t)port;
	return parse_host(b, colon - 1, a, why);
}

int
sf_proxy_backends_parse(const char *text, struct sf_proxy_addr *out,
			unsigned int max, char *err, size_t len)
{
	char q[ITEM_QUOTE_MAX + 4];
	const char *p = text, *b = text, *e = text, *why = NULL;
	unsigned int n = 0, i;
	int more;

	do {
		struct sf_proxy_addr a;

		more = sf_text_item(&p, &b, &e);
		sf_text_trim(&b, &e, SF_TEXT_BLANKS);
		if (parse_item(b, e, &a, &why) != 0)
			goto bad;
		for (i = 0; i < n; i++)
			if (memcmp(&out[i], &a, sizeof(a)) == 0)
				break;
		if (i < n) {
			why = "is given twice";
			goto bad;
		}
		if (n == max) {
			snprintf(err, len, "more than %u backends", max);
			return -1;
		}
		out[n++] = a;
	} while (more);
	return (int)n;
bad:
	snprintf(err, len, "'%s' %s", sf_text_quote(b, e, q, sizeof(q)), why);
	return -1;
}

const char *
sf_proxy_addr_str(const struct sf_proxy_addr *a, char *buf, size_t len)
{
	char txt[INET6_ADDRSTRLEN];

	if (a->family == SF_AF_INET &&
	    inet_ntop(AF_INET, a->addr, txt, sizeof(txt)) != NULL)
		snprintf(buf, len, "%s:%u", txt, a->port);
	else if (a->family == SF_AF_INET6 &&
		 inet_ntop(AF_INET6, a->addr, txt, sizeof(txt)) != NULL)
		snprintf(buf, len, "[%s]:%u", txt, a->port);
	else
		snprintf(buf, len, "?");
	return buf;
}

void
sf_proxy_backends_init(struct sf_proxy_backends *b,
		       const struct sf_proxy_addr *addrs, unsigned int n,
		       enum sf_proxy_balance balance, uint64_t down_tsc,
		       uint32_t fall)
{
	unsigned int i;

	memset(b, 0, sizeof(*b));
	b->n = RTE_MIN(n, (unsigned int)SF_PROXY_MAX_BACKENDS);
	b->balance = balance;
	b->down_tsc = down_tsc;
	b->fall = RTE_MAX(fall, 1u);
	for (i = 0; i < b->n; i++)
		b->be[i].addr = addrs[i];
}

bool
sf_proxy_backend_is_down(const struct sf_proxy_backends *b, unsigned int i,
			 uint64_t now)
{
	return now < b->be[i].down_until;
}

int
sf_proxy_backend_pick(struct sf_proxy_backends *b, uint32_t hash,
		      uint32_t tried, uint64_t now)
{
	unsigned int start, i, idx;

	if (b->n == 0)
		return -1;
	start = b->balance == SF_PROXY_RR ? b->rr_next % b->n : hash % b->n;
	for (i = 0; i < b->n; i++) {
		idx = (start + i) % b->n;
		if ((tried & (1u << idx)) != 0 ||
		    sf_proxy_backend_is_down(b, idx, now))
			continue;
		if (tried == 0 && b->balance == SF_PROXY_RR)
			b->rr_next = idx + 1;
		return (int)idx;
	}
	return -1;
}

void
sf_proxy_backend_fail(struct sf_proxy_backends *b, unsigned int i,
		      uint64_t now)
{
	struct sf_proxy_backend *be = &b->be[i];

	be->failures++;
	if (be->fails < UINT32_MAX)
		be->fails++;
	/* down_tsc 0: never skipped, but at least counted */
	if (be->fails >= b->fall)
		be->down_until = now + b->down_tsc;
}

void
sf_proxy_backend_ok(struct sf_proxy_backends *b, unsigned int i)
{
	b->be[i].down_until = 0;
	b->be[i].fails = 0;
}

uint32_t
sf_proxy_source_hash(const struct sf_flow *f)
{
	unsigned int i, n = f->family == SF_AF_INET ? 4 : 16;
	uint32_t h = FNV_OFFSET;

	h = (h ^ f->family) * FNV_PRIME;
	for (i = 0; i < n; i++)
		h = (h ^ f->cli_addr[i]) * FNV_PRIME;
	return h;
}
