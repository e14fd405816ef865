/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Configuration: the table of settings, the defaults, the value parsers
 * both inputs share (sf_cfg_set), the validation and sf_config_foreach().
 * The INI file is read in sf_config_ini.c, the command line in
 * sf_config_args.c.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>

#include "sf_closed.h"
#include "sf_config.h"
#include "sf_config_priv.h"
#include "sf_cookie.h"
#include "sf_net.h"
#include "sf_proxy.h"
#include "sf_text.h"

/* Ranges of the settings. */
#define SF_MSS_MIN		536
#define SF_MSS_MAX		9000
#define SF_RST_RATE_MAX		10000000
#define SF_CHAL_PER_FLOW_MAX	1000	/**< one every millisecond at most */
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
#define SF_CLOCK_OFFSET_MAX	(1u << 30)	/**< about 34 years, in s */
#define SF_RETRIES_MIN		1
#define SF_RETRIES_MAX		30
#define SF_CREDIT_MIN		1024
#define SF_CREDIT_MAX		(1u << 30)	/**< window 65535 << 14 */
#define SF_SEND_STATES_MIN	16
#define SF_SEND_STATES_MAX	(1u << 22)
#define SF_CONNECT_TIMEOUT_MAX	60000	/**< ms */
#define SF_DOWN_MAX		3600000	/**< ms: an hour */
#define SF_FALL_MAX		100	/**< [proxy] fall */
#define SF_PROXY_CONNS_MIN	8	/**< [proxy] max_conns */
#define SF_PROXY_CONNS_MAX	(1u << 24)
#define SF_PROXY_POOL_MIN	63	/**< [proxy] send_pool */
#define SF_PROXY_POOL_MAX	((1u << 20) - 1)

#define SF_REASON_LEN		192	/**< reason part of an error */
#define SF_VIP_STR_LEN		INET6_ADDRSTRLEN
#define SF_VALUE_NAME_LEN	32	/**< a name sf_config_foreach() makes */

static const struct sf_cfg_choice sf_closed_port_choices[] = {
	{ "rst", 1 },
	{ "drop", 0 },
	{ NULL, 0 },
};

static const struct sf_cfg_choice sf_reply_choices[] = {
	{ "auto", SF_REPLY_AUTO },
	{ "on", SF_REPLY_ON },
	{ "off", SF_REPLY_OFF },
	{ NULL, 0 },
};

static const struct sf_cfg_choice sf_consumer_choices[] = {
	{ "sink", SF_CONSUMER_SINK },
	{ "log", SF_CONSUMER_LOG },
	{ "none", SF_CONSUMER_NONE },
	{ "proxy", SF_CONSUMER_PROXY },
	{ NULL, 0 },
};

static const struct sf_cfg_choice sf_balance_choices[] = {
	{ "round-robin", SF_PROXY_RR },
	{ "source-hash", SF_PROXY_SRC_HASH },
	{ NULL, 0 },
};

static const struct sf_cfg_choice sf_xdp_choices[] = {
	{ "auto", SF_XDP_AUTO },
	{ "steer", SF_XDP_STEER },
	{ "whole", SF_XDP_WHOLE },
	{ NULL, 0 },
};

static const struct sf_cfg_choice sf_pp_choices[] = {
	{ "off", SF_PROXY_PP_OFF },
	{ "v1", SF_PROXY_PP_V1 },
	{ "v2", SF_PROXY_PP_V2 },
	{ NULL, 0 },
};

#define SF_OFF(member)	offsetof(struct sf_config, member)

