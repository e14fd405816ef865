/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * libFuzzer harness of the responder: one input is one burst.
 *
 *   byte 0      ctl: configuration and shard/ring set-up (bits below)
 *   byte 1      rx: ol_flags of every frame (checksum GOOD/BAD/NONE bits)
 *   bytes 2..9  clock: tsc, unix seconds and ms derived from them
 *   then up to 8 chunks: length byte, then that many frame bytes (cut at
 *   the end of the input)
 *
 * With CTL_PREINSERT, every parsable TCP frame's flow is put in the shard
 * first (rcv_nxt = its seq, snd_nxt = its ack), so the established-state
 * paths are reachable without a valid cookie. The responder is created
 * afresh for each input and the shard emptied after it, so an input's
 * outcome depends on that input only. It is not an sf_worker_create()
 * worker: the policy and the port vary per input, while the named shard
 * and ring are made once (remaking them every run would cost more than
 * the run).
 *
 * After each input every mbuf must be back in the pool: abort() otherwise.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_config.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"
#include "sf_stats.h"
#include "sf_worker.h"

#define POOL_N		511
#define SHARD_N		64
#define RING_N		16
#define MAX_FRAMES	8
#define HDR_LEN		10
#define TSC_HZ		UINT64_C(1000000000)

#define CTL_PREINSERT	0x01	/* insert each TCP flow before the burst */
#define CTL_LAST_ACK	0x02	/* ... in state LAST_ACK */
#define CTL_CONN_TS	0x04	/* ... with timestamps */
#define CTL_RING_FULL	0x08	/* fill the ring before the burst */
#define CTL_NO_TS	0x10	/* cfg: timestamps off */
#define CTL_DROP	0x20	/* cfg: closed_port drop, rst_rate 2 */
#define CTL_OFFLOAD	0x40	/* port offers IP and TCP checksums */
#define CTL_SMALL_MTU	0x80	/* port MTU 1280 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rte_mempool *pool;
static struct sf_conn_shard *shard;
static struct rte_ring *ring;
static struct sf_stats *stats;
static struct sf_config cfg_base;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal[] = {
		(char *)(uintptr_t)"fuzz_respond",
		(char *)(uintptr_t)"--no-huge", (char *)(uintptr_t)"-m",
		(char *)(uintptr_t)"128", (char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=*:error",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)"0",
		(char *)(uintptr_t)"--file-prefix=sf_fuzz_respond",
	};

	(void)argc;
	(void)argv;
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "fuzz_respond: rte_eal_init failed\n");
		abort();
	}
	pool = rte_pktmbuf_pool_create("sf_fuzz_pool", POOL_N, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	shard = sf_conn_shard_create("sf_fuzz_shard", SHARD_N, SOCKET_ID_ANY);
	ring = sf_handoff_create(0, RING_N, SOCKET_ID_ANY);
	stats = rte_zmalloc("sf_fuzz_stats", sizeof(*stats),
			    RTE_CACHE_LINE_SIZE);
	if (pool == NULL || shard == NULL || ring == NULL || stats == NULL) {
		fprintf(stderr, "fuzz_respond: set-up failed: %s\n",
			rte_strerror(rte_errno));
		abort();
	}
	sf_config_defaults(&cfg_base);
	if (sf_cookie_key_parse("0f0e0d0c0b0a09080706050403020100",
				&cfg_base.keys.cur) != 0)
		abort();
	cfg_base.key_set = true;
	return 0;
}

/* Pre-insert the flow of a TCP frame, as if its handshake had completed. */
static void
preinsert(const uint8_t *frame, uint32_t len, uint8_t ctl)
{
	struct sf_conn *c;
	struct sf_pkt p;

	if (sf_parse(frame, len, SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD,
		     &p) != SF_NET_OK || p.kind != SF_PKT_TCP)
		return;
	c = sf_conn_insert(shard, &p.flow,
			   sf_conn_hash(sf_conn_shard_hash_key(shard), &p.flow));
	if (c == NULL)
		return;
	c->client_isn = p.seq - 1;
	c->server_isn = p.ack - 1;
	c->rcv_nxt = p.seq;
	c->snd_nxt = p.ack;
	c->mss = 536;
	c->ts_recent = p.opts.tsval;
	c->state = (ctl & CTL_LAST_ACK) ? SF_CONN_LAST_ACK : SF_CONN_ESTABLISHED;
	c->flags = (ctl & CTL_CONN_TS) ? (SF_CONN_F_TS | SF_CONN_F_SACK) : 0;
}

