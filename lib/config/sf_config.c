/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Configuration: one table of settings drives the INI loader, the
 * command-line options, the usage text and the telemetry dictionary, so the
 * four can never disagree on a name, a range or a default.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_telemetry.h>

#include "sf_config.h"
#include "sf_cookie.h"
#include "sf_net.h"

/* Defaults (also documented in sf_config.h and config/synfront.ini). */
#define SF_DEF_VIP4		"198.18.0.2"
#define SF_DEF_VIP6		"2001:2::2"
#define SF_DEF_PORT		80
#define SF_DEF_MSS_MAX		1460
#define SF_DEF_WSCALE		7
#define SF_DEF_WINDOW		65535
#define SF_DEF_RST_RATE		1000
#define SF_DEF_ENTRIES		1048576
#define SF_DEF_IDLE_TIMEOUT	300
#define SF_DEF_RING_SIZE	4096
#define SF_DEF_LOG_FILE		"-"
#define SF_DEF_PERIOD		1
#define SF_DEF_DESC		1024

/* Ranges. */
#define SF_MSS_MIN		536
#define SF_MSS_MAX		9000
#define SF_WSCALE_MAX		14
#define SF_RST_RATE_MAX		10000000
#define SF_ENTRIES_MIN		64
#define SF_ENTRIES_MAX		(1u << 26)
#define SF_IDLE_MAX		86400
#define SF_RING_MIN		64
#define SF_RING_MAX		(1u << 20)
#define SF_PERIOD_MAX		3600
#define SF_DESC_MIN		32
#define SF_DESC_MAX		16384
#define SF_MTU_MIN		576
#define SF_MTU_MAX		9600
#define SF_PORT_MAX		65535

#define SF_QUOTE_MAX		64	/**< longest value echoed in an error */
#define SF_REASON_LEN		192	/**< reason part of an error */
#define SF_VIP_STR_LEN		INET6_ADDRSTRLEN

/* INI line buffer as rte_cfgfile reads it: name, value, " = " and "\n". */
#define SF_INI_LINE_LEN		(CFG_NAME_LEN + CFG_VALUE_LEN + 4)

/* getopt_long: values of the options that are not settings. */
#define SF_OPT_HELP		'h'
#define SF_OPT_CONFIG		256
#define SF_OPT_SETTING		512	/**< + index into sf_settings[] */

/** How a setting's text is parsed. */
enum sf_type {
	SF_T_VIPS,	/**< address list */
	SF_T_PORTS,	/**< port list with ranges */
	SF_T_KEY,	/**< 32 hex digits -> keys.cur */
	SF_T_PREV_KEY,	/**< 32 hex digits -> keys.prev */
	SF_T_UINT,	/**< decimal in min..max */
	SF_T_POW2,	/**< decimal power of two in min..max */
	SF_T_MTU,	/**< 0, or decimal in min..max */
	SF_T_BOOL,	/**< on/off and synonyms */
	SF_T_CHOICE,	/**< one word of a list */
	SF_T_PATH,	/**< a file name */
};

/** The C type of the field a number, bool or choice is stored in. */
enum sf_field {
	SF_F_NONE,
	SF_F_U8,
	SF_F_U16,
	SF_F_U32,
	SF_F_BOOL,
	SF_F_CONSUMER,
};

/** One word of a SF_T_CHOICE setting and the value it stores. */
struct sf_choice {
	const char *name;
	uint32_t value;
};

/** One setting: INI [section] key, its option, its type. */
struct sf_setting {
	const char *section;
	const char *key;
	const char *opt;	/**< long option without "--" */
	const char *alias;	/**< second spelling, or NULL */
	const char *arg;	/**< value syntax for the usage text */
	const char *help;
	enum sf_type type;
	enum sf_field field;
	size_t off;		/**< offsetof(struct sf_config, ...) */
	uint32_t min;
	uint32_t max;
	const struct sf_choice *choices;	/**< NULL-terminated */
};

static const struct sf_choice sf_closed_port_choices[] = {
	{ "rst", 1 },
	{ "drop", 0 },
	{ NULL, 0 },
};

static const struct sf_choice sf_consumer_choices[] = {
	{ "sink", SF_CONSUMER_SINK },
	{ "log", SF_CONSUMER_LOG },
	{ "none", SF_CONSUMER_NONE },
	{ NULL, 0 },
};

#define SF_OFF(member)	offsetof(struct sf_config, member)