const struct sf_cfg_setting sf_cfg_settings[] = {
	{ .section = "listen", .key = "vip", .opt = "vip",
	  .arg = "ADDR[,ADDR...]",
	  .help = "listening addresses",
	  .def = "198.18.0.2,2001:2::2",
	  .type = SF_T_VIPS },
	{ .section = "listen", .key = "ports", .opt = "ports",
	  .arg = "PORT[,LO-HI...]",
	  .help = "listening TCP ports and ranges",
	  .def = "80",
	  .type = SF_T_PORTS, .min = 1, .max = SF_PORT_MAX },
	/* keys: never on the command line (/proc shows it to every user) */
	{ .section = "cookie", .key = "key",
	  .arg = "HEX32", .help = "SYN cookie key, or use key_file",
	  .unset = "random at start",
	  .type = SF_T_KEY },
	{ .section = "cookie", .key = "previous_key",
	  .arg = "HEX32", .help = "old key, still accepted",
	  .unset = "none",
	  .type = SF_T_PREV_KEY },
	{ .section = "cookie", .key = "key_file", .opt = "key-file",
	  .arg = "PATH",
	  .help = "key (line 1) and previous_key (line 2), mode 0600; re-read on SIGHUP",
	  .unset = "none",
	  .type = SF_T_PATH, .off = SF_OFF(key_file) },
	{ .section = "tcp", .key = "mss_max", .opt = "mss-max",
	  .arg = "N", .help = "largest MSS announced",
	  .def = "1460",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(mss_max),
	  .min = SF_MSS_MIN, .max = SF_MSS_MAX },
	{ .section = "tcp", .key = "wscale", .opt = "wscale",
	  .arg = "N", .help = "our window scale shift",
	  .def = "7",
	  .type = SF_T_UINT, .field = SF_F_U8, .off = SF_OFF(wscale),
	  .min = 0, .max = SF_TCP_WSCALE_MAX },
	{ .section = "tcp", .key = "timestamps", .opt = "timestamps",
	  .arg = "on|off", .help = "answer the timestamp option",
	  .def = "on",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(timestamps) },
	{ .section = "tcp", .key = "sack", .opt = "sack",
	  .arg = "on|off", .help = "answer SACK-permitted",
	  .def = "on",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(sack) },
	{ .section = "tcp", .key = "window_scaling", .opt = "window-scaling",
	  .arg = "on|off", .help = "answer the window scale option",
	  .def = "on",
	  .type = SF_T_BOOL, .field = SF_F_BOOL,
	  .off = SF_OFF(window_scaling) },
	{ .section = "tcp", .key = "window", .opt = "window",
	  .arg = "N", .help = "advertised window field",
	  .def = "65535",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(window),
	  .min = 1, .max = UINT16_MAX },
	{ .section = "tcp", .key = "retries", .opt = "retries",
	  .arg = "N", .help = "retransmission timeouts before a reset (reply channel)",
	  .def = "8",
	  .type = SF_T_UINT, .field = SF_F_U8, .off = SF_OFF(retries),
	  .min = SF_RETRIES_MIN, .max = SF_RETRIES_MAX },
	{ .section = "policy", .key = "closed_port", .opt = "closed-port",
	  .arg = "rst|drop", .help = "answer to a closed port of a VIP",
	  .def = "rst",
	  .type = SF_T_CHOICE, .field = SF_F_BOOL,
	  .off = SF_OFF(closed_port_rst), .choices = sf_closed_port_choices },
	{ .section = "policy", .key = "rst_rate", .opt = "rst-rate",
	  .arg = "N", .help = "RSTs/s per lcore, 0 = none",
	  .def = "1000",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(rst_rate),
	  .min = 0, .max = SF_RST_RATE_MAX },
	{ .section = "policy", .key = "challenge_ack_rate",
	  .opt = "challenge-ack-rate",
	  .arg = "N", .help = "challenge ACKs/s per lcore, 0 = none",
	  .def = "1000",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(challenge_ack_rate),
	  .min = 0, .max = SF_RST_RATE_MAX },
	{ .section = "policy", .key = "challenge_ack_per_flow",
	  .opt = "challenge-ack-per-flow",
	  .arg = "N", .help = "challenge and out-of-window ACKs/s per flow, 0 = no limit",
	  .def = "2",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(challenge_ack_per_flow),
	  .min = 0, .max = SF_CHAL_PER_FLOW_MAX },
	{ .section = "conn", .key = "entries_per_lcore",
	  .opt = "entries-per-lcore",
	  .arg = "N", .help = "connections per lcore",
	  .def = "1048576",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(entries_per_lcore),
	  .min = SF_ENTRIES_MIN, .max = SF_ENTRIES_MAX },
	{ .section = "conn", .key = "idle_timeout_s", .opt = "idle-timeout",
	  .alias = "idle-timeout-s",
	  .arg = "SECONDS", .help = "idle connections expire after",
	  .def = "300",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(idle_timeout_s),
	  .min = 1, .max = SF_IDLE_MAX },
	{ .section = "conn", .key = "closed_rate", .opt = "closed-rate",
	  .arg = "N", .help = "closes/s per lcore remembered 128 s, 0 = off",
	  .def = "10000",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(closed_rate),
	  .min = 0, .max = SF_CLOSED_RATE_MAX },
	{ .section = "handoff", .key = "ring_size", .opt = "ring-size",
	  .arg = "N", .help = "events per ring, a power of two",
	  .def = "4096",
	  .type = SF_T_POW2, .field = SF_F_U32, .off = SF_OFF(ring_size),
	  .min = SF_RING_MIN, .max = SF_RING_MAX },
	{ .section = "handoff", .key = "consumer", .opt = "consumer",
	  .arg = "sink|log|none|proxy", .help = "who drains the rings",
	  .def = "sink",
	  .type = SF_T_CHOICE, .field = SF_F_CONSUMER,
	  .off = SF_OFF(consumer), .choices = sf_consumer_choices },
	{ .section = "handoff", .key = "log_file", .opt = "log-file",
	  .arg = "FILE", .help = "log output, - = stdout",
	  .def = "-",
	  .type = SF_T_PATH, .off = SF_OFF(log_file) },
	{ .section = "handoff", .key = "reply", .opt = "reply",
	  .arg = "auto|on|off",
	  .help = "reply channel (commands; auto: on for consumers that answer)",
	  .def = "auto",
	  .type = SF_T_CHOICE, .field = SF_F_U8, .off = SF_OFF(reply),
	  .choices = sf_reply_choices },
	{ .section = "handoff", .key = "cmd_ring_size", .opt = "cmd-ring-size",
	  .arg = "N", .help = "commands per ring, a power of two",
	  .def = "4096",
	  .type = SF_T_POW2, .field = SF_F_U32, .off = SF_OFF(cmd_ring_size),
	  .min = SF_RING_MIN, .max = SF_RING_MAX },
	{ .section = "handoff", .key = "credit", .opt = "credit",
	  .arg = "BYTES", .help = "receive credit of a connection (its window)",
	  .def = "262144",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(credit),
	  .min = SF_CREDIT_MIN, .max = SF_CREDIT_MAX },
	{ .section = "handoff", .key = "snd_buf", .opt = "snd-buf",
	  .arg = "BYTES", .help = "most bytes sent and not acknowledged a connection",
	  .def = "262144",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(snd_buf),
	  .min = SF_CREDIT_MIN, .max = SF_CREDIT_MAX },
	{ .section = "handoff", .key = "send_states", .opt = "send-states",
	  .arg = "N", .help = "connections with data in flight per lcore",
	  .def = "16384",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(send_states),
	  .min = SF_SEND_STATES_MIN, .max = SF_SEND_STATES_MAX },
	{ .section = "stats", .key = "period_s", .opt = "stats-period",
	  .alias = "period-s",
	  .arg = "SECONDS", .help = "stats line period, 0 = final only",
	  .def = "1",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(period_s),
	  .min = 0, .max = SF_PERIOD_MAX },
	{ .section = "port", .key = "rx_desc", .opt = "rx-desc",
	  .arg = "N", .help = "RX descriptors per queue",
	  .def = "1024",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(rx_desc),
	  .min = SF_DESC_MIN, .max = SF_DESC_MAX },
	{ .section = "port", .key = "tx_desc", .opt = "tx-desc",
	  .arg = "N", .help = "TX descriptors per queue",
	  .def = "1024",
	  .type = SF_T_UINT, .field = SF_F_U16, .off = SF_OFF(tx_desc),
	  .min = SF_DESC_MIN, .max = SF_DESC_MAX },
	{ .section = "port", .key = "mtu", .opt = "mtu",
	  .arg = "N", .help = "port MTU, 0 = keep the port's",
	  .def = "0",
	  .type = SF_T_MTU, .field = SF_F_U16, .off = SF_OFF(mtu),
	  .min = SF_MTU_MIN, .max = SF_MTU_MAX },
	{ .section = "port", .key = "promiscuous", .opt = "promiscuous",
	  .arg = "on|off", .help = "promiscuous mode",
	  .def = "off",
	  .type = SF_T_BOOL, .field = SF_F_BOOL, .off = SF_OFF(promiscuous) },
	{ .section = "port", .key = "xdp", .opt = "xdp",
	  .arg = "auto|steer|whole",
	  .help = "net_af_xdp ports: steer only synfront's frames (the kernel keeps the rest) or take whole queues; auto: steer when built with libbpf",
	  .def = "auto",
	  .type = SF_T_CHOICE, .field = SF_F_U8, .off = SF_OFF(xdp),
	  .choices = sf_xdp_choices },
	{ .section = "proxy", .key = "backends", .opt = "backends",
	  .arg = "ADDR:PORT[,[ADDR6]:PORT...]",
	  .help = "where consumer = proxy connects",
	  .unset = "none",
	  .type = SF_T_BACKENDS },
	{ .section = "proxy", .key = "balance", .opt = "balance",
	  .arg = "round-robin|source-hash", .help = "how a backend is chosen",
	  .def = "round-robin",
	  .type = SF_T_CHOICE, .field = SF_F_U8, .off = SF_OFF(balance),
	  .choices = sf_balance_choices },
	{ .section = "proxy", .key = "proxy_protocol", .opt = "proxy-protocol",
	  .arg = "off|v1|v2", .help = "PROXY protocol header to backends",
	  .def = "off",
	  .type = SF_T_CHOICE, .field = SF_F_U8,
	  .off = SF_OFF(proxy_protocol), .choices = sf_pp_choices },
	{ .section = "proxy", .key = "connect_timeout_ms",
	  .opt = "connect-timeout-ms",
	  .arg = "MS", .help = "a backend that does not answer is skipped",
	  .def = "3000",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(connect_timeout_ms),
	  .min = 1, .max = SF_CONNECT_TIMEOUT_MAX },
	{ .section = "proxy", .key = "down_ms", .opt = "down-ms",
	  .arg = "MS", .help = "how long a backend marked down is skipped",
	  .def = "5000",
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(down_ms),
	  .min = 0, .max = SF_DOWN_MAX },
	{ .section = "proxy", .key = "fall", .opt = "fall",
	  .arg = "N", .help = "connect failures in a row that mark a backend down",
	  .def = RTE_STR(SF_PROXY_FALL_DEFAULT),
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(fall),
	  .min = 1, .max = SF_FALL_MAX },
	{ .section = "proxy", .key = "max_conns", .opt = "max-conns",
	  .arg = "N", .help = "connections the proxy carries at once",
	  .def = RTE_STR(SF_PROXY_MAX_CONNS_DEFAULT),
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(proxy_max_conns),
	  .min = SF_PROXY_CONNS_MIN, .max = SF_PROXY_CONNS_MAX },
	{ .section = "proxy", .key = "send_pool", .opt = "send-pool",
	  .arg = "N", .help = "mbufs of 8 KB for SENDs (hugepages)",
	  .def = RTE_STR(SF_PROXY_POOL_DEFAULT),
	  .type = SF_T_UINT, .field = SF_F_U32, .off = SF_OFF(proxy_send_pool),
	  .min = SF_PROXY_POOL_MIN, .max = SF_PROXY_POOL_MAX },
	{ .section = "test", .key = "clock_offset_s",
	  .opt = "test-clock-offset",
	  .arg = "SECONDS",
	  .help = "TEST ONLY, never in production: add to the workers' wall clock",
	  .def = "0",
	  .type = SF_T_UINT, .field = SF_F_U32,
	  .off = SF_OFF(test_clock_offset_s),
	  .min = 0, .max = SF_CLOCK_OFFSET_MAX },
};

