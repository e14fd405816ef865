/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Handoff rings and event formatting.
 *
 * Rings are rte_ring_elem of struct sf_event (104 bytes, copied by value),
 * one producer (the worker) and one consumer, found by name from any
 * process of the same DPDK instance.
 */

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "sf_handoff.h"
#include "sf_handoff_priv.h"

static_assert(sizeof(struct sf_event) == 104, "struct sf_event is 104 bytes");
static_assert(sizeof(struct sf_cmd) == 32, "struct sf_cmd is 32 bytes");
static_assert(sizeof(struct sf_event) % 4 == 0,
	      "rte_ring_elem needs a multiple of 4 bytes");

/** Payload bytes shown by sf_event_format_json(). */
#define SF_EV_JSON_DATA_MAX	64

/** Events freed per dequeue in sf_handoff_drain(). */
#define SF_HANDOFF_DRAIN_BURST	32

static const char *const sf_event_type_names[SF_EV_TYPE_MAX] = {
	[SF_EV_ESTABLISHED] = "established",
	[SF_EV_DATA] = "data",
	[SF_EV_FIN] = "fin",
	[SF_EV_RST] = "rst",
	[SF_EV_TIMEOUT] = "timeout",
	[SF_EV_ACKED] = "acked",
	[SF_EV_CLOSED] = "closed",
};

static const char *const sf_cmd_type_names[SF_CMD_TYPE_MAX] = {
	[SF_CMD_SEND] = "send",
	[SF_CMD_CLOSE] = "close",
	[SF_CMD_ABORT] = "abort",
	[SF_CMD_CREDIT] = "credit",
};

const char *
sf_event_type_str(unsigned int type)
{
	if (type >= SF_EV_TYPE_MAX || sf_event_type_names[type] == NULL)
		return "unknown";
	return sf_event_type_names[type];
}

const char *
sf_cmd_type_str(unsigned int type)
{
	if (type >= SF_CMD_TYPE_MAX || sf_cmd_type_names[type] == NULL)
		return "unknown";
	return sf_cmd_type_names[type];
}

/*
 * The name of worker @p worker_id's ring: @p prefix (SF_HANDOFF_NAME_PREFIX
 * or SF_CMD_NAME_PREFIX) and the id. -1 when it does not fit.
 */
