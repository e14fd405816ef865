/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * SYN templates, per-packet fill with incremental checksums, reply
 * classification and the legitimate flows' ACK (see sf_flood_pkt.h).
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "sf_flood_pkt.h"

#define ETH_LEN		14
#define IP4_LEN		20
#define IP6_LEN		40
#define TCP_LEN		20
#define IP4_CSUM_OFF	(ETH_LEN + 10)
#define IP4_SRC_OFF	(ETH_LEN + 12)
#define IP6_SRC_OFF	(ETH_LEN + 8)
#define TCP_SPORT_OFF	0
#define TCP_SEQ_OFF	4
#define TCP_CSUM_OFF	16
#define SYN_WINDOW	64240	/* Linux's SYN window (45 * 1428, rounded) */
#define ACK_WINDOW	502	/* Linux's first ACK with wscale 7 */
#define TTL		64
#define PORT_LO		1024	/* source ports: PORT_LO..65535 */
#define PORT_SPAN	(65536 - PORT_LO)

static const char *const opts_names[SF_FLOOD_OPTS_MAX] = {
	[SF_FLOOD_OPTS_NONE] = "none",
	[SF_FLOOD_OPTS_MSS] = "mss",
	[SF_FLOOD_OPTS_LINUX] = "linux",
	[SF_FLOOD_OPTS_MIX] = "mix",
};

/* Mix: two random bits pick the template (none, mss, linux, linux). */
static const uint8_t mix_pick[4] = {
	SF_FLOOD_OPTS_NONE, SF_FLOOD_OPTS_MSS,
	SF_FLOOD_OPTS_LINUX, SF_FLOOD_OPTS_LINUX,
};

static inline uint16_t
fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static inline uint32_t
words32(uint32_t v)
{
	return (v & 0xffff) + (v >> 16);
}

/*
 * The TCP options of a set; TSval's offset within them through *ts_at
 * (0: none). Linux's SYN:
 *
 *     02 04 <mss:2>  04 02  08 0a <TSval:4> <TSecr:4>  01  03 03 <ws>
 */
static uint8_t
write_opts(uint8_t *o, enum sf_flood_opts set, uint16_t mss, uint8_t ws,
	   uint8_t *ts_at)
{
	*ts_at = 0;
	if (set == SF_FLOOD_OPTS_NONE)
		return 0;
	o[0] = 2;
	o[1] = 4;
	o[2] = (uint8_t)(mss >> 8);
	o[3] = (uint8_t)mss;
	if (set == SF_FLOOD_OPTS_MSS)
		return 4;
	o[4] = 4;
	o[5] = 2;
	o[6] = 8;
	o[7] = 10;
	memset(o + 8, 0, 8);
	*ts_at = 8;
	o[16] = 1;
	o[17] = 3;
	o[18] = 3;
	o[19] = ws;
	return 20;
}

static void
tmpl_build(struct sf_flood_tmpl *t, const struct sf_flood_gen_conf *c,
	   enum sf_flood_opts set)
{
	uint8_t *f = t->frame;
	uint16_t ip_len = c->family == SF_AF_INET ? IP4_LEN : IP6_LEN;
	uint8_t *tcp = f + ETH_LEN + ip_len;
	uint8_t ts_at;
	uint8_t olen = write_opts(tcp + TCP_LEN, set, c->mss, c->wscale,
				  &ts_at);
	uint16_t tcp_len = (uint16_t)(TCP_LEN + olen);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	uint32_t sum;