_Static_assert(RTE_DIM(sf_cfg_settings) == SF_CFG_N_SETTINGS,
	       "SF_CFG_N_SETTINGS is the size of sf_cfg_settings[]");

/*
 * Text helpers
 */

void
sf_cfg_err(char *err, const char *fmt, ...)
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

const char *
sf_cfg_quote(const char *s, char *buf, size_t len)
{
	return sf_text_quote(s, s + strlen(s), buf,
			     RTE_MIN(len, (size_t)SF_CFG_QUOTE_LEN));
}

const char *
sf_cfg_span(const char *b, const char *e, char *buf, size_t len)
{
	size_t n = RTE_MIN((size_t)(e - b), len - 1);

	memcpy(buf, b, n);
	buf[n] = '\0';
	return buf;
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
sf_field_get(const struct sf_config *cfg, const struct sf_cfg_setting *s)
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
sf_field_set(struct sf_config *cfg, const struct sf_cfg_setting *s,
	     uint32_t v)
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
sf_choice_name(const struct sf_cfg_setting *s, uint32_t v)
{
	const struct sf_cfg_choice *c;

	for (c = s->choices; c->name != NULL; c++)
		if (c->value == v)
			return c->name;
	return "?";
}

/*
 * Value parsers, one per type: each fills @p reason (no prefix) and
 * returns -1 on error, leaving @p cfg unchanged.
 */

/* One item of an address list, [b, e) trimmed, of the list @p val. */
static int
sf_parse_vip(const char *b, const char *e, const char *val, struct sf_vip *v,
	     char *reason, size_t rlen)
{
	char txt[SF_VIP_STR_LEN + 1], q[SF_CFG_QUOTE_LEN];
	size_t len = (size_t)(e - b);

	memset(v, 0, sizeof(*v));
	if (len == 0) {
		snprintf(reason, rlen, "'%s' has an empty item",
			 sf_cfg_quote(val, q, sizeof(q)));
		return -1;
	}
	if (len < sizeof(txt)) {
		memcpy(txt, b, len);
		txt[len] = '\0';
	} else {
		txt[0] = '\0';
	}
	if (strchr(txt, ':') != NULL) {
		if (inet_pton(AF_INET6, txt, v->addr) == 1)
			v->family = SF_AF_INET6;
	} else if (inet_pton(AF_INET, txt, v->addr) == 1) {
		v->family = SF_AF_INET;
	}
	if (v->family == 0) {
		char item[SF_CFG_QUOTE_MAX + 1];

		snprintf(reason, rlen, "'%s' is not an IPv4 or IPv6 address",
			 sf_cfg_quote(sf_cfg_span(b, e, item, sizeof(item)),
				      q, sizeof(q)));
		return -1;
	}
	if (v->family == SF_AF_INET6 && sf_v4mapped(v->addr)) {
		snprintf(reason, rlen,
			 "'%s' is IPv4-mapped: give the IPv4 address",
			 sf_cfg_quote(txt, q, sizeof(q)));
		return -1;
	}
	if (!sf_vip_unicast(v)) {
		snprintf(reason, rlen, "'%s' is not a unicast address",
			 sf_cfg_quote(txt, q, sizeof(q)));
		return -1;
	}
	return 0;
}

/* "ADDR[,ADDR...]": duplicates dropped, order kept. */
static int
sf_set_vips(struct sf_config *cfg, const char *val, char *reason,
	    size_t rlen)
{
	struct sf_vip vips[SF_CONFIG_MAX_VIPS], v;
	unsigned int n = 0, i;
	const char *p = val, *b, *e;
	int more;

	do {
		more = sf_text_item(&p, &b, &e);
		sf_text_trim(&b, &e, SF_TEXT_SPACES);
		if (sf_parse_vip(b, e, val, &v, reason, rlen) != 0)
			return -1;
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
	} while (more);
	memcpy(cfg->vips, vips, n * sizeof(vips[0]));
	cfg->n_vips = n;
	return 0;
}

/*
 * One item of a port list, [b, e) trimmed, of the list @p val: "PORT" or
 * "LO-HI", each in the setting's min..max.
 */
static int
sf_parse_port_range(const struct sf_cfg_setting *s, const char *b,
		    const char *e, const char *val, uint32_t *lo,
		    uint32_t *hi, char *reason, size_t rlen)
{
	char item[SF_CFG_QUOTE_MAX + 1], q[SF_CFG_QUOTE_LEN];
	const char *dash, *hb, *he;
	int ret;

	if (b == e) {
		snprintf(reason, rlen, "'%s' has an empty item",
			 sf_cfg_quote(val, q, sizeof(q)));
		return -1;
	}
	sf_cfg_quote(sf_cfg_span(b, e, item, sizeof(item)), q, sizeof(q));
	dash = memchr(b, '-', (size_t)(e - b));
	he = dash != NULL ? dash : e;
	hb = b;
	sf_text_trim(&hb, &he, SF_TEXT_SPACES);
	ret = sf_text_u32(hb, he, s->min, s->max, lo);
	if (ret == 0 && dash != NULL) {
		hb = dash + 1;
		he = e;
		sf_text_trim(&hb, &he, SF_TEXT_SPACES);
		ret = sf_text_u32(hb, he, s->min, s->max, hi);
	} else if (ret == 0) {
		*hi = *lo;
	}
	if (ret == -EINVAL) {
		snprintf(reason, rlen, "'%s' is not a port or a range", q);
		return -1;
	}
	if (ret == -ERANGE) {
		snprintf(reason, rlen, "'%s' is out of range %u..%u", q,
			 s->min, s->max);
		return -1;
	}
	if (*lo > *hi) {
		snprintf(reason, rlen, "'%s' is an empty range (first > last)",
			 q);
		return -1;
	}
	return 0;
}

/* "PORT[,LO-HI...]": duplicates dropped, order kept. */
static int
sf_set_ports(struct sf_config *cfg, const struct sf_cfg_setting *s,
	     const char *val, char *reason, size_t rlen)
{
	uint16_t ports[SF_CONFIG_MAX_PORTS];
	unsigned int n = 0, i;
	const char *p = val, *b, *e;
	uint32_t lo, hi, port;
	int more;

	do {
		more = sf_text_item(&p, &b, &e);
		sf_text_trim(&b, &e, SF_TEXT_SPACES);
		if (sf_parse_port_range(s, b, e, val, &lo, &hi, reason,
					rlen) != 0)
			return -1;
		for (port = lo; port <= hi; port++) {
			for (i = 0; i < n; i++)
				if (ports[i] == port)
					break;
			if (i < n)
				continue;
			if (n == SF_CONFIG_MAX_PORTS) {
				snprintf(reason, rlen, "more than %u ports",
					 SF_CONFIG_MAX_PORTS);
				return -1;
			}
			ports[n++] = (uint16_t)port;
		}
	} while (more);
	memcpy(cfg->ports, ports, n * sizeof(ports[0]));
	cfg->n_ports = n;
	return 0;
}

/* 32 hex digits; a key is a secret: a wrong one is never echoed. */
static int
sf_set_key(struct sf_config *cfg, const struct sf_cfg_setting *s,
	   const char *val, char *reason, size_t rlen)
{
	struct sf_siphash_key key;

	if (sf_cookie_key_parse(val, &key) != 0) {
		snprintf(reason, rlen, "not 32 hex digits (value not shown)");
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
}

/* A decimal in min..max (a power of two for SF_T_POW2, or 0 for _MTU). */
static int
sf_set_number(struct sf_config *cfg, const struct sf_cfg_setting *s,
	      const char *val, char *reason, size_t rlen)
{
	bool zero_ok = s->type == SF_T_MTU;
	char q[SF_CFG_QUOTE_LEN];
	uint32_t v;
	int ret;

	ret = sf_text_u32(val, val + strlen(val), zero_ok ? 0 : s->min,
			  s->max, &v);
	sf_cfg_quote(val, q, sizeof(q));
	if (ret == -EINVAL) {
		snprintf(reason, rlen, "'%s' is not a number", q);
		return -1;
	}
	if (zero_ok && (ret == -ERANGE || (v != 0 && v < s->min))) {
		snprintf(reason, rlen, "'%s' is out of range (0 or %u..%u)",
			 q, s->min, s->max);
		return -1;
	}
	if (ret == -ERANGE) {
		snprintf(reason, rlen, "'%s' is out of range %u..%u", q,
			 s->min, s->max);
		return -1;
	}
	if (s->type == SF_T_POW2 && !rte_is_power_of_2(v)) {
		snprintf(reason, rlen, "'%s' is not a power of two", q);
		return -1;
	}
	sf_field_set(cfg, s, v);
	return 0;
}

static int
sf_set_bool(struct sf_config *cfg, const struct sf_cfg_setting *s,
	    const char *val, char *reason, size_t rlen)
{
	char q[SF_CFG_QUOTE_LEN];
	int ret = sf_parse_bool(val);

	if (ret < 0) {
		snprintf(reason, rlen,
			 "'%s' is not on/off (yes/no, true/false, 1/0)",
			 sf_cfg_quote(val, q, sizeof(q)));
		return -1;
	}
	sf_field_set(cfg, s, (uint32_t)ret);
	return 0;
}

static int
sf_set_choice(struct sf_config *cfg, const struct sf_cfg_setting *s,
	      const char *val, char *reason, size_t rlen)
{
	const struct sf_cfg_choice *c;
	char q[SF_CFG_QUOTE_LEN];

	for (c = s->choices; c->name != NULL; c++) {
		if (strcmp(val, c->name) == 0) {
			sf_field_set(cfg, s, c->value);
			return 0;
		}
	}
	snprintf(reason, rlen, "'%s' is not one of %s",
		 sf_cfg_quote(val, q, sizeof(q)), s->arg);
	return -1;
}

static int
sf_set_path(struct sf_config *cfg, const struct sf_cfg_setting *s,
	    const char *val, char *reason, size_t rlen)
{
	if (strlen(val) >= SF_CONFIG_PATH_LEN) {
		snprintf(reason, rlen, "longer than %u characters",
			 SF_CONFIG_PATH_LEN - 1);
		return -1;
	}
	strcpy((char *)cfg + s->off, val);
	return 0;
}

static int
sf_set_backends(struct sf_config *cfg, const char *val, char *reason,
		size_t rlen)
{
	struct sf_proxy_addr b[SF_PROXY_MAX_BACKENDS];
	int n = sf_proxy_backends_parse(val, b, SF_PROXY_MAX_BACKENDS, reason,
					rlen);

	if (n < 0)
		return -1;
	memcpy(cfg->backends, b, (size_t)n * sizeof(b[0]));
	cfg->n_backends = (unsigned int)n;
	return 0;
}

/* Parse a non-empty value with the parser of the setting's type. */
static int
sf_set_value(struct sf_config *cfg, const struct sf_cfg_setting *s,
	     const char *val, char *reason, size_t rlen)
{
	switch (s->type) {
	case SF_T_VIPS:
		return sf_set_vips(cfg, val, reason, rlen);
	case SF_T_PORTS:
		return sf_set_ports(cfg, s, val, reason, rlen);
	case SF_T_KEY:
	case SF_T_PREV_KEY:
		return sf_set_key(cfg, s, val, reason, rlen);
	case SF_T_UINT:
	case SF_T_POW2:
	case SF_T_MTU:
		return sf_set_number(cfg, s, val, reason, rlen);
	case SF_T_BOOL:
		return sf_set_bool(cfg, s, val, reason, rlen);
	case SF_T_CHOICE:
		return sf_set_choice(cfg, s, val, reason, rlen);
	case SF_T_PATH:
		return sf_set_path(cfg, s, val, reason, rlen);
	case SF_T_BACKENDS:
		return sf_set_backends(cfg, val, reason, rlen);
	}
	snprintf(reason, rlen, "internal error");
	return -1;
}

int
sf_cfg_set(struct sf_config *cfg, const struct sf_cfg_setting *s,
	   const char *val, const char *name, char err[SF_CONFIG_ERR_LEN])
{
	char reason[SF_REASON_LEN];

	if (val[0] == '\0')
		snprintf(reason, sizeof(reason), "empty value");
	else if (sf_set_value(cfg, s, val, reason, sizeof(reason)) == 0)
		return 0;
	sf_cfg_err(err, "%s: %s", name, reason);
	return -1;
}

/*
 * Public API
 */

void
sf_config_defaults(struct sf_config *cfg)
{
	char err[SF_CONFIG_ERR_LEN];
	unsigned int i;

	/* zero: no key, no previous key, no config_file */
	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		const struct sf_cfg_setting *s = &sf_cfg_settings[i];

		/* a default its own parser refuses is a bug of the table */
		if (s->def != NULL &&
		    sf_cfg_set(cfg, s, s->def, s->key, err) != 0)
			rte_panic("config: bad default: %s\n", err);
	}
}

/*
 * Every number of the table within its range, every choice one of its
 * words, every path terminated.
 */
static int
sf_validate_fields(const struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN])
{
	unsigned int i;

	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		const struct sf_cfg_setting *s = &sf_cfg_settings[i];
		uint32_t v;

		if (s->type == SF_T_PATH) {
			if (memchr((const char *)cfg + s->off, '\0',
				   SF_CONFIG_PATH_LEN) == NULL) {
				sf_cfg_err(err, "[%s] %s: not terminated",
					   s->section, s->key);
				return -1;
			}
			continue;
		}
		if (s->type == SF_T_CHOICE) {
			v = sf_field_get(cfg, s);
			if (strcmp(sf_choice_name(s, v), "?") == 0) {
				sf_cfg_err(err, "[%s] %s: %u is not one of %s",
					   s->section, s->key, v, s->arg);
				return -1;
			}
			continue;
		}
		if (s->type != SF_T_UINT && s->type != SF_T_POW2 &&
		    s->type != SF_T_MTU)
			continue;
		v = sf_field_get(cfg, s);
		if (s->type == SF_T_MTU && v == 0)
			continue;
		if (v < s->min || v > s->max) {
			sf_cfg_err(err, "[%s] %s: %u is out of range %u..%u",
				   s->section, s->key, v, s->min, s->max);
			return -1;
		}
		if (s->type == SF_T_POW2 && !rte_is_power_of_2(v)) {
			sf_cfg_err(err, "[%s] %s: %u is not a power of two",
				   s->section, s->key, v);
			return -1;
		}
	}
	return 0;
}

