/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-synflood's option table: each entry parses one option and documents
 * it, so the help text and the parser cannot disagree.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sf_flood_args.h"
#include "sf_text.h"

#define DEFAULT_DST4	"198.18.0.2"
#define DEFAULT_SRC4	"198.18.0.0/15"
#define DEFAULT_SRC6	"2001:2::/48"
#define DURATION_MAX	86400.0
#define RATE_MAX	1e9

struct opt {
	const char *name;
	const char *arg;	/* NULL: a flag */
	const char *help;
	int (*parse)(struct sf_flood_args *a, const char *v);
};

/* Parse a non-negative number with an optional k/M/G suffix. */
static int
num_si(const char *v, double max, double *out)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (end == v || errno != 0 || !isfinite(x) || x < 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		x *= 1e3, end++;
	else if (*end == 'M')
		x *= 1e6, end++;
	else if (*end == 'G')
		x *= 1e9, end++;
	if (*end != '\0' || x > max)
		return -1;
	*out = x;
	return 0;
}

/* A strict decimal in min..max (as the config parser reads numbers). */
static int
num_u16(const char *v, uint16_t min, uint16_t max, uint16_t *out)
{
	uint32_t x;

	if (sf_text_u32(v, v + strlen(v), min, max, &x) != 0)
		return -1;
	*out = (uint16_t)x;
	return 0;
}

/* --seed: any 64-bit number, decimal, 0x hex or 0 octal. */
static int
num_u64(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoull(v, &end, 0);
	if (*end != '\0' || errno != 0)
		return -1;
	*out = x;
	return 0;
}

static int
p_rate(struct sf_flood_args *a, const char *v)
{
	if (strcmp(v, "max") == 0) {
		a->rate = 0;
		return 0;
	}
	return num_si(v, RATE_MAX, &a->rate);
}

static int
p_duration(struct sf_flood_args *a, const char *v)
{
	return num_si(v, DURATION_MAX, &a->duration);
}

static int
p_count(struct sf_flood_args *a, const char *v)
{
	double x;

	if (num_si(v, 1e15, &x) != 0 || x != floor(x))
		return -1;
	a->count = (uint64_t)x;
	return 0;
}

static int
p_drain(struct sf_flood_args *a, const char *v)
{
	return num_si(v, 60, &a->drain);
}

/* An address and its prefix length; sets src_family. */
static int
p_src(struct sf_flood_args *a, const char *v)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	uint16_t len;
	uint8_t family;

	if (strlen(v) >= sizeof(buf))
		return -1;
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	memset(a->src, 0, sizeof(a->src));
	if (inet_pton(AF_INET, buf, a->src) == 1)
		family = SF_AF_INET;
	else if (inet_pton(AF_INET6, buf, a->src) == 1)
		family = SF_AF_INET6;
	else
		return -1;
	if (num_u16(slash + 1, 0, family == SF_AF_INET ? 32 : 128, &len) != 0)
		return -1;
	a->src_family = family;
	a->src_len = (uint8_t)len;
	return 0;
}

static int
p_dst(struct sf_flood_args *a, const char *v)
{
	memset(a->dst, 0, sizeof(a->dst));
	if (inet_pton(AF_INET, v, a->dst) == 1)
		a->family = SF_AF_INET;
	else if (inet_pton(AF_INET6, v, a->dst) == 1)
		a->family = SF_AF_INET6;
	else
		return -1;
	return 0;
}

static int
p_dport(struct sf_flood_args *a, const char *v)
{
	return num_u16(v, 1, UINT16_MAX, &a->dport);
}

static int
p_dst_mac(struct sf_flood_args *a, const char *v)
{
	return rte_ether_unformat_addr(v, &a->dst_mac) == 0 ? 0 : -1;
}

static int
p_opts(struct sf_flood_args *a, const char *v)
{
	a->opts = sf_flood_opts_parse(v);
	return a->opts == SF_FLOOD_OPTS_MAX ? -1 : 0;
}

static int
p_mss(struct sf_flood_args *a, const char *v)
{
	return num_u16(v, 1, UINT16_MAX, &a->mss);
}

static int
p_wscale(struct sf_flood_args *a, const char *v)
{
	uint16_t x;

	if (num_u16(v, 0, SF_TCP_WSCALE_MAX, &x) != 0)
		return -1;
	a->wscale = (uint8_t)x;
	return 0;
}

static int
p_legit(struct sf_flood_args *a, const char *v)
{
	char *end;

	errno = 0;
	a->legit = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !(a->legit >= 0) ||
	    a->legit > 1)
		return -1;
	return 0;
}

static int
p_burst(struct sf_flood_args *a, const char *v)
{
	return num_u16(v, 1, SF_FLOOD_BURST_MAX, &a->burst);
}

static int
p_port(struct sf_flood_args *a, const char *v)
{
	return num_u16(v, 0, RTE_MAX_ETHPORTS - 1, &a->port_id);
}