static const struct sf_setting sf_settings[] = {
	{ .section = "listen", .key = "vip", .opt = "vip",
	  .arg = "ADDR[,ADDR...]",
	  .help = "listening addresses",
	  .type = SF_T_VIPS },
	{ .section = "listen", .key = "ports", .opt = "ports",
	  .arg = "PORT[,LO-HI...]",
	  .help = "listening TCP ports and ranges",
	  .type = SF_T_PORTS },
	{ .section = "cookie", .key = "key", .opt = "key",
	  .arg = "HEX32", .help = "SYN cookie key",
	  .type = SF_T_KEY },
	{ .section = "cookie", .key = "previous_key", .opt = "previous-key",
	  .arg = "HEX32", .help = "old key, still accepted",
	  .type = SF_T_PREV_KEY },
	{ .section = "tcp", .key = "mss_max", .opt = "mss-max",
	  .arg = "N", .help = "largest MSS announced",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(mss_max),
	  .min = SF_MSS_MIN, .max = SF_MSS_MAX },
	{ .section = "tcp", .key = "wscale", .opt = "wscale",
	  .arg = "N", .help = "our window scale shift",
	  .type = SF_T_UINT, .field = SF_F_U8, .off = SF_OFF(wscale),
	  .min = 0, .max = SF_WSCALE_MAX },
	{ .section = "tcp", .key = "timestamps", .opt = "timestamps",
	  .arg = "on|off", .help = "answer the timestamp option",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(timestamps) },
	{ .section = "tcp", .key = "sack", .opt = "sack",
	  .arg = "on|off", .help = "answer SACK-permitted",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(sack) },
	{ .section = "tcp", .key = "window_scaling", .opt = "window-scaling",
	  .arg = "on|off", .help = "answer the window scale option",
	  .type = SF_T_BOOL, .field = SF_F_BOOL,
	  .off = SF_OFF(window_scaling) },
	{ .section = "tcp", .key = "window", .opt = "window",
	  .arg = "N", .help = "advertised window field",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(window),
	  .min = 1, .max = UINT16_MAX },
	{ .section = "policy", .key = "closed_port", .opt = "closed-port",
	  .arg = "rst|drop", .help = "answer to a closed port of a VIP",
	  .type = SF_T_CHOICE, .field = SF_F_BOOL,
	  .off = SF_OFF(closed_port_rst), .choices = sf_closed_port_choices },
	{ .section = "policy", .key = "rst_rate", .opt = "rst-rate",
	  .arg = "N", .help = "RSTs/s per lcore, 0 = none",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(rst_rate),
	  .min = 0, .max = SF_RST_RATE_MAX },
	{ .section = "policy", .key = "challenge_ack_rate",
	  .opt = "challenge-ack-rate",
	  .arg = "N", .help = "challenge ACKs/s per lcore, 0 = none",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(challenge_ack_rate),
	  .min = 0, .max = SF_RST_RATE_MAX },
	{ .section = "conn", .key = "entries_per_lcore",
	  .opt = "entries-per-lcore",
	  .arg = "N", .help = "connections per lcore",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(entries_per_lcore),
	  .min = SF_ENTRIES_MIN, .max = SF_ENTRIES_MAX },
	{ .section = "conn", .key = "idle_timeout_s", .opt = "idle-timeout",
	  .alias = "idle-timeout-s",
	  .arg = "SECONDS", .help = "idle connections expire after",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(idle_timeout_s),
	  .min = 1, .max = SF_IDLE_MAX },
	{ .section = "handoff", .key = "ring_size", .opt = "ring-size",
	  .arg = "N", .help = "events per ring, a power of two",
	  .type = SF_T_POW2, .field = SF_F_U32, .off = SF_OFF(ring_size),
	  .min = SF_RING_MIN, .max = SF_RING_MAX },
	{ .section = "handoff", .key = "consumer", .opt = "consumer",
	  .arg = "sink|log|none", .help = "who drains the rings",
	  .type = SF_T_CHOICE, .field = SF_F_CONSUMER,
	  .off = SF_OFF(consumer), .choices = sf_consumer_choices },
	{ .section = "handoff", .key = "log_file", .opt = "log-file",
	  .arg = "FILE", .help = "log output, - = stdout",
	  .type = SF_T_PATH, .off = SF_OFF(log_file) },
	{ .section = "stats", .key = "period_s", .opt = "stats-period",
	  .alias = "period-s",
	  .arg = "SECONDS", .help = "stats line period, 0 = final only",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(period_s),
	  .min = 0, .max = SF_PERIOD_MAX },
	{ .section = "port", .key = "rx_desc", .opt = "rx-desc",
	  .arg = "N", .help = "RX descriptors per queue",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(rx_desc),
	  .min = SF_DESC_MIN, .max = SF_DESC_MAX },
	{ .section = "port", .key = "tx_desc", .opt = "tx-desc",
	  .arg = "N", .help = "TX descriptors per queue",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(tx_desc),
	  .min = SF_DESC_MIN, .max = SF_DESC_MAX },
	{ .section = "port", .key = "mtu", .opt = "mtu",
	  .arg = "N", .help = "port MTU, 0 = keep the port's",
	  .type = SF_T_MTU, .field = SF_F_U16, .off = SF_OFF(mtu),
	  .min = SF_MTU_MIN, .max = SF_MTU_MAX },
	{ .section = "port", .key = "promiscuous", .opt = "promiscuous",
	  .arg = "on|off", .help = "promiscuous mode",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(promiscuous) },
};

#define SF_N_SETTINGS	RTE_DIM(sf_settings)

/* Sections in the order of the usage text and the example files. */
static const char *const sf_sections[] = {
	"listen", "cookie", "tcp", "policy", "conn", "handoff", "stats", "port",
};

/*
 * Small helpers
 */

static bool
sf_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		c == '\v' || c == '\f';
}

/*
 * Write a one-line error into @p err (SF_CONFIG_ERR_LEN, truncated). Every
 * non-printable character (from a path, a section or key name) becomes
 * '?', so the message stays one line and carries no terminal escapes.
 */
static void __rte_format_printf(2, 3)
sf_err(char *err, const char *fmt, ...)
{
	va_list ap;
	char *c;

	va_start(ap, fmt);
	vsnprintf(err, SF_CONFIG_ERR_LEN, fmt, ap);
	va_end(ap);
	for (c = err; *c != '\0'; c++)
		if (!isprint((unsigned char)*c))
			*c = '?';
}

/*
 * Copy @p s for an error message: printable characters only (the message
 * stays one line), cut at SF_QUOTE_MAX with "...". @p len >= 8.
 */