/* The lists: lengths, families, no port 0. */
static int
sf_validate_lists(const struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN])
{
	unsigned int i;

	if (cfg->n_vips == 0 || cfg->n_vips > SF_CONFIG_MAX_VIPS) {
		sf_cfg_err(err, "[listen] vip: %u addresses, need 1..%u",
			   cfg->n_vips, SF_CONFIG_MAX_VIPS);
		return -1;
	}
	for (i = 0; i < cfg->n_vips; i++) {
		if (cfg->vips[i].family != SF_AF_INET &&
		    cfg->vips[i].family != SF_AF_INET6) {
			sf_cfg_err(err,
				   "[listen] vip: address %u has no family", i);
			return -1;
		}
	}
	if (cfg->n_ports == 0 || cfg->n_ports > SF_CONFIG_MAX_PORTS) {
		sf_cfg_err(err, "[listen] ports: %u ports, need 1..%u",
			   cfg->n_ports, SF_CONFIG_MAX_PORTS);
		return -1;
	}
	for (i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i] == 0) {
			sf_cfg_err(err,
				   "[listen] ports: port 0 is not a TCP port");
			return -1;
		}
	}
	return 0;
}

int
sf_config_validate(const struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN])
{
	if (sf_validate_lists(cfg, err) != 0)
		return -1;
	/* key_file fills the keys at start (sf_keyfile_read()), not here */
	if (cfg->key_file[0] != '\0' && (cfg->key_set || cfg->keys.has_prev)) {
		sf_cfg_err(err, "[cookie] key_file: given with %s: one or the other",
			   cfg->key_set ? "key" : "previous_key");
		return -1;
	}
	if (cfg->keys.has_prev && !cfg->key_set) {
		sf_cfg_err(err, "[cookie] previous_key: given without key");
		return -1;
	}
	if (sf_validate_fields(cfg, err) != 0)
		return -1;
	if (cfg->consumer == SF_CONSUMER_LOG && cfg->log_file[0] == '\0') {
		sf_cfg_err(err,
			   "[handoff] log_file: empty while consumer = log");
		return -1;
	}
	if (cfg->consumer == SF_CONSUMER_PROXY && cfg->n_backends == 0) {
		sf_cfg_err(err,
			   "[proxy] backends: none given while consumer = proxy");
		return -1;
	}
	if (cfg->n_backends > SF_PROXY_MAX_BACKENDS) {
		sf_cfg_err(err, "[proxy] backends: more than %u",
			   SF_PROXY_MAX_BACKENDS);
		return -1;
	}
	return 0;
}

