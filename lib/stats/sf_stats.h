/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_STATS_H
#define SF_STATS_H

/**
 * @file
 * Counters: one cache-aligned block per worker lcore, written only by its
 * owner (plain stores, no atomics), read by telemetry and the summary line.
 * Every drop has a counter here; every counter is in telemetry.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The counters, by telemetry name. The first 21 are the names fixed by
 * DESIGN.md; the rest are the additional drop and event reasons.
 */
#define SF_STATS_COUNTERS(X)						\
	X(rx_pkts, "frames received")					\
	X(tx_pkts, "frames sent")					\
	X(syn_rx, "SYNs to a listening pair")				\
	X(synack_tx, "SYN-ACKs built")					\
	X(ack_cookie_ok, "ACKs with a valid cookie")			\
	X(ack_cookie_bad, "ACKs with a bad or expired cookie")	\
	X(established, "connections inserted ESTABLISHED")		\
	X(handoff_enq, "events enqueued to the consumer")		\
	X(handoff_full, "events not enqueued: ring full")		\
	X(rst_tx, "RSTs built")						\
	X(challenge_ack_tx, "challenge ACKs built")			\
	X(arp_reply, "ARP replies built")				\
	X(nd_reply, "neighbour advertisements built")			\
	X(icmp_reply, "echo replies built")				\
	X(fin_rx, "FINs on established flows")				\
	X(data_rx, "data segments handed over")			\
	X(conn_active, "entries in the shard (gauge)")			\
	X(conn_timeout, "entries expired idle")			\
	X(not_listening, "TCP to a VIP on a closed port")		\
	X(malformed, "frames rejected by the parser")			\
	X(tx_dropped, "replies the port did not take")		\
	X(not_vip, "dropped: addressed to no VIP")			\
	X(not_handled, "dropped: well-formed, not served")		\
	X(conn_full, "dropped: shard full at insert")			\
	X(rst_ratelimited, "RSTs not sent: rate limit")		\
	X(rst_rx, "RSTs on established flows (entry removed)")	\
	X(rst_ignored, "RSTs for unknown flows, dropped")		\
	X(unexpected, "dropped: segment not valid in its state")	\
	X(out_of_window, "dropped: out of window (challenge ACK)")	\
	X(dup_data, "data already received, re-acknowledged")		\
	X(ack_rx, "pure ACKs on established flows")			\
	X(closed, "connections closed by the last ACK")		\
	X(alloc_fail, "dropped: no mbuf for a reply")			\
	X(challenge_ratelimited, "challenge ACKs not sent: rate limit")	\
	X(reply_fail, "dropped: reply did not fit the mbuf")		\
	X(keepalive_rx, "keepalive probes (pure ACK below RCV.NXT), ACKed")

/** Counter indexes. */
enum sf_counter {
#define SF_X_ENUM(name, help) SF_CNT_##name,
	SF_STATS_COUNTERS(SF_X_ENUM)
#undef SF_X_ENUM
	SF_CNT_MAX
};

/** One worker's counters. */
struct sf_stats {
	uint64_t cnt[SF_CNT_MAX];		/**< by enum sf_counter */
	uint64_t reason[SF_NET_REASON_MAX];	/**< parser rejects by reason */
} __rte_cache_aligned;

/** Add @p n to counter @p c (owner lcore only). */
#define SF_STAT_ADD(st, c, n)	((st)->cnt[SF_CNT_##c] += (n))
/** Increment counter @p c (owner lcore only). */
#define SF_STAT_INC(st, c)	((st)->cnt[SF_CNT_##c]++)

/**
 * @param c  enum sf_counter
 * @return the telemetry name of counter @p c, NULL past the end.
 */
const char *
sf_stats_name(unsigned int c);

/**
 * @param c  enum sf_counter
 * @return the one-line help of counter @p c, NULL past the end.
 */
const char *
sf_stats_help(unsigned int c);

/**
 * Sum blocks (a consistent-enough snapshot: the owners keep writing).
 *
 * @param blocks  n per-worker blocks
 * @param n       number of blocks
 * @param out     receives the sums
 */
void
sf_stats_sum(const struct sf_stats *const *blocks, unsigned int n,
	     struct sf_stats *out);

/**
 * Write the one-line summary: rx/tx, SYN-ACKs, established, events,
 * active, drops, with rates against @p prev over @p secs when given.
 *
 * @param f     output stream (flushed)
 * @param now   current sums
 * @param prev  previous sums, or NULL for no rates
 * @param secs  seconds between @p prev and @p now
 */
void
sf_stats_print_line(FILE *f, const struct sf_stats *now,
		    const struct sf_stats *prev, double secs);

/** Callback filling /synfront/config (struct rte_tel_data *, opaque). */
typedef int (*sf_stats_config_cb)(void *tel_data, const void *arg);

/**
 * Register /synfront/stats, /synfront/lcores, /synfront/drops and
 * /synfront/config with rte_telemetry. The arrays must outlive the process
 * (they are read on the telemetry thread).
 *
 * @param blocks  per-worker blocks
 * @param lcores  lcore id of each block
 * @param n       number of workers
 * @param cfg_cb  fills /synfront/config
 * @param cfg_arg its argument
 * @return 0, or a negative errno from rte_telemetry_register_cmd().
 */
int
sf_stats_telemetry_register(const struct sf_stats *const *blocks,
			    const unsigned int *lcores, unsigned int n,
			    sf_stats_config_cb cfg_cb, const void *cfg_arg);

#ifdef __cplusplus
}
#endif

#endif /* SF_STATS_H */
