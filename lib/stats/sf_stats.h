/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_STATS_H
#define SF_STATS_H

/**
 * @file
 * Counters: one cache-aligned block per worker lcore, written only by its
 * owner (plain stores, no atomics), read by telemetry and the summary line.
 * Every drop has a counter here; every counter is in telemetry. Telemetry
 * also shows the running configuration (/synfront/config), built from
 * sf_config_foreach().
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The counters, by telemetry name: X(name, kind, help). The first 21 are
 * the names fixed by DESIGN.md; the rest are the additional drop and event
 * reasons. Kind SF_STAT_DROP marks frames dropped (the summary line's
 * "drops" is their sum); SF_STAT_EVENT is anything else.
 */
#define SF_STAT_EVENT	0	/**< counts something that is not a drop */
#define SF_STAT_DROP	1	/**< counts frames dropped */

#define SF_STATS_COUNTERS(X)						\
	X(rx_pkts, SF_STAT_EVENT, "frames received")			\
	X(tx_pkts, SF_STAT_EVENT, "frames sent")			\
	X(syn_rx, SF_STAT_EVENT, "SYNs to a listening pair")		\
	X(synack_tx, SF_STAT_EVENT, "SYN-ACKs built")			\
	X(ack_cookie_ok, SF_STAT_EVENT, "ACKs with a valid cookie")	\
	X(ack_cookie_bad, SF_STAT_EVENT, "ACKs with a bad or expired cookie") \
	X(established, SF_STAT_EVENT, "connections inserted ESTABLISHED") \
	X(handoff_enq, SF_STAT_EVENT, "events enqueued to the consumer") \
	X(handoff_full, SF_STAT_DROP, "events not enqueued: ring full")	\
	X(rst_tx, SF_STAT_EVENT, "RSTs built")				\
	X(challenge_ack_tx, SF_STAT_EVENT, "challenge ACKs built")	\
	X(arp_reply, SF_STAT_EVENT, "ARP replies built")		\
	X(nd_reply, SF_STAT_EVENT, "neighbour advertisements built")	\
	X(icmp_reply, SF_STAT_EVENT, "echo replies built")		\
	X(fin_rx, SF_STAT_EVENT, "FINs on established flows")		\
	X(data_rx, SF_STAT_EVENT, "data segments handed over")		\
	X(conn_active, SF_STAT_EVENT, "entries in the shard (gauge)")	\
	X(conn_timeout, SF_STAT_EVENT, "entries expired idle")		\
	X(not_listening, SF_STAT_EVENT, "TCP to a VIP on a closed port") \
	X(malformed, SF_STAT_DROP, "frames rejected by the parser")	\
	X(tx_dropped, SF_STAT_DROP, "replies the port did not take")	\
	X(not_vip, SF_STAT_DROP, "dropped: addressed to no VIP")	\
	X(not_handled, SF_STAT_DROP, "dropped: well-formed, not served") \
	X(conn_full, SF_STAT_DROP, "dropped: shard full at insert")	\
	X(rst_ratelimited, SF_STAT_DROP, "RSTs not sent: rate limit")	\
	X(rst_rx, SF_STAT_EVENT, "RSTs at RCV.NXT on established flows")	\
	X(rst_ignored, SF_STAT_DROP, "RSTs for unknown flows, dropped")	\
	X(unexpected, SF_STAT_DROP, "dropped: segment not valid in its state") \
	X(out_of_window, SF_STAT_DROP, "dropped: out of window (challenge ACK)") \
	X(dup_data, SF_STAT_EVENT, "data already received, re-acknowledged") \
	X(ack_rx, SF_STAT_EVENT, "pure ACKs on established flows")	\
	X(closed, SF_STAT_EVENT, "connections closed by the last ACK")	\
	X(alloc_fail, SF_STAT_DROP, "dropped: no mbuf for a reply")	\
	X(challenge_ratelimited, SF_STAT_DROP, "challenge ACKs not sent: rate limit") \
	X(reply_fail, SF_STAT_DROP, "dropped: reply did not fit the mbuf") \
	X(keepalive_rx, SF_STAT_EVENT, "keepalive probes (pure ACK below RCV.NXT), ACKed") \
	X(replay_rx, SF_STAT_EVENT, "handshake ACKs of a closed flow, answered as TIME-WAIT") \
	X(closed_full, SF_STAT_DROP, "closed flows not recorded: both buckets full") \
	X(closed_active, SF_STAT_EVENT, "closed-flow records alive (gauge)") \
	X(not_our_mac, SF_STAT_DROP, "dropped: sent to another MAC, or TCP/echo to a group") \
	X(challenge_flow_limited, SF_STAT_DROP, "replies to unacceptable segments not sent: per-flow limit") \
	X(paws_rejected, SF_STAT_DROP, "dropped: TSval older than TS.Recent (PAWS), ACKed") \
	X(ts_missing, SF_STAT_DROP, "dropped: no timestamp on a timestamp flow") \
	X(after_rst, SF_STAT_DROP, "dropped: segment of a flow reset, RST event pending") \
	X(cmd_rx, SF_STAT_EVENT, "commands dequeued from the consumer") \
	X(cmd_stale, SF_STAT_EVENT, "commands for a connection gone (stale handle), mbuf freed") \
	X(cmd_bad, SF_STAT_EVENT, "commands refused: unknown type, no mbuf, reply off, after CLOSE") \
	X(data_tx, SF_STAT_EVENT, "data segments sent (retransmissions included)") \
	X(bytes_tx, SF_STAT_EVENT, "payload bytes sent (retransmissions included)") \
	X(retransmits, SF_STAT_EVENT, "segments retransmitted on timeout") \
	X(fast_retransmits, SF_STAT_EVENT, "segments retransmitted on three duplicate ACKs") \
	X(rto_expired, SF_STAT_EVENT, "retransmission timeouts") \
	X(zero_window_probes, SF_STAT_EVENT, "zero-window probes sent") \
	X(snd_pool_full, SF_STAT_EVENT, "connections aborted: no send state left") \
	X(snd_overflow, SF_STAT_EVENT, "connections aborted: SEND beyond snd_buf") \
	X(aborts, SF_STAT_EVENT, "connections reset by the worker (ABORT, give-up, overflow)") \
	X(window_updates, SF_STAT_EVENT, "window-update ACKs sent on CREDIT") \
	X(closed_tx, SF_STAT_EVENT, "our FINs sent on CLOSE") \
	X(acked_events, SF_STAT_EVENT, "ACKED events queued") \
	X(closed_events, SF_STAT_EVENT, "CLOSED events queued") \
	X(snd_alloc_fail, SF_STAT_EVENT, "segments not sent now: no mbuf (retried on a timer)") \
	X(acked_deferred, SF_STAT_EVENT, "ACKED events that did not fit the ring, kept pending and retried") \
	X(acked_pending, SF_STAT_EVENT, "connections whose ACKED event waits for ring room (gauge)") \
	X(snd_active, SF_STAT_EVENT, "send states in use (gauge)") \
	X(reply_active, SF_STAT_EVENT, "entries with the reply channel (gauge)") \
	X(tail_loss_probes, SF_STAT_EVENT, "tail loss probes sent (RFC 8985)") \
	X(loss_recoveries, SF_STAT_EVENT, "fast recoveries entered (dup ACKs, SACK, early retransmit)") \
	X(busy_tsc, SF_STAT_EVENT, "TSC ticks of loop turns that did work (frames received, TX drained, reply-channel work)") \
	X(total_tsc, SF_STAT_EVENT, "TSC ticks of the poll loop, idle turns included")