/* Room for the texts and lists of one struct sf_config_value. */
struct sf_value_buf {
	char name[SF_VALUE_NAME_LEN];
	char vips[SF_CONFIG_MAX_VIPS][SF_VIP_STR_LEN];
	char backends[SF_PROXY_MAX_BACKENDS][SF_PROXY_ADDR_STR_LEN];
	const char *strs[SF_CONFIG_MAX_VIPS + SF_PROXY_MAX_BACKENDS];
	uint64_t nums[SF_CONFIG_MAX_PORTS];
};

/* The value of a list setting (vip, ports). */
static void
sf_list_value(const struct sf_config *cfg, const struct sf_cfg_setting *s,
	      struct sf_config_value *v, struct sf_value_buf *b)
{
	unsigned int i;

	if (s->type == SF_T_VIPS) {
		v->type = SF_CONFIG_VAL_STR_LIST;
		v->n = RTE_MIN(cfg->n_vips, (unsigned int)SF_CONFIG_MAX_VIPS);
		for (i = 0; i < v->n; i++)
			b->strs[i] = sf_vip_str(&cfg->vips[i], b->vips[i],
						sizeof(b->vips[i]));
		v->strs = b->strs;
	} else if (s->type == SF_T_BACKENDS) {
		v->type = SF_CONFIG_VAL_STR_LIST;
		v->n = RTE_MIN(cfg->n_backends,
			       (unsigned int)SF_PROXY_MAX_BACKENDS);
		for (i = 0; i < v->n; i++)
			b->strs[i] = sf_proxy_addr_str(&cfg->backends[i],
						       b->backends[i],
						       sizeof(b->backends[i]));
		v->strs = b->strs;
	} else {
		v->type = SF_CONFIG_VAL_UINT_LIST;
		v->n = RTE_MIN(cfg->n_ports,
			       (unsigned int)SF_CONFIG_MAX_PORTS);
		for (i = 0; i < v->n; i++)
			b->nums[i] = cfg->ports[i];
		v->nums = b->nums;
	}
}