	memset(f, 0, ETH_LEN + ip_len + TCP_LEN);
	rte_ether_addr_copy(&c->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&c->src_mac, &eth->src_addr);
	if (c->family == SF_AF_INET) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + ETH_LEN);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(IP4_LEN + tcp_len));
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = TTL;
		ip->next_proto_id = IPPROTO_TCP;
		memcpy(&ip->dst_addr, c->dst, 4);
		t->ip_sum = rte_raw_cksum(ip, IP4_LEN);
		/* pseudo-header: src (0), dst, zero, protocol, TCP length */
		sum = rte_raw_cksum(c->dst, 4);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(f + ETH_LEN);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		ip->vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
		ip->payload_len = rte_cpu_to_be_16(tcp_len);
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = TTL;
		memcpy(ip->dst_addr, c->dst, 16);
		t->ip_sum = 0;
		sum = rte_raw_cksum(c->dst, 16);
	}
	sum += rte_cpu_to_be_16(IPPROTO_TCP) + rte_cpu_to_be_16(tcp_len);
	((struct rte_tcp_hdr *)tcp)->dst_port = rte_cpu_to_be_16(c->dport);
	((struct rte_tcp_hdr *)tcp)->data_off = (uint8_t)((tcp_len / 4) << 4);
	((struct rte_tcp_hdr *)tcp)->tcp_flags = SF_TCP_SYN;
	((struct rte_tcp_hdr *)tcp)->rx_win = rte_cpu_to_be_16(SYN_WINDOW);
	sum += rte_raw_cksum(tcp, tcp_len);
	t->tcp_sum = fold(sum);
	t->len = (uint16_t)(ETH_LEN + ip_len + tcp_len);
	t->ts_off = ts_at ? (uint16_t)(ETH_LEN + ip_len + TCP_LEN + ts_at) : 0;
}

int
sf_flood_gen_init(struct sf_flood_gen *g, const struct sf_flood_gen_conf *c)
{
	unsigned int bits = c->family == SF_AF_INET ? 32 : 128;
	unsigned int host;
	uint64_t hi, lo;

	if ((c->family != SF_AF_INET && c->family != SF_AF_INET6) ||
	    c->src_len > bits || c->opts >= SF_FLOOD_OPTS_MAX)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	for (int s = 0; s < SF_FLOOD_OPTS_MIX; s++)
		tmpl_build(&g->tmpl[s], c, (enum sf_flood_opts)s);
	g->family = c->family;
	g->opts = c->opts;
	memcpy(g->dst, c->dst, c->family == SF_AF_INET ? 4 : 16);
	g->dport_be = rte_cpu_to_be_16(c->dport);
	host = bits - c->src_len;
	if (c->family == SF_AF_INET) {
		uint32_t a;

		memcpy(&a, c->src, 4);
		g->mask_lo = host == 32 ? UINT32_MAX :
			((UINT64_C(1) << host) - 1);
		g->src_lo = rte_be_to_cpu_32(a) & ~g->mask_lo & UINT32_MAX;
	} else {
		memcpy(&hi, c->src, 8);
		memcpy(&lo, c->src + 8, 8);
		g->mask_lo = host >= 64 ? UINT64_MAX :
			((UINT64_C(1) << host) - 1);
		g->mask_hi = host <= 64 ? 0 : host >= 128 ? UINT64_MAX :
			((UINT64_C(1) << (host - 64)) - 1);
		g->src_hi = rte_be_to_cpu_64(hi) & ~g->mask_hi;
		g->src_lo = rte_be_to_cpu_64(lo) & ~g->mask_lo;
	}
	g->legit_thresh = c->legit_thresh;
	g->key = c->key;
	g->rng = c->seed;
	return 0;
}

/* Source address and its checksum words; returns the sum of its words. */
static inline uint32_t
write_src(struct sf_flood_gen *g, uint8_t *frame, uint8_t *src16,
	  uint64_t r1)
{
	if (g->family == SF_AF_INET) {
		uint32_t a = rte_cpu_to_be_32((uint32_t)(g->src_lo |
						(r1 & g->mask_lo)));

		memcpy(frame + IP4_SRC_OFF, &a, 4);
		memcpy(src16, &a, 4);
		return words32(a);
	}
	uint64_t hi = rte_cpu_to_be_64(g->src_hi |
				       (sf_flood_rng(&g->rng) & g->mask_hi));
	uint64_t lo = rte_cpu_to_be_64(g->src_lo | (r1 & g->mask_lo));

	memcpy(frame + IP6_SRC_OFF, &hi, 8);
	memcpy(frame + IP6_SRC_OFF + 8, &lo, 8);
	memcpy(src16, &hi, 8);
	memcpy(src16 + 8, &lo, 8);
	return words32((uint32_t)hi) + words32((uint32_t)(hi >> 32)) +
		words32((uint32_t)lo) + words32((uint32_t)(lo >> 32));
}

