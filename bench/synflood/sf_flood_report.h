/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_REPORT_H
#define SF_FLOOD_REPORT_H

/**
 * @file
 * sf-synflood's counters, its per-second rows and its summary (text, and
 * one JSON line for scripts). Formatting only: no I/O.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the generator counts (one lcore's). */
struct sf_flood_counters {
	uint64_t syn_tx;	/**< SYNs the PMD took */
	uint64_t ack_tx;	/**< ACKs of legitimate flows the PMD took: handshakes completed */
	uint64_t ack_drop;	/**< ACKs the PMD refused (freed) */
	uint64_t tx_short;	/**< SYN bursts the PMD took only in part (retried) */
	uint64_t alloc_fail;	/**< mbuf bulk allocations that failed */
	uint64_t rx;		/**< frames received */
	uint64_t synack_ok;	/**< SYN-ACKs validated: ack = ISN + 1 of a SYN we sent */
	uint64_t unmatched;	/**< SYN-ACKs that answer nothing we sent */
	uint64_t rst;		/**< RSTs */
	uint64_t other;		/**< anything else received */
	uint64_t port_imissed;	/**< the port's imissed + ierrors + rx_nombuf, at the end */
	uint64_t port_oerrors;	/**< the port's oerrors, at the end */
};

/** Longest row or summary line. */
#define SF_FLOOD_LINE_MAX	512

/**
 * The header of the per-second rows.
 *
 * @return a constant line (no newline).
 */
const char *
sf_flood_row_header(void);

/**
 * One per-second row: rates over the interval since @p prev.
 *
 * @param buf   receives the line (no newline)
 * @param len   its size
 * @param t     seconds since the start
 * @param dt    seconds since @p prev (> 0)
 * @param cur   counters now
 * @param prev  counters at the previous row
 * @return snprintf()'s result.
 */
int
sf_flood_row(char *buf, size_t len, double t, double dt,
	     const struct sf_flood_counters *cur,
	     const struct sf_flood_counters *prev);

/**
 * The summary in words: offered and answered rates over the sending
 * time, answer ratio (SYN-ACKs validated / SYNs sent), handshakes
 * completed, unmatched replies.
 *
 * @param buf   receives the line (no newline)
 * @param len   its size
 * @param c     final counters
 * @param tx_s  seconds of sending (first to last SYN burst)
 * @return snprintf()'s result.
 */
int
sf_flood_summary(char *buf, size_t len, const struct sf_flood_counters *c,
		 double tx_s);

/**
 * The summary as one JSON object: every counter, tx_seconds,
 * offered_pps, answered_pps, answer_ratio, handshakes, cpu_seconds,
 * cpu_user_seconds and syn_per_cpu_s (SYNs sent per CPU second of the
 * sending thread: its cost, whatever else shares the core; the system part
 * is the kernel's work in its syscalls, e.g. a veth's delivery).
 *
 * @param buf    receives the object (no newline)
 * @param len    its size
 * @param c      final counters
 * @param tx_s   seconds of sending
 * @param cpu_s  CPU seconds (user + system) of the sending thread while sending
 * @param user_s the user part of @p cpu_s
 * @return snprintf()'s result.
 */
int
sf_flood_summary_json(char *buf, size_t len,
		      const struct sf_flood_counters *c, double tx_s,
		      double cpu_s, double user_s);

#ifdef __cplusplus
}
#endif

#endif /* SF_FLOOD_REPORT_H */