static uint64_t
rx_ol_flags(uint8_t b)
{
	static const uint64_t ip[4] = {
		RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_BAD,
		RTE_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_IP_CKSUM_NONE,
	};
	static const uint64_t l4[4] = {
		RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN, RTE_MBUF_F_RX_L4_CKSUM_BAD,
		RTE_MBUF_F_RX_L4_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_NONE,
	};

	return ip[b & 3] | l4[(b >> 2) & 3];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[MAX_FRAMES], *tx[MAX_FRAMES];
	struct sf_respond_conf rc;
	struct sf_responder *r;
	struct sf_config cfg;
	struct sf_clock now;
	struct sf_event ev;
	uint64_t clk;
	uint16_t n = 0, ntx, i;
	size_t off = HDR_LEN;
	uint8_t ctl;

	if (size < HDR_LEN)
		return 0;
	ctl = data[0];

	cfg = cfg_base;
	if (ctl & CTL_NO_TS)
		cfg.timestamps = false;
	if (ctl & CTL_DROP) {
		cfg.closed_port_rst = false;
		cfg.rst_rate = 2;
	}
	cfg.idle_timeout_s = 1;

	memset(&rc, 0, sizeof(rc));
	sf_worker_policy(&cfg, &rc.policy);
	rc.keys = &cfg.keys;
	rc.ports[0].mac.addr_bytes[0] = 0x02;
	rc.ports[0].mac.addr_bytes[5] = 0x01;
	rc.ports[0].mtu = (ctl & CTL_SMALL_MTU) ? 1280 : 1500;
	rc.ports[0].tx_offload = (ctl & CTL_OFFLOAD) ?
		(SF_TX_IP_CSUM | SF_TX_TCP_CSUM) : 0;
	rc.n_ports = 1;
	rc.shard = shard;
	rc.ring = ring;
	rc.pool = pool;
	rc.stats = stats;
	rc.tsc_hz = TSC_HZ;
	rc.socket_id = SOCKET_ID_ANY;
	r = sf_responder_create(&rc);
	if (r == NULL)
		abort();

	memcpy(&clk, data + 2, sizeof(clk));
	now.tsc = clk >> 8;			/* up to 2^56 */
	now.unix_s = 1700000000 + (clk & 0xffffff);
	now.ms = (uint32_t)(clk >> 16);

	while (n < MAX_FRAMES && off < size) {
		size_t len = data[off++];
		struct rte_mbuf *m;
		char *p;

		if (len > size - off)
			len = size - off;
		m = rte_pktmbuf_alloc(pool);
		if (m == NULL)
			abort();
		p = rte_pktmbuf_append(m, (uint16_t)len);
		if (p == NULL)
			abort();
		memcpy(p, data + off, len);
		m->ol_flags = rx_ol_flags(data[1]);
		if (ctl & CTL_PREINSERT)
			preinsert(data + off, (uint32_t)len, ctl);
		off += len;
		pkts[n++] = m;
	}
	if (ctl & CTL_RING_FULL) {
		memset(&ev, 0, sizeof(ev));
		while (sf_handoff_enqueue(ring, &ev) == 0)
			;
	}

	ntx = sf_respond_burst(r, 0, pkts, n, &now, tx);
	if (ntx > n)
		abort();
	for (i = 0; i < ntx; i++) {
		/* A reply must be a frame we could parse back. */
		struct sf_pkt p;

		if (tx[i]->nb_segs != 1 || tx[i]->pkt_len != tx[i]->data_len ||
		    tx[i]->data_len == 0)
			abort();
		if (!(ctl & CTL_OFFLOAD) &&
		    (tx[i]->ol_flags != 0 ||
		     sf_parse(rte_pktmbuf_mtod(tx[i], uint8_t *),
			      tx[i]->data_len, 0, &p) == SF_NET_BAD_L4_CSUM))
			abort();
	}
	rte_pktmbuf_free_bulk(tx, ntx);
	sf_handoff_drain(ring);

	/* Empty the shard: everything is idle far in the future. */
	now.tsc = UINT64_C(1) << 62;
	sf_respond_expire(r, &now, 4 * SHARD_N);
	sf_handoff_drain(ring);
	if (sf_conn_count(shard) != 0)
		abort();
	sf_responder_free(r);

	if (rte_mempool_avail_count(pool) != POOL_N) {
		fprintf(stderr, "fuzz_respond: %u of %u mbufs in the pool\n",
			rte_mempool_avail_count(pool), POOL_N);
		abort();
	}
	return 0;
}