uint16_t
sf_flood_syn_next(struct sf_flood_gen *g, uint8_t *frame)
{
	uint64_t r1 = sf_flood_rng(&g->rng);
	uint64_t r2 = sf_flood_rng(&g->rng);
	enum sf_flood_opts set = g->opts == SF_FLOOD_OPTS_MIX ?
		mix_pick[(r2 >> 62) & 3] : g->opts;
	const struct sf_flood_tmpl *t = &g->tmpl[set];
	uint8_t src16[16] = { 0 };
	uint16_t sport = rte_cpu_to_be_16((uint16_t)(PORT_LO +
				((((r2 >> 32) & 0xffff) * PORT_SPAN) >> 16)));
	uint16_t tcp_off = g->family == SF_AF_INET ? ETH_LEN + IP4_LEN :
		ETH_LEN + IP6_LEN;
	uint32_t src_words, sum, seq, tsval;

	memcpy(frame, t->frame, SF_FLOOD_FRAME_MAX);
	src_words = write_src(g, frame, src16, r1);
	seq = rte_cpu_to_be_32((uint32_t)sf_flood_hash(&g->key, src16, g->dst,
						       sport, g->dport_be));
	memcpy(frame + tcp_off + TCP_SPORT_OFF, &sport, 2);
	memcpy(frame + tcp_off + TCP_SEQ_OFF, &seq, 4);
	sum = t->tcp_sum + src_words + sport + words32(seq);
	if (t->ts_off != 0) {
		tsval = (uint32_t)r2;
		memcpy(frame + t->ts_off, &tsval, 4);
		sum += words32(tsval);
	}
	uint16_t csum = (uint16_t)~fold(sum);

	memcpy(frame + tcp_off + TCP_CSUM_OFF, &csum, 2);
	if (g->family == SF_AF_INET) {
		csum = (uint16_t)~fold(t->ip_sum + src_words);
		memcpy(frame + IP4_CSUM_OFF, &csum, 2);
	}
	return t->len;
}

enum sf_flood_verdict
sf_flood_classify(const struct sf_flood_gen *g, const struct sf_pkt *pkt)
{
	uint64_t h;

	if (pkt->kind != SF_PKT_TCP)
		return SF_FLOOD_OTHER;
	if (pkt->tcp_flags & SF_TCP_RST)
		return SF_FLOOD_RST;
	if ((pkt->tcp_flags & (SF_TCP_SYN | SF_TCP_ACK | SF_TCP_FIN)) !=
	    (SF_TCP_SYN | SF_TCP_ACK))
		return SF_FLOOD_OTHER;
	/* The reply's destination is our source: reverse the flow. */
	h = sf_flood_hash(&g->key, pkt->flow.srv_addr, pkt->flow.cli_addr,
			  pkt->flow.srv_port, pkt->flow.cli_port);
	if (pkt->flow.family != g->family ||
	    pkt->ack != (uint32_t)h + 1)
		return SF_FLOOD_UNMATCHED;
	return (h >> 32) < g->legit_thresh ? SF_FLOOD_SYNACK_LEGIT :
		SF_FLOOD_SYNACK_OK;
}

uint16_t
sf_flood_ack_build(uint8_t *frame, uint16_t cap, const struct sf_pkt *pkt,
		   const struct rte_ether_addr *mac)
{
	struct sf_tcp_reply r = {
		.seq = pkt->ack,
		.ack = pkt->seq + 1,
		.window = ACK_WINDOW,
		.flags = SF_TCP_ACK,
		.wscale = SF_WSCALE_NONE,
		.ts_ok = pkt->opts.ts_ok,
		.tsval = pkt->opts.tsecr + 1,
		.tsecr = pkt->opts.tsval,
	};
	uint32_t ol;

	return sf_build_tcp(frame, cap, pkt, mac, &r, 0, &ol);
}

enum sf_flood_opts
sf_flood_opts_parse(const char *name)
{
	for (int o = 0; o < SF_FLOOD_OPTS_MAX; o++)
		if (strcmp(name, opts_names[o]) == 0)
			return (enum sf_flood_opts)o;
	return SF_FLOOD_OPTS_MAX;
}

const char *
sf_flood_opts_name(enum sf_flood_opts o)
{
	return (unsigned int)o < SF_FLOOD_OPTS_MAX ? opts_names[o] : "?";
}