/** Counter indexes. */
enum sf_counter {
#define SF_X_ENUM(name, kind, help) SF_CNT_##name,
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
 * Write the summary: rx/tx, SYN-ACKs, established, events, active,
 * drops, with rates against @p prev over @p secs when given; no newline
 * (a caller may append its own part to the line).
 *
 * @param f     output stream
 * @param now   current sums
 * @param prev  previous sums, or NULL for no rates
 * @param secs  seconds between @p prev and @p now
 */
void
sf_stats_print(FILE *f, const struct sf_stats *now,
	       const struct sf_stats *prev, double secs);

/**
 * sf_stats_print(), then a newline, and the stream flushed.
 *
 * @param f     output stream (flushed)
 * @param now   current sums
 * @param prev  previous sums, or NULL for no rates
 * @param secs  seconds between @p prev and @p now
 */
void
sf_stats_print_line(FILE *f, const struct sf_stats *now,
		    const struct sf_stats *prev, double secs);

/**
 * The share of a poll loop spent on work, from two readings of its
 * counters: 100 x (busy_tsc delta) / (total_tsc delta). A poll-mode core
 * is 100 % on by construction; this is the part of it that did something.
 *
 * @param now   current counters (one worker's, or sums)
 * @param prev  earlier counters, or NULL for the whole run
 * @return the percentage, 0..100 (0 when no loop time passed; a busy
 *   delta above the total, seen in a snapshot taken while the owner
 *   writes, gives 100).
 */
double
sf_stats_busy_pct(const struct sf_stats *now, const struct sf_stats *prev);

struct rte_tel_data;
struct sf_config;

/**
 * Fill a telemetry dictionary with counters, as /synfront/stats and each
 * lcore of /synfront/lcores answer: every counter by its name (u64), then
 * busy_pct (sf_stats_busy_pct() over the whole run, rounded to a whole
 * percent), tsc_per_synack (busy_tsc / synack_tx, 0 before the first
 * SYN-ACK) and tsc_hz, so that busy_tsc / tsc_hz is CPU seconds.
 *
 * @param d       the dictionary, started here
 * @param s       the counters
 * @param tsc_hz  TSC frequency (rte_get_tsc_hz())
 * @return 0.
 */
int
sf_stats_dict(struct rte_tel_data *d, const struct sf_stats *s,
	      uint64_t tsc_hz);

/**
 * Fill a telemetry dictionary with a configuration, as /synfront/config
 * answers: one entry per setting of sf_config_foreach(), by its name;
 * numbers as u64, on/off and key_set / previous_key_set as int 1/0, words
 * and file names as strings, "vip" an array of strings, "ports" an array
 * of ints, then "config_file". The keys themselves are never shown.
 *
 * @param d    the dictionary, started here
 * @param cfg  the configuration
 * @return 0.
 */
int
sf_stats_config_dict(struct rte_tel_data *d, const struct sf_config *cfg);

/**
 * Register /synfront/stats, /synfront/lcores, /synfront/drops and
 * /synfront/config with rte_telemetry. The arrays and the configuration
 * must outlive the process (they are read on the telemetry thread).
 *
 * @param blocks  per-worker blocks
 * @param lcores  lcore id of each block
 * @param n       number of workers
 * @param cfg     the running configuration, for /synfront/config (NULL:
 *   the command answers -ENOTSUP)
 * @return 0, or a negative errno from rte_telemetry_register_cmd().
 */
int
sf_stats_telemetry_register(const struct sf_stats *const *blocks,
			    const unsigned int *lcores, unsigned int n,
			    const struct sf_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* SF_STATS_H */