static int
p_seed(struct sf_flood_args *a, const char *v)
{
	a->seed_set = true;
	return num_u64(v, &a->seed);
}

static int
p_quiet(struct sf_flood_args *a, const char *v)
{
	(void)v;
	a->quiet = true;
	return 0;
}

static const struct opt opts[] = {
	{ "rate", "PPS", "SYNs per second, k/M suffixes; 0 or max: flat out (default max)", p_rate },
	{ "duration", "SEC", "seconds of sending, 0: none (default 10)", p_duration },
	{ "count", "N", "SYNs to send, 0: no count bound (default 0); sending stops at the first bound reached", p_count },
	{ "drain", "SEC", "seconds to keep receiving after the last SYN (default 0.5)", p_drain },
	{ "dst", "ADDR", "target address, IPv4 or IPv6 (default " DEFAULT_DST4 ")", p_dst },
	{ "dst-port", "PORT", "target TCP port (default 80)", p_dport },
	{ "dst-mac", "MAC", "target's (next hop's) MAC (default ff:ff:ff:ff:ff:ff)", p_dst_mac },
	{ "src", "PREFIX", "source prefix, same family as --dst (default " DEFAULT_SRC4 " or " DEFAULT_SRC6 ")", p_src },
	{ "opts", "SET", "SYN options: none | mss | linux (MSS, SACK-perm, TS, NOP, WS) | mix (1/4 none, 1/4 mss, 1/2 linux) (default linux)", p_opts },
	{ "mss", "N", "MSS option value (default 1460)", p_mss },
	{ "wscale", "N", "window scale option value, 0..14 (default 7)", p_wscale },
	{ "legit", "FRACTION", "fraction of flows that answer the SYN-ACK with an ACK, 0..1 (default 0)", p_legit },
	{ "burst", "N", "mbufs per TX burst, 1..256 (default 32)", p_burst },
	{ "port", "ID", "ethdev port to use (default 0)", p_port },
	{ "seed", "N", "random seed (addresses, ports, ISN key; default random)", p_seed },
	{ "quiet", NULL, "no per-second rows, only the summary", p_quiet },
};

void
sf_flood_args_usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [EAL options] -- [options]\n"
		"SYN flood generator: sends SYNs to --dst, counts the SYN-ACKs that answer them.\n\n",
		prog);
	for (size_t i = 0; i < RTE_DIM(opts); i++) {
		char head[40];

		snprintf(head, sizeof(head), "--%s%s%s", opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-20s %s\n", head, opts[i].help);
	}
	fprintf(f, "  %-20s %s\n", "--help", "this text");
}

static void
defaults(struct sf_flood_args *a)
{
	memset(a, 0, sizeof(*a));
	a->duration = 10;
	a->drain = 0.5;
	p_dst(a, DEFAULT_DST4);
	a->dport = 80;
	memset(&a->dst_mac, 0xff, sizeof(a->dst_mac));
	a->opts = SF_FLOOD_OPTS_LINUX;
	a->mss = 1460;
	a->wscale = 7;
	a->burst = 32;
}

static int __rte_format_printf(2, 3)
fail(char err[SF_FLOOD_ERR_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, SF_FLOOD_ERR_LEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct opt *
find_opt(const char *name, size_t len)
{
	for (size_t i = 0; i < RTE_DIM(opts); i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

/* After parsing: the source prefix by family, and the bounds. */
static int
finish(struct sf_flood_args *a, char err[SF_FLOOD_ERR_LEN])
{
	if (a->src_family == 0) {
		p_src(a, a->family == SF_AF_INET ? DEFAULT_SRC4 : DEFAULT_SRC6);
	} else if (a->src_family != a->family) {
		return fail(err, "--src: an IPv%d prefix, but --dst is IPv%d",
			    a->src_family, a->family);
	}
	if (a->duration == 0 && a->count == 0)
		return fail(err, "--duration: 0 needs a --count (a flood is bounded in time or count)");
	return 0;
}

int
sf_flood_args_parse(struct sf_flood_args *a, int argc, char **argv,
		    char err[SF_FLOOD_ERR_LEN])
{
	defaults(a);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *eq, *v;
		const struct opt *o;

		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			sf_flood_args_usage(stdout, argv[0]);
			return 1;
		}
		if (strncmp(s, "--", 2) != 0)
			return fail(err, "%s: not an option (see --help)", s);
		eq = strchr(s + 2, '=');
		o = find_opt(s + 2, eq ? (size_t)(eq - s - 2) : strlen(s + 2));
		if (o == NULL)
			return fail(err, "%s: unknown option (see --help)", s);
		if (o->arg == NULL) {
			if (eq != NULL)
				return fail(err, "--%s: takes no value", o->name);
			v = NULL;
		} else if (eq != NULL) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return fail(err, "--%s: missing %s", o->name, o->arg);
		}
		if (o->parse(a, v) < 0)
			return fail(err, "--%s: bad %s '%s' (%s)", o->name,
				    o->arg, v, o->help);
	}
	return finish(a, err);
}