/* The value of setting @p s; @return its name. */
static const char *
sf_setting_value(const struct sf_config *cfg, const struct sf_cfg_setting *s,
		 struct sf_config_value *v, struct sf_value_buf *b)
{
	memset(v, 0, sizeof(*v));
	switch (s->type) {
	case SF_T_VIPS:
	case SF_T_PORTS:
	case SF_T_BACKENDS:
		sf_list_value(cfg, s, v, b);
		break;
	case SF_T_KEY:
	case SF_T_PREV_KEY:
		/* the keys themselves are never shown */
		v->type = SF_CONFIG_VAL_BOOL;
		v->num = s->type == SF_T_KEY ? cfg->key_set :
			cfg->keys.has_prev != 0;
		snprintf(b->name, sizeof(b->name), "%s_set", s->key);
		return b->name;
	case SF_T_UINT:
	case SF_T_POW2:
	case SF_T_MTU:
		v->type = SF_CONFIG_VAL_UINT;
		v->num = sf_field_get(cfg, s);
		break;
	case SF_T_BOOL:
		v->type = SF_CONFIG_VAL_BOOL;
		v->num = sf_field_get(cfg, s) != 0;
		break;
	case SF_T_CHOICE:
		v->type = SF_CONFIG_VAL_STR;
		v->str = sf_choice_name(s, sf_field_get(cfg, s));
		break;
	case SF_T_PATH:
		v->type = SF_CONFIG_VAL_STR;
		v->str = (const char *)cfg + s->off;
		break;
	}
	return s->key;
}