static const char *
sf_quote(const char *s, char *buf, size_t len)
{
	size_t i, n = strlen(s);
	size_t keep = RTE_MIN(n, RTE_MIN((size_t)SF_QUOTE_MAX, len - 4));

	for (i = 0; i < keep; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (keep < n) {
		memcpy(buf + keep, "...", 3);
		keep += 3;
	}
	buf[keep] = '\0';
	return buf;
}

/* Copy [b, e) into @p buf, cut to @p len - 1 characters. */
static const char *
sf_span(const char *b, const char *e, char *buf, size_t len)
{
	size_t n = RTE_MIN((size_t)(e - b), len - 1);

	memcpy(buf, b, n);
	buf[n] = '\0';
	return buf;
}

/* Trim [*s, *e) of blanks. */
static void
sf_trim(const char **s, const char **e)
{
	while (*s < *e && sf_is_space(**s))
		(*s)++;
	while (*e > *s && sf_is_space((*e)[-1]))
		(*e)--;
}

/*
 * Strict unsigned decimal: digits only (no sign, blank or prefix), no
 * overflow, not empty.
 * @return 0, -EINVAL (not a number) or -ERANGE (outside min..max).
 */
static int
sf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* sf_parse_u32 on [s, e). */
static int
sf_parse_u32_span(const char *s, const char *e, uint32_t min, uint32_t max,
		  uint32_t *out)
{
	char tmp[16];
	size_t n = (size_t)(e - s);

	if (n == 0)
		return -EINVAL;
	if (n >= sizeof(tmp)) {
		/* all digits: too large; anything else: not a number */
		while (s < e && isdigit((unsigned char)*s))
			s++;
		return s == e ? -ERANGE : -EINVAL;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return sf_parse_u32(tmp, min, max, out);
}

/* on/off, yes/no, true/false, 1/0 (case-insensitive). @return 0/1, -1. */
static int
sf_parse_bool(const char *s)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* ::ffff:a.b.c.d */
static bool
sf_v4mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

static bool
sf_vip_unicast(const struct sf_vip *v)
{
	static const uint8_t zero[16];

	if (v->family == SF_AF_INET) {
		if (memcmp(v->addr, zero, 4) == 0)
			return false;			/* 0.0.0.0 */
		if ((v->addr[0] & 0xf0) == 0xe0)
			return false;			/* 224.0.0.0/4 */
		if (v->addr[0] == 0xff && v->addr[1] == 0xff &&
		    v->addr[2] == 0xff && v->addr[3] == 0xff)
			return false;			/* broadcast */
		return true;
	}
	if (memcmp(v->addr, zero, 16) == 0)
		return false;				/* :: */
	return v->addr[0] != 0xff;			/* ff00::/8 */
}

/*
 * Field access
 */

static uint32_t
sf_field_get(const struct sf_config *cfg, const struct sf_setting *s)
{
	const char *p = (const char *)cfg + s->off;

	switch (s->field) {
	case SF_F_U8:
		return *(const uint8_t *)p;
	case SF_F_U16:
		return *(const uint16_t *)(const void *)p;
	case SF_F_U32:
		return *(const uint32_t *)(const void *)p;
	case SF_F_BOOL:
		return *(const bool *)p;
	case SF_F_CONSUMER:
		return (uint32_t)*(const enum sf_consumer *)(const void *)p;
	case SF_F_NONE:
		break;
	}
	return 0;
}

static void
sf_field_set(struct sf_config *cfg, const struct sf_setting *s, uint32_t v)
{
	char *p = (char *)cfg + s->off;

	switch (s->field) {
	case SF_F_U8:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case SF_F_U16:
		*(uint16_t *)(void *)p = (uint16_t)v;
		break;
	case SF_F_U32:
		*(uint32_t *)(void *)p = v;
		break;
	case SF_F_BOOL:
		*(bool *)p = v != 0;
		break;
	case SF_F_CONSUMER:
		*(enum sf_consumer *)(void *)p = (enum sf_consumer)v;
		break;
	case SF_F_NONE:
		break;
	}
}

static const char *
sf_choice_name(const struct sf_setting *s, uint32_t v)
{
	const struct sf_choice *c;

	for (c = s->choices; c->name != NULL; c++)
		if (c->value == v)
			return c->name;
	return "?";
}

/*
 * Value parsers: each fills @p reason (no prefix) and returns -1 on error,
 * leaving @p cfg unchanged.
 */

static int
sf_parse_vips(struct sf_config *cfg, const char *val, char *reason,
	      size_t rlen)
{
	struct sf_vip vips[SF_CONFIG_MAX_VIPS];
	unsigned int n = 0, i;
	const char *s = val;
	char q[SF_QUOTE_MAX + 4];

	for (;;) {
		const char *comma = strchr(s, ',');
		const char *b = s, *e = comma != NULL ? comma : s + strlen(s);
		char txt[SF_VIP_STR_LEN + 1];
		struct sf_vip v;
		size_t len;

		memset(&v, 0, sizeof(v));
		sf_trim(&b, &e);
		len = (size_t)(e - b);
		if (len == 0) {
			snprintf(reason, rlen, "'%s' has an empty item",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		if (len < sizeof(txt)) {
			memcpy(txt, b, len);
			txt[len] = '\0';
		} else {
			txt[0] = '\0';
		}
		if (strchr(txt, ':') != NULL) {
			if (inet_pton(AF_INET6, txt, v.addr) == 1)
				v.family = SF_AF_INET6;
		} else if (inet_pton(AF_INET, txt, v.addr) == 1) {
			v.family = SF_AF_INET;
		}
		if (v.family == 0) {
			char item[SF_QUOTE_MAX + 1];

			snprintf(reason, rlen,
				 "'%s' is not an IPv4 or IPv6 address",
				 sf_quote(sf_span(b, e, item, sizeof(item)), q,
					  sizeof(q)));
			return -1;
		}
		if (v.family == SF_AF_INET6 && sf_v4mapped(v.addr)) {
			snprintf(reason, rlen,
				 "'%s' is IPv4-mapped: give the IPv4 address",
				 sf_quote(txt, q, sizeof(q)));
			return -1;
		}
		if (!sf_vip_unicast(&v)) {
			snprintf(reason, rlen, "'%s' is not a unicast address",
				 sf_quote(txt, q, sizeof(q)));
			return -1;
		}
		for (i = 0; i < n; i++)
			if (memcmp(&vips[i], &v, sizeof(v)) == 0)
				break;
		if (i == n) {
			if (n == SF_CONFIG_MAX_VIPS) {
				snprintf(reason, rlen,
					 "more than %u addresses",
					 SF_CONFIG_MAX_VIPS);
				return -1;
			}
			vips[n++] = v;
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	memcpy(cfg->vips, vips, n * sizeof(vips[0]));
	cfg->n_vips = n;
	return 0;
}

static int
sf_parse_ports(struct sf_config *cfg, const char *val, char *reason,
	       size_t rlen)
{
	uint16_t ports[SF_CONFIG_MAX_PORTS];
	unsigned int n = 0, i;
	const char *s = val;
	char q[SF_QUOTE_MAX + 4];

	for (;;) {
		const char *comma = strchr(s, ',');
		const char *b = s, *e = comma != NULL ? comma : s + strlen(s);
		const char *dash, *hb, *he;
		char item[SF_QUOTE_MAX + 1];
		uint32_t lo, hi, p;
		int ret;

		sf_trim(&b, &e);
		sf_span(b, e, item, sizeof(item));
		if (b == e) {
			snprintf(reason, rlen, "'%s' has an empty item",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		dash = memchr(b, '-', (size_t)(e - b));
		he = dash != NULL ? dash : e;
		hb = b;
		sf_trim(&hb, &he);
		ret = sf_parse_u32_span(hb, he, 1, SF_PORT_MAX, &lo);
		if (ret == 0 && dash != NULL) {
			hb = dash + 1;
			he = e;
			sf_trim(&hb, &he);
			ret = sf_parse_u32_span(hb, he, 1, SF_PORT_MAX, &hi);
		} else {
			hi = lo;
		}
		if (ret == -EINVAL) {
			snprintf(reason, rlen, "'%s' is not a port or a range",
				 sf_quote(item, q, sizeof(q)));
			return -1;
		}
		if (ret == -ERANGE) {
			snprintf(reason, rlen, "'%s' is out of range 1..%u",
				 sf_quote(item, q, sizeof(q)), SF_PORT_MAX);
			return -1;
		}
		if (lo > hi) {
			snprintf(reason, rlen,
				 "'%s' is an empty range (first > last)",
				 sf_quote(item, q, sizeof(q)));
			return -1;
		}
		for (p = lo; p <= hi; p++) {
			for (i = 0; i < n; i++)
				if (ports[i] == p)
					break;
			if (i < n)
				continue;
			if (n == SF_CONFIG_MAX_PORTS) {
				snprintf(reason, rlen, "more than %u ports",
					 SF_CONFIG_MAX_PORTS);
				return -1;
			}
			ports[n++] = (uint16_t)p;
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	memcpy(cfg->ports, ports, n * sizeof(ports[0]));
	cfg->n_ports = n;
	return 0;
}

/* Apply one textual value to one setting. */
static int
sf_apply(struct sf_config *cfg, const struct sf_setting *s, const char *val,
	 char *reason, size_t rlen)
{
	char q[SF_QUOTE_MAX + 4];
	struct sf_siphash_key key;
	const struct sf_choice *c;
	uint32_t v;
	int ret;

	if (val[0] == '\0') {
		snprintf(reason, rlen, "empty value");
		return -1;
	}
	switch (s->type) {
	case SF_T_VIPS:
		return sf_parse_vips(cfg, val, reason, rlen);
	case SF_T_PORTS:
		return sf_parse_ports(cfg, val, reason, rlen);
	case SF_T_KEY:
	case SF_T_PREV_KEY:
		/* a key is a secret: a wrong one is never echoed */
		if (sf_cookie_key_parse(val, &key) != 0) {
			snprintf(reason, rlen,
				 "not 32 hex digits (value not shown)");
			return -1;
		}
		if (s->type == SF_T_KEY) {
			cfg->keys.cur = key;
			cfg->key_set = true;
		} else {
			cfg->keys.prev = key;
			cfg->keys.has_prev = 1;
		}
		return 0;
	case SF_T_UINT:
	case SF_T_POW2:
		ret = sf_parse_u32(val, s->min, s->max, &v);
		if (ret == -EINVAL) {
			snprintf(reason, rlen, "'%s' is not a number",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		if (ret == -ERANGE) {
			snprintf(reason, rlen, "'%s' is out of range %u..%u",
				 sf_quote(val, q, sizeof(q)), s->min, s->max);
			return -1;
		}
		if (s->type == SF_T_POW2 && !rte_is_power_of_2(v)) {
			snprintf(reason, rlen, "'%s' is not a power of two",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		sf_field_set(cfg, s, v);
		return 0;
	case SF_T_MTU:
		ret = sf_parse_u32(val, 0, s->max, &v);
		if (ret == -EINVAL) {
			snprintf(reason, rlen, "'%s' is not a number",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		if (ret == -ERANGE || (v != 0 && v < s->min)) {
			snprintf(reason, rlen,
				 "'%s' is out of range (0 or %u..%u)",
				 sf_quote(val, q, sizeof(q)), s->min, s->max);
			return -1;
		}
		sf_field_set(cfg, s, v);
		return 0;
	case SF_T_BOOL:
		ret = sf_parse_bool(val);
		if (ret < 0) {
			snprintf(reason, rlen,
				 "'%s' is not on/off (yes/no, true/false, 1/0)",
				 sf_quote(val, q, sizeof(q)));
			return -1;
		}
		sf_field_set(cfg, s, (uint32_t)ret);
		return 0;
	case SF_T_CHOICE:
		for (c = s->choices; c->name != NULL; c++) {
			if (strcmp(val, c->name) == 0) {
				sf_field_set(cfg, s, c->value);
				return 0;
			}
		}
		snprintf(reason, rlen, "'%s' is not one of %s",
			 sf_quote(val, q, sizeof(q)), s->arg);
		return -1;
	case SF_T_PATH:
		if (strlen(val) >= SF_CONFIG_PATH_LEN) {
			snprintf(reason, rlen, "longer than %u characters",
				 SF_CONFIG_PATH_LEN - 1);
			return -1;
		}
		strcpy((char *)cfg + s->off, val);
		return 0;
	}
	snprintf(reason, rlen, "internal error");
	return -1;
}

/* Text of a setting's current value (usage defaults). */
static const char *
sf_value_str(const struct sf_config *cfg, const struct sf_setting *s,
	     char *buf, size_t len)
{
	char a[SF_VIP_STR_LEN];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	switch (s->type) {
	case SF_T_VIPS:
		for (i = 0; i < cfg->n_vips && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
				i > 0 ? "," : "",
				sf_vip_str(&cfg->vips[i], a, sizeof(a)));
		break;
	case SF_T_PORTS:
		for (i = 0; i < cfg->n_ports && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
				i > 0 ? "," : "", cfg->ports[i]);
		break;
	case SF_T_KEY:
		snprintf(buf, len, "%s", cfg->key_set ? "set" :
			 "random at start");
		break;
	case SF_T_PREV_KEY:
		snprintf(buf, len, "%s", cfg->keys.has_prev ? "set" : "none");
		break;
	case SF_T_UINT:
	case SF_T_POW2:
	case SF_T_MTU:
		snprintf(buf, len, "%u", sf_field_get(cfg, s));
		break;
	case SF_T_BOOL:
		snprintf(buf, len, "%s", sf_field_get(cfg, s) ? "on" : "off");
		break;
	case SF_T_CHOICE:
		snprintf(buf, len, "%s",
			 sf_choice_name(s, sf_field_get(cfg, s)));
		break;
	case SF_T_PATH:
		snprintf(buf, len, "%s", (const char *)cfg + s->off);
		break;
	}
	return buf;
}

/*
 * Public API
 */

void
sf_config_defaults(struct sf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vips[0].family = SF_AF_INET;
	inet_pton(AF_INET, SF_DEF_VIP4, cfg->vips[0].addr);
	cfg->vips[1].family = SF_AF_INET6;
	inet_pton(AF_INET6, SF_DEF_VIP6, cfg->vips[1].addr);
	cfg->n_vips = 2;
	cfg->ports[0] = SF_DEF_PORT;
	cfg->n_ports = 1;
	cfg->key_set = false;
	cfg->keys.has_prev = 0;
	cfg->mss_max = SF_DEF_MSS_MAX;
	cfg->wscale = SF_DEF_WSCALE;
	cfg->timestamps = true;
	cfg->sack = true;
	cfg->window_scaling = true;
	cfg->window = SF_DEF_WINDOW;
	cfg->closed_port_rst = true;
	cfg->rst_rate = SF_DEF_RST_RATE;
	cfg->challenge_ack_rate = SF_DEF_RST_RATE;
	cfg->entries_per_lcore = SF_DEF_ENTRIES;
	cfg->idle_timeout_s = SF_DEF_IDLE_TIMEOUT;
	cfg->ring_size = SF_DEF_RING_SIZE;
	cfg->consumer = SF_CONSUMER_SINK;
	strcpy(cfg->log_file, SF_DEF_LOG_FILE);
	cfg->period_s = SF_DEF_PERIOD;
	cfg->rx_desc = SF_DEF_DESC;
	cfg->tx_desc = SF_DEF_DESC;
	cfg->mtu = 0;
	cfg->promiscuous = false;
	cfg->config_file[0] = '\0';
}

/*
 * One line of an INI file, comment already removed, for sf_ini_lint():
 * updates @p section on a heading.
 */
static int
sf_ini_lint_line(const char *path, unsigned int lineno, const char *b,
		 const char *e, char section[CFG_NAME_LEN],
		 char err[SF_CONFIG_ERR_LEN])
{
	char txt[SF_QUOTE_MAX + 1], q[SF_QUOTE_MAX + 4];
	const char *nb, *ne, *vb, *ve;

	if (*b == '[') {
		nb = b + 1;
		ne = memchr(b, ']', (size_t)(e - b));
		if (ne == NULL) {
			sf_err(err, "%s: line %u: missing ']'", path, lineno);
			return -1;
		}
		if (ne + 1 != e) {
			sf_err(err, "%s: line %u: text after ']'", path,
			       lineno);
			return -1;
		}
		sf_trim(&nb, &ne);
		if (nb == ne || (size_t)(ne - nb) >= CFG_NAME_LEN) {
			sf_err(err, "%s: line %u: bad section name", path,
			       lineno);
			return -1;
		}
		sf_span(nb, ne, section, CFG_NAME_LEN);
		return 0;
	}
	ne = memchr(b, '=', (size_t)(e - b));
	if (ne == NULL) {
		/* rte_cfgfile would skip the line silently */
		sf_span(b, e, txt, sizeof(txt));
		sf_err(err,
		       "%s: line %u: '%s' is not 'key = value' or '[section]'",
		       path, lineno, sf_quote(txt, q, sizeof(q)));
		return -1;
	}
	nb = b;
	vb = ne + 1;
	ve = e;
	sf_trim(&nb, &ne);
	sf_trim(&vb, &ve);
	if (nb == ne || (size_t)(ne - nb) >= CFG_NAME_LEN) {
		sf_err(err, "%s: line %u: bad key name", path, lineno);
		return -1;
	}
	sf_span(nb, ne, txt, sizeof(txt));
	if (section[0] == '\0') {
		sf_err(err, "%s: line %u: '%s' is outside any [section]",
		       path, lineno, sf_quote(txt, q, sizeof(q)));
		return -1;
	}
	if (vb == ve) {
		sf_err(err, "%s: [%s] %s: empty value", path, section, txt);
		return -1;
	}
	if ((size_t)(ve - vb) >= CFG_VALUE_LEN) {
		/* rte_cfgfile would truncate it */
		sf_err(err, "%s: [%s] %s: longer than %u characters", path,
		       section, txt, CFG_VALUE_LEN - 1);
		return -1;
	}
	return 0;
}

/*
 * Check the file's syntax line by line the way rte_cfgfile reads it, to
 * report what rte_cfgfile would reject without a reason (or skip, or
 * truncate, silently) as "FILE: line N: reason".
 */
static int
sf_ini_lint(const char *path, char err[SF_CONFIG_ERR_LEN])
{
	char line[SF_INI_LINE_LEN];
	char section[CFG_NAME_LEN] = "";
	unsigned int lineno = 0;
	struct stat st;
	int ret = -1;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		sf_err(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* A FIFO or a device (/dev/zero) would block or never end. */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		sf_err(err, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		const char *b = line, *e;
		char *semi;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			sf_err(err, "%s: line %u: longer than %zu characters",
			       path, lineno, sizeof(line) - 2);
			goto out;
		}
		/* rte_cfgfile: the first ';' not after '\' starts a comment */
		semi = strchr(line, CFG_DEFAULT_COMMENT_CHARACTER);
		if (semi != NULL && (semi == line || semi[-1] != '\\'))
			*semi = '\0';
		e = line + strlen(line);
		sf_trim(&b, &e);
		if (b == e)
			continue;
		if (sf_ini_lint_line(path, lineno, b, e, section, err) != 0)
			goto out;
	}
	if (ferror(f)) {
		sf_err(err, "%s: read error", path);
		goto out;
	}
	ret = 0;
out:
	fclose(f);
	return ret;
}

static const struct sf_setting *
sf_setting_find(const char *section, const char *key, bool *section_known)
{
	unsigned int i;

	*section_known = false;
	for (i = 0; i < SF_N_SETTINGS; i++) {
		if (strcmp(sf_settings[i].section, section) != 0)
			continue;
		*section_known = true;
		if (strcmp(sf_settings[i].key, key) == 0)
			return &sf_settings[i];
	}
	return NULL;
}

int
sf_config_load(struct sf_config *cfg, const char *path,
	       char err[SF_CONFIG_ERR_LEN])
{
	bool seen[SF_N_SETTINGS] = { false };
	struct rte_cfgfile_entry *entries = NULL;
	char reason[SF_REASON_LEN];
	char section[CFG_NAME_LEN];
	struct rte_cfgfile *file;
	struct sf_config tmp;
	int n_sec, i, j, n;
	int ret = -1;

	if (sf_ini_lint(path, err) != 0)
		return -1;
	file = rte_cfgfile_load(path, 0);
	if (file == NULL) {
		sf_err(err, "%s: cannot parse", path);
		return -1;
	}
	/* apply to a copy: on error @p cfg is left as it was */
	tmp = *cfg;
	n_sec = rte_cfgfile_num_sections(file, "", 0);
	for (i = 0; i < n_sec; i++) {
		n = rte_cfgfile_section_num_entries_by_index(file, section, i);
		if (n < 0)
			goto out;
		free(entries);
		entries = calloc(RTE_MAX(n, 1), sizeof(*entries));
		if (entries == NULL) {
			sf_err(err, "%s: out of memory",
			       path);
			goto out;
		}
		n = rte_cfgfile_section_entries_by_index(file, i, section,
							 entries, n);
		if (n == 0) {
			bool known;

			sf_setting_find(section, "", &known);
			if (!known) {
				sf_err(err, "%s: [%s]: unknown section", path,
				       section);
				goto out;
			}
		}
		for (j = 0; j < n; j++) {
			const struct sf_setting *s;
			bool known;

			s = sf_setting_find(section, entries[j].name, &known);
			if (!known) {
				sf_err(err, "%s: [%s]: unknown section", path,
				       section);
				goto out;
			}
			if (s == NULL) {
				sf_err(err, "%s: [%s] %s: unknown key", path,
				       section, entries[j].name);
				goto out;
			}
			if (seen[s - sf_settings]) {
				sf_err(err, "%s: [%s] %s: given twice", path,
				       section, entries[j].name);
				goto out;
			}
			seen[s - sf_settings] = true;
			if (sf_apply(&tmp, s, entries[j].value, reason,
				     sizeof(reason)) != 0) {
				sf_err(err, "%s: [%s] %s: %s", path, section,
				       entries[j].name, reason);
				goto out;
			}
		}
	}
	*cfg = tmp;
	ret = 0;
out:
	free(entries);
	rte_cfgfile_close(file);
	return ret;
}

int
sf_config_validate(const struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN])
{
	unsigned int i;

	if (cfg->n_vips == 0 || cfg->n_vips > SF_CONFIG_MAX_VIPS) {
		sf_err(err, "[listen] vip: %u addresses, need 1..%u",
		       cfg->n_vips, SF_CONFIG_MAX_VIPS);
		return -1;
	}
	for (i = 0; i < cfg->n_vips; i++) {
		if (cfg->vips[i].family != SF_AF_INET &&
		    cfg->vips[i].family != SF_AF_INET6) {
			sf_err(err, "[listen] vip: address %u has no family",
			       i);
			return -1;
		}
	}
	if (cfg->n_ports == 0 || cfg->n_ports > SF_CONFIG_MAX_PORTS) {
		sf_err(err, "[listen] ports: %u ports, need 1..%u",
		       cfg->n_ports, SF_CONFIG_MAX_PORTS);
		return -1;
	}
	for (i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i] == 0) {
			sf_err(err, "[listen] ports: port 0 is not a TCP port");
			return -1;
		}
	}
	if (cfg->keys.has_prev && !cfg->key_set) {
		sf_err(err, "[cookie] previous_key: given without key");
		return -1;
	}
	/* every number within its documented range */
	for (i = 0; i < SF_N_SETTINGS; i++) {
		const struct sf_setting *s = &sf_settings[i];
		uint32_t v;

		if (s->type != SF_T_UINT && s->type != SF_T_POW2 &&
		    s->type != SF_T_MTU)
			continue;
		v = sf_field_get(cfg, s);
		if (s->type == SF_T_MTU && v == 0)
			continue;
		if (v < s->min || v > s->max) {
			sf_err(err, "[%s] %s: %u is out of range %u..%u",
			       s->section, s->key, v, s->min, s->max);
			return -1;
		}
		if (s->type == SF_T_POW2 && !rte_is_power_of_2(v)) {
			sf_err(err, "[%s] %s: %u is not a power of two",
			       s->section, s->key, v);
			return -1;
		}
	}
	if (cfg->consumer != SF_CONSUMER_SINK &&
	    cfg->consumer != SF_CONSUMER_LOG &&
	    cfg->consumer != SF_CONSUMER_NONE) {
		sf_err(err, "[handoff] consumer: unknown consumer %d",
		       (int)cfg->consumer);
		return -1;
	}
	if (memchr(cfg->log_file, '\0', sizeof(cfg->log_file)) == NULL) {
		sf_err(err, "[handoff] log_file: not terminated");
		return -1;
	}
	if (cfg->consumer == SF_CONSUMER_LOG && cfg->log_file[0] == '\0') {
		sf_err(err, "[handoff] log_file: empty while consumer = log");
		return -1;
	}
	return 0;
}

/*
 * Command line
 */

/* getopt_long table: settings (and aliases), --config, --help. */
static void
sf_longopts(struct option *o)
{
	unsigned int i, n = 0;

	for (i = 0; i < SF_N_SETTINGS; i++) {
		o[n++] = (struct option){ sf_settings[i].opt,
			required_argument, NULL, (int)(SF_OPT_SETTING + i) };
		if (sf_settings[i].alias != NULL)
			o[n++] = (struct option){ sf_settings[i].alias,
				required_argument, NULL,
				(int)(SF_OPT_SETTING + i) };
	}
	o[n++] = (struct option){ "config", required_argument, NULL,
		SF_OPT_CONFIG };
	o[n++] = (struct option){ "help", no_argument, NULL, SF_OPT_HELP };
	o[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* Settings, aliases, --config, --help and the terminator. */
#define SF_N_LONGOPTS	(2 * SF_N_SETTINGS + 3)
#define SF_OPTSTRING	"+:h"	/* stop at a non-option, report ':' */

/*
 * Restart getopt. glibc re-initialises completely only on optind = 0
 * (EAL has used getopt, and an earlier parse may have stopped in the
 * middle of an argument): the scan then starts at argv[1].
 */
static void
sf_getopt_reset(void)
{
	optind = 0;
	opterr = 0;
	optarg = NULL;
}

/*
 * The option getopt just rejected with '?': a short option (optopt is its
 * character), or a long one (optopt 0, or --help's value when it was given
 * "=value"), which is argv[optind - 1].
 */
static void
sf_unknown_option(char *const argv[], const struct option *o,
		  char err[SF_CONFIG_ERR_LEN])
{
	const struct option *match = NULL;
	char name[SF_QUOTE_MAX + 1], q[SF_QUOTE_MAX + 4];
	unsigned int i, matches = 0;
	const char *arg;
	size_t n;

	if (optopt != 0 && optopt != SF_OPT_HELP) {
		sf_err(err, "-%c: unknown option",
		       isprint(optopt) ? optopt : '?');
		return;
	}
	arg = argv[optind - 1];
	if (strncmp(arg, "--", 2) == 0)
		arg += 2;
	n = RTE_MIN(strcspn(arg, "="), (size_t)SF_QUOTE_MAX);
	memcpy(name, arg, n);
	name[n] = '\0';
	for (i = 0; o[i].name != NULL; i++) {
		if (strncmp(o[i].name, name, n) == 0) {
			matches++;
			match = &o[i];
		}
	}
	if (matches == 1 && match->has_arg == no_argument)
		sf_err(err, "--%s: takes no value", match->name);
	else if (matches > 1)
		sf_err(err, "--%s: ambiguous option",
		       sf_quote(name, q, sizeof(q)));
	else
		sf_err(err, "--%s: unknown option",
		       sf_quote(name, q, sizeof(q)));
}

int
sf_config_from_args(struct sf_config *cfg, int argc, char **argv,
		    char err[SF_CONFIG_ERR_LEN])
{
	struct option longopts[SF_N_LONGOPTS];
	char reason[SF_REASON_LEN];
	const char *config = NULL;
	bool help = false;
	int opt, idx;

	sf_longopts(longopts);

	/* pass 1: --config and --help only, errors are pass 2's */
	sf_getopt_reset();
	while ((opt = getopt_long(argc, argv, SF_OPTSTRING, longopts,
				  NULL)) != -1) {
		if (opt == SF_OPT_CONFIG)
			config = optarg;
		else if (opt == SF_OPT_HELP)
			help = true;
	}
	sf_config_defaults(cfg);
	if (help) {
		sf_config_usage(stdout, argc > 0 ? argv[0] : NULL);
		return 1;
	}
	if (config != NULL) {
		if (config[0] == '\0') {
			sf_err(err, "--config: empty value");
			return -1;
		}
		if (strlen(config) >= sizeof(cfg->config_file)) {
			sf_err(err, "--config: longer than %zu characters",
			       sizeof(cfg->config_file) - 1);
			return -1;
		}
		if (sf_config_load(cfg, config, err) != 0)
			return -1;
		strcpy(cfg->config_file, config);
	}

	/* pass 2: every other option overrides the file */
	sf_getopt_reset();
	while ((opt = getopt_long(argc, argv, SF_OPTSTRING, longopts,
				  &idx)) != -1) {
		const struct sf_setting *s;

		if (opt == '?') {
			sf_unknown_option(argv, longopts, err);
			return -1;
		}
		if (opt == ':') {
			const char *name = "?";

			if (optopt >= SF_OPT_SETTING &&
			    optopt < (int)(SF_OPT_SETTING + SF_N_SETTINGS))
				name = sf_settings[optopt - SF_OPT_SETTING].opt;
			else if (optopt == SF_OPT_CONFIG)
				name = "config";
			sf_err(err, "--%s: missing value", name);
			return -1;
		}
		if (opt < SF_OPT_SETTING)
			continue;	/* --config, done in pass 1 */
		s = &sf_settings[opt - SF_OPT_SETTING];
		if (sf_apply(cfg, s, optarg, reason, sizeof(reason)) != 0) {
			sf_err(err, "--%s: %s",
			       longopts[idx].name, reason);
			return -1;
		}
	}
	if (optind < argc) {
		char q[SF_QUOTE_MAX + 4];

		sf_err(err, "'%s': unexpected argument",
		       sf_quote(argv[optind], q, sizeof(q)));
		return -1;
	}
	return sf_config_validate(cfg, err);
}

void
sf_config_usage(FILE *f, const char *prog)
{
	struct sf_config def;
	const char *base;
	char buf[128], opt[48];
	unsigned int i, j;

	base = prog != NULL ? strrchr(prog, '/') : NULL;
	base = base != NULL ? base + 1 : prog;
	if (base == NULL || base[0] == '\0')
		base = "synfront";
	sf_config_defaults(&def);

	fprintf(f, "Usage: %s [EAL options] -- [--config FILE] [options]\n\n",
		base);
	fprintf(f,
		"SYN-cookie TCP handshake responder. The options override the\n"
		"INI file given with --config; an option is the file's key\n"
		"with '-' for '_'.\n\n");
	fprintf(f, "  %-26s %s\n", "--config FILE",
		 "INI file read before the options (none)");
	fprintf(f, "  %-26s %s\n", "-h, --help", "this text");
	for (j = 0; j < RTE_DIM(sf_sections); j++) {
		fprintf(f, "\n[%s]\n", sf_sections[j]);
		for (i = 0; i < SF_N_SETTINGS; i++) {
			const struct sf_setting *s = &sf_settings[i];

			if (strcmp(s->section, sf_sections[j]) != 0)
				continue;
			snprintf(opt, sizeof(opt), "--%s %s", s->opt, s->arg);
			fprintf(f, "  %-26s %s (default %s)\n", opt, s->help,
				sf_value_str(&def, s, buf, sizeof(buf)));
			if (s->alias == NULL)
				continue;
			snprintf(opt, sizeof(opt), "--%s %s", s->alias, s->arg);
			fprintf(f, "  %-26s same as --%s\n", opt, s->opt);
		}
	}
	fprintf(f,
		"\nBooleans: on|off, yes|no, true|false, 1|0.\n"
		"Ranges: mss-max %u..%u, wscale 0..%u, window 1..65535,\n"
		"rst-rate 0..%u, entries-per-lcore %u..%u,\n"
		"idle-timeout 1..%u, ring-size %u..%u, stats-period 0..%u,\n"
		"rx-desc and tx-desc %u..%u, mtu 0 or %u..%u.\n",
		SF_MSS_MIN, SF_MSS_MAX, SF_WSCALE_MAX, SF_RST_RATE_MAX,
		SF_ENTRIES_MIN, SF_ENTRIES_MAX, SF_IDLE_MAX, SF_RING_MIN,
		SF_RING_MAX, SF_PERIOD_MAX, SF_DESC_MIN, SF_DESC_MAX,
		SF_MTU_MIN, SF_MTU_MAX);
}

int
sf_config_telemetry(void *tel_data, const void *arg)
{
	struct rte_tel_data *d = tel_data;
	const struct sf_config *cfg = arg;
	char a[SF_VIP_STR_LEN];
	struct rte_tel_data *arr;
	unsigned int i, k;

	rte_tel_data_start_dict(d);
	for (i = 0; i < SF_N_SETTINGS; i++) {
		const struct sf_setting *s = &sf_settings[i];

		switch (s->type) {
		case SF_T_VIPS:
			arr = rte_tel_data_alloc();
			if (arr == NULL)
				break;
			rte_tel_data_start_array(arr, RTE_TEL_STRING_VAL);
			for (k = 0; k < cfg->n_vips &&
			     k < SF_CONFIG_MAX_VIPS; k++)
				rte_tel_data_add_array_string(arr,
					sf_vip_str(&cfg->vips[k], a,
						   sizeof(a)));
			if (rte_tel_data_add_dict_container(d, s->key, arr,
							    0) != 0)
				rte_tel_data_free(arr);
			break;
		case SF_T_PORTS:
			arr = rte_tel_data_alloc();
			if (arr == NULL)
				break;
			rte_tel_data_start_array(arr, RTE_TEL_INT_VAL);
			for (k = 0; k < cfg->n_ports &&
			     k < SF_CONFIG_MAX_PORTS; k++)
				rte_tel_data_add_array_int(arr, cfg->ports[k]);
			if (rte_tel_data_add_dict_container(d, s->key, arr,
							    0) != 0)
				rte_tel_data_free(arr);
			break;
		case SF_T_KEY:
			/* the keys themselves are never shown */
			rte_tel_data_add_dict_int(d, "key_set", cfg->key_set);
			break;
		case SF_T_PREV_KEY:
			rte_tel_data_add_dict_int(d, "previous_key_set",
						  cfg->keys.has_prev != 0);
			break;
		case SF_T_UINT:
		case SF_T_POW2:
		case SF_T_MTU:
			rte_tel_data_add_dict_u64(d, s->key,
						  sf_field_get(cfg, s));
			break;
		case SF_T_BOOL:
			rte_tel_data_add_dict_int(d, s->key,
						  sf_field_get(cfg, s) != 0);
			break;
		case SF_T_CHOICE:
			rte_tel_data_add_dict_string(d, s->key,
				sf_choice_name(s, sf_field_get(cfg, s)));
			break;
		case SF_T_PATH:
			rte_tel_data_add_dict_string(d, s->key,
				(const char *)cfg + s->off);
			break;
		}
	}
	rte_tel_data_add_dict_string(d, "config_file", cfg->config_file);
	return 0;
}

const char *
sf_vip_str(const struct sf_vip *vip, char *buf, size_t len)
{
	int af = vip->family == SF_AF_INET ? AF_INET :
		vip->family == SF_AF_INET6 ? AF_INET6 : -1;

	if (len == 0)
		return buf;
	if (af < 0 || inet_ntop(af, vip->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}