static int
sf_ring_name(const char *prefix, unsigned int worker_id,
	     char name[RTE_RING_NAMESIZE])
{
	int n = snprintf(name, RTE_RING_NAMESIZE, "%s%u", prefix, worker_id);

	if (n < 0 || (size_t)n >= RTE_RING_NAMESIZE) {
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

struct rte_ring *
sf_handoff_create(unsigned int worker_id, unsigned int size, int socket_id)
{
	char name[RTE_RING_NAMESIZE];
	const struct rte_memzone *claim;
	struct rte_ring *r;

	if (size < 2 || !rte_is_power_of_2(size)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (sf_ring_name(SF_HANDOFF_NAME_PREFIX, worker_id, name) != 0)
		return NULL;
	if (rte_ring_lookup(name) != NULL) {
		rte_errno = EEXIST;	/* its claim is left alone too */
		return NULL;
	}
	claim = sf_handoff_claim_zone(worker_id, socket_id);
	if (claim == NULL)
		return NULL;
	r = rte_ring_create_elem(name, sizeof(struct sf_event), size,
				 socket_id, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r == NULL) {
		int err = rte_errno;

		rte_memzone_free(claim);
		rte_errno = err;
	}
	return r;
}

void
sf_handoff_free(struct rte_ring *r)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	int n;

	if (r == NULL)
		return;
	n = snprintf(name, sizeof(name), "%s" SF_HANDOFF_CLAIM_SUFFIX, r->name);
	rte_ring_free(r);
	if (n < 0 || (size_t)n >= sizeof(name))
		return;
	mz = rte_memzone_lookup(name);
	if (mz != NULL)
		rte_memzone_free(mz);
}

struct rte_ring *
sf_handoff_lookup(unsigned int worker_id)
{
	char name[RTE_RING_NAMESIZE];

	if (sf_ring_name(SF_HANDOFF_NAME_PREFIX, worker_id, name) != 0)
		return NULL;
	return rte_ring_lookup(name);
}

struct rte_ring *
sf_cmd_create(unsigned int worker_id, unsigned int size, int socket_id)
{
	char name[RTE_RING_NAMESIZE];

	if (size < 2 || !rte_is_power_of_2(size)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (sf_ring_name(SF_CMD_NAME_PREFIX, worker_id, name) != 0)
		return NULL;
	/* Any producer (threads, processes); the worker alone dequeues. */
	return rte_ring_create_elem(name, sizeof(struct sf_cmd), size,
				    socket_id, RING_F_SC_DEQ);
}

struct rte_ring *
sf_cmd_lookup(unsigned int worker_id)
{
	char name[RTE_RING_NAMESIZE];

	if (sf_ring_name(SF_CMD_NAME_PREFIX, worker_id, name) != 0)
		return NULL;
	return rte_ring_lookup(name);
}

/*
 * Empty ring @p r (the single consumer) of its elements, @p esize bytes
 * each (struct sf_event or struct sf_cmd), freeing the mbuf (or NULL)
 * each holds at @p mbuf_off. @return elements drained.
 */
static unsigned int
sf_ring_drain(struct rte_ring *r, unsigned int esize, size_t mbuf_off)
{
	union {
		struct sf_event ev[SF_HANDOFF_DRAIN_BURST];
		struct sf_cmd cmd[SF_HANDOFF_DRAIN_BURST];
	} buf;
	const uint8_t *e;
	struct rte_mbuf *m;
	unsigned int total = 0;
	unsigned int n, i;

	do {
		n = rte_ring_sc_dequeue_burst_elem(r, &buf, esize,
						   SF_HANDOFF_DRAIN_BURST,
						   NULL);
		for (i = 0, e = (const uint8_t *)&buf; i < n; i++, e += esize) {
			memcpy(&m, e + mbuf_off, sizeof(m));
			rte_pktmbuf_free(m);
		}
		total += n;
	} while (n > 0);
	return total;
}

void
sf_cmd_free(struct rte_ring *r)
{
	if (r == NULL)
		return;
	sf_ring_drain(r, sizeof(struct sf_cmd), offsetof(struct sf_cmd, mbuf));
	rte_ring_free(r);
}

unsigned int
sf_handoff_drain(struct rte_ring *r)
{
	if (r == NULL)
		return 0;
	return sf_ring_drain(r, sizeof(struct sf_event),
			     offsetof(struct sf_event, mbuf));
}

/*
 * snprintf-style appender: writes what fits in [buf, buf + len), keeps the
 * output NUL-terminated, and counts every byte it would have written.
 */
struct sf_jbuf {
	char *buf;
	size_t len;
	size_t off;	/* bytes that would have been written so far */
	int err;	/* an encoding error happened */
};

static void
sf_jb_printf(struct sf_jbuf *jb, const char *fmt, ...)
	__rte_format_printf(2, 3);

static void
sf_jb_printf(struct sf_jbuf *jb, const char *fmt, ...)
{
	size_t avail = jb->off < jb->len ? jb->len - jb->off : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(avail > 0 ? jb->buf + jb->off : NULL, avail, fmt, ap);
	va_end(ap);
	if (n < 0)
		jb->err = 1;
	else
		jb->off += (size_t)n;
}

/* Append one character. */
static void
sf_jb_putc(struct sf_jbuf *jb, char ch)
{
	if (jb->off + 1 < jb->len) {
		jb->buf[jb->off] = ch;
		jb->buf[jb->off + 1] = '\0';
	}
	jb->off++;
}

/* Append "key":"<address>" (or null for an unknown family). */
static void
sf_jb_addr(struct sf_jbuf *jb, const char *key, uint8_t family,
	   const uint8_t *addr)
{
	char text[INET6_ADDRSTRLEN];
	int af;

	if (family == SF_AF_INET)
		af = AF_INET;
	else if (family == SF_AF_INET6)
		af = AF_INET6;
	else {
		sf_jb_printf(jb, "\"%s\":null", key);
		return;
	}
	if (inet_ntop(af, addr, text, sizeof(text)) == NULL) {
		jb->err = 1;
		return;
	}
	sf_jb_printf(jb, "\"%s\":\"%s\"", key, text);
}

/* Append "key":<shift> or "key":null when the option is off. */
static void
sf_jb_wscale(struct sf_jbuf *jb, const char *key, uint8_t wscale)
{
	if (wscale == SF_WSCALE_NONE)
		sf_jb_printf(jb, "\"%s\":null", key);
	else
		sf_jb_printf(jb, "\"%s\":%u", key, (unsigned int)wscale);
}

/*
 * Append bytes as a JSON string body: printable ASCII as is, '"' and '\\'
 * backslashed, everything else \u00xx.
 */
static void
sf_jb_json_bytes(struct sf_jbuf *jb, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint8_t ch = p[i];

		if (ch == '"' || ch == '\\') {
			sf_jb_putc(jb, '\\');
			sf_jb_putc(jb, (char)ch);
		} else if (ch >= 0x20 && ch < 0x7f) {
			sf_jb_putc(jb, (char)ch);
		} else {
			sf_jb_printf(jb, "\\u%04x", (unsigned int)ch);
		}
	}
}

/* Append the first payload bytes of a DATA event, bounded by the mbuf. */
static void
sf_jb_payload(struct sf_jbuf *jb, const struct sf_event *ev)
{
	uint8_t copy[SF_EV_JSON_DATA_MAX];
	const uint8_t *p;
	uint32_t n = RTE_MIN(ev->data_len, (uint16_t)SF_EV_JSON_DATA_MAX);
	uint32_t pkt_len;

	sf_jb_putc(jb, '"');
	if (ev->mbuf != NULL) {
		pkt_len = rte_pktmbuf_pkt_len(ev->mbuf);
		if (ev->data_off >= pkt_len)
			n = 0;
		else
			n = RTE_MIN(n, pkt_len - ev->data_off);
		if (n > 0) {
			p = rte_pktmbuf_read(ev->mbuf, ev->data_off, n, copy);
			if (p != NULL)
				sf_jb_json_bytes(jb, p, n);
		}
	}
	sf_jb_putc(jb, '"');
}

/* Append the fields of one event type: DATA, ACKED, ESTABLISHED, RST. */
static void
sf_jb_fields(struct sf_jbuf *jb, const struct sf_event *ev)
{
	switch (ev->type) {
	case SF_EV_ESTABLISHED:
		if (ev->flags & SF_EV_F_REPLY)
			sf_jb_printf(jb, ",\"reply\":true,\"credit\":%" PRIu32
				     ",\"snd_buf\":%" PRIu32,
				     ev->credit, ev->snd_buf);
		break;
	case SF_EV_DATA:
		sf_jb_printf(jb, ",\"seq\":%" PRIu32 ",\"len\":%u,\"data\":",
			     ev->seq, (unsigned int)ev->data_len);
		sf_jb_payload(jb, ev);
		break;
	case SF_EV_ACKED:
		sf_jb_printf(jb, ",\"acked\":%" PRIu32, ev->seq);
		break;
	case SF_EV_RST:
		if (ev->flags & SF_EV_F_LOCAL)
			sf_jb_printf(jb, ",\"local\":true");
		break;
	default:
		break;
	}
}

int
sf_event_format_json(const struct sf_event *ev, char *buf, size_t len)
{
	struct sf_jbuf jb = { .buf = buf, .len = len, .off = 0, .err = 0 };
	const struct sf_flow *f = &ev->flow;

	if (len > 0)
		buf[0] = '\0';

	sf_jb_printf(&jb, "{\"type\":\"%s\",\"lcore\":%u,\"tsc\":%" PRIu64
		     ",\"family\":%u,",
		     sf_event_type_str(ev->type), (unsigned int)ev->lcore, ev->tsc,
		     (unsigned int)f->family);
	sf_jb_addr(&jb, "client", f->family, f->cli_addr);
	sf_jb_printf(&jb, ",\"client_port\":%u,",
		     (unsigned int)rte_be_to_cpu_16(f->cli_port));
	sf_jb_addr(&jb, "server", f->family, f->srv_addr);
	sf_jb_printf(&jb, ",\"server_port\":%u,\"client_isn\":%" PRIu32
		     ",\"server_isn\":%" PRIu32 ",\"mss\":%u,",
		     (unsigned int)rte_be_to_cpu_16(f->srv_port), ev->client_isn,
		     ev->server_isn, (unsigned int)ev->mss);
	sf_jb_wscale(&jb, "wscale_client", ev->snd_wscale);
	sf_jb_putc(&jb, ',');
	sf_jb_wscale(&jb, "wscale_server", ev->rcv_wscale);
	sf_jb_printf(&jb, ",\"sack\":%s,\"ts\":%s",
		     (ev->flags & SF_EV_F_SACK) ? "true" : "false",
		     (ev->flags & SF_EV_F_TS) ? "true" : "false");
	if (ev->handle.gen != 0)	/* events of the reply channel's era */
		sf_jb_printf(&jb, ",\"worker\":%u,\"slot\":%" PRIu32
			     ",\"gen\":%" PRIu32,
			     (unsigned int)ev->handle.worker, ev->handle.slot,
			     ev->handle.gen);
	sf_jb_fields(&jb, ev);
	sf_jb_putc(&jb, '}');

	if (jb.err != 0 || jb.off > INT_MAX) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return (int)jb.off;
}