int
sf_config_foreach(const struct sf_config *cfg, sf_config_foreach_cb cb,
		  void *arg)
{
	struct sf_config_value v;
	struct sf_value_buf b;
	unsigned int i;
	const char *name;
	int ret;

	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		name = sf_setting_value(cfg, &sf_cfg_settings[i], &v, &b);
		ret = cb(name, &v, arg);
		if (ret != 0)
			return ret;
	}
	memset(&v, 0, sizeof(v));
	v.type = SF_CONFIG_VAL_STR;
	v.str = cfg->config_file;
	return cb("config_file", &v, arg);
}

const char *
sf_config_choice_str(const struct sf_config *cfg, const char *key)
{
	unsigned int i;

	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		const struct sf_cfg_setting *s = &sf_cfg_settings[i];

		if (s->type == SF_T_CHOICE && strcmp(s->key, key) == 0)
			return sf_choice_name(s, sf_field_get(cfg, s));
	}
	return "?";
}

bool
sf_config_reply_on(const struct sf_config *cfg)
{
	if (cfg->reply != SF_REPLY_AUTO)
		return cfg->reply == SF_REPLY_ON;
	/* auto: the built-in consumers that answer (not sink, log, none) */
	return cfg->consumer != SF_CONSUMER_SINK &&
		cfg->consumer != SF_CONSUMER_LOG &&
		cfg->consumer != SF_CONSUMER_NONE;
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
