/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_WORKER_H
#define SF_WORKER_H

/**
 * @file
 * A worker: one lcore's whole state, made from one configuration by
 * sf_worker_create() and freed by sf_worker_free(). It owns its counters
 * (struct sf_stats), its connection shard (SF_WORKER_SHARD_NAME_FMT), its
 * table of closed flows (sf_closed.h: 2048 bytes per close a second of
 * closed_rate), its handoff ring (SF_HANDOFF_NAME_FMT) and its responder;
 * the accessors
 * below lend them to the telemetry, the consumer and the benchmark.
 *
 * The per-lcore poll loop, sf_worker_main(): rx_burst(32) on its queue of
 * every port -> sf_respond_burst() -> buffered tx_burst, drained on a TSC
 * deadline; unsent mbufs freed and counted (tx_dropped). Prefetching the
 * frames is the responder's (it parses them). The expiry sweep runs
 * between bursts, every SF_WORKER_EXPIRE_US, paced to go round the whole
 * shard once per idle_timeout_s / SF_WORKER_SWEEP_FRACTION with at most
 * SF_WORKER_EXPIRE_MAX slots a call. With the reply channel, each turn of
 * the loop also applies the consumer's commands (sf_respond_commands())
 * and the send path's timers (sf_respond_timers()); the segments they
 * originate are buffered per port and sent at the end of the turn. The
 * loop ends when *quit becomes true.
 *
 * Keys and clock: a worker signs and validates cookies with its own copy
 * of the keys and computes its clock from its own copy of the clock base.
 * With a board (sf_board.h), each turn of the loop compares the board's
 * generation with the one it copied (one relaxed load, no lock, no
 * syscall) and copies keys and clock base when it moved: a key roll or a
 * clock re-read takes effect between two bursts, no packet is lost, and a
 * cookie of the old key validates through previous_key. Its millisecond
 * clock (our TSval) never goes backwards (sf_clock_ms_clamp()).
 *
 * Busy accounting: the counter total_tsc counts the loop's TSC ticks,
 * busy_tsc those of the turns that did work (frames received, a TX drain
 * that sent replies, reply-channel work). It reuses the TSC read at the
 * top of each turn (no extra read) and writes the counters out every
 * SF_WORKER_DRAIN_US and when the loop ends; they add up over restarts.
 * busy_tsc / total_tsc is the share of the polling core spent on work
 * (sf_stats_busy_pct()).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_closed.h"
#include "sf_config.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_respond.h"
#include "sf_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SF_WORKER_BURST		32	/**< rx_burst size */
#define SF_WORKER_DRAIN_US	100	/**< TX buffer drain deadline */
/**
 * The expiry sweep goes round the whole shard once per idle_timeout_s /
 * SF_WORKER_SWEEP_FRACTION: an idle entry goes between timeout and
 * 1.25 x timeout, whatever the shard's size (see struct sf_sweep_pace).
 */
#define SF_WORKER_SWEEP_FRACTION	4
/** Sweep period when idle expiry is off (RESET entries are still retried). */
#define SF_WORKER_SWEEP_DEFAULT_S	75
/**
 * Most slots one expiry call scans, so that one call stays within the
 * loop's budget. Measured on this project's 2-core EPYC VM (2.6 GHz TSC,
 * a 2^20-entry shard half full, out of cache): scanning costs 1.3 to 5 ns
 * a slot (a call of 1024 slots with nothing idle: 1.3 to 5 us), removing
 * an idle entry 75 to 190 ns more. In steady state a call scans
 * slots / period x SF_WORKER_EXPIRE_US (90 slots for 2^26 entries and
 * idle_timeout_s 300); the cap binds only when catching up after a stall.
 * At the cap a call every SF_WORKER_EXPIRE_US sweeps 10 M slots a second:
 * the largest shard (2^26) is swept in 6.6 s, so its timeout is honoured
 * from idle_timeout_s 27 up (the default shard's from 1 s up).
 */
#define SF_WORKER_EXPIRE_MAX	1024
/** How often the loop runs an expiry call, in microseconds. */
#define SF_WORKER_EXPIRE_US	100
/** Ports a worker polls (each one answered by its responder). */
#define SF_WORKER_MAX_PORTS	SF_RESPOND_MAX_PORTS
/** Shard name of worker w: "sf_conn_<w>". */
#define SF_WORKER_SHARD_NAME_FMT	"sf_conn_%u"
/** A size of error buffer for sf_worker_create() that always suffices. */
#define SF_WORKER_ERR_LEN	256

/**
 * The clock base of the workers: wall time = unix_ns0 + (tsc - tsc0) /
 * tsc_hz, so a burst's time costs no syscall. The main lcore re-reads it
 * every second against CLOCK_REALTIME (sf_clock_base_rebase()), so NTP
 * corrections and TSC drift reach the cookie counter, and publishes it on
 * the board (sf_board.h); each worker takes it at the top of a loop turn.
 */
struct sf_clock_base {
	uint64_t tsc_hz;		/**< rte_get_tsc_hz() */
	uint64_t tsc0;			/**< TSC at unix_ns0 */
	uint64_t unix_ns0;		/**< wall clock at start, ns */
};

/** One port a worker polls: the ethdev, and what its responder needs of it. */
struct sf_worker_port {
	uint16_t port_id;		/**< ethdev port id (not checked) */
	struct sf_respond_port resp;	/**< our MAC, MTU, TX offloads on it */
};

/**
 * Everything one worker is made of. Pointers must outlive the worker.
 * The workers of a process differ only in worker_id, lcore_id, queue_id
 * and socket_id.
 */
struct sf_worker_conf {
	unsigned int worker_id;		/**< names its shard and ring */
	unsigned int lcore_id;		/**< EAL lcore (stamped into events) */
	uint16_t queue_id;		/**< its RX/TX queue on every port */
	struct sf_worker_port ports[SF_WORKER_MAX_PORTS];	/**< by port index */
	unsigned int n_ports;		/**< 1..SF_WORKER_MAX_PORTS */
	struct sf_respond_policy policy;	/**< what to answer, and how */
	const struct sf_cookie_keys *keys;	/**< cookie keys, copied (the board's replace them) */
	struct rte_mempool *pool;	/**< for replies that need a new mbuf */
	uint32_t shard_entries;		/**< shard capacity (sf_conn_shard_create()) */
	uint32_t closed_rate;		/**< closes/s its closed-flow table is sized for (sf_closed_records()), 0 = none */
	unsigned int ring_size;		/**< handoff ring size, a power of two >= 2 */
	/* The reply channel (policy.tcp.reply): */
	unsigned int cmd_ring_size;	/**< command ring size, a power of two >= 2 */
	uint32_t send_states;		/**< send states of its pool */
	uint32_t snd_buf;		/**< most unacknowledged bytes a connection */
	volatile bool *quit;		/**< the loop ends when it becomes true */
	struct sf_clock_base clock;	/**< burst clock base (tsc_hz != 0) */
	/**
	 * Keys and clock base published while running (sf_board.h), or NULL:
	 * keys and clock stay as given. With a board, its state at creation
	 * replaces keys and clock; the board must outlive the worker.
	 */
	const struct sf_board *board;
	int socket_id;			/**< NUMA socket of its memory (SOCKET_ID_ANY allowed) */
};

/** Opaque worker: one lcore's state, made by sf_worker_create(). */
struct sf_worker;
/** The board keys and clock are published on (sf_board.h). */
struct sf_board;

/**
 * Create a worker: its counters, its connection shard
 * (SF_WORKER_SHARD_NAME_FMT), its closed-flow table (with closed_rate),
 * its handoff ring (sf_handoff_create()), with the reply channel
 * (policy.tcp.reply) its command ring (sf_cmd_create()), and
 * its responder, in the memory of conf->socket_id. On failure nothing
 * created is left behind.
 *
 * @param conf    its configuration (copied; the objects it points to are not)
 * @param err     receives one line naming the worker, its lcore, what failed
 *                and the sizes asked for (SF_WORKER_ERR_LEN suffices); may
 *                be NULL
 * @param errlen  size of @p err
 * @return the worker, or NULL with rte_errno set: EINVAL (@p conf NULL, or
 *   in it: pool or quit NULL, keys NULL without a board, n_ports 0 or above
 *   SF_WORKER_MAX_PORTS, ring_size (or with the reply channel
 *   cmd_ring_size) not a power of two >= 2, send_states 0, shard_entries
 *   out of the shard's range, closed_rate above SF_CLOSED_RATE_MAX, clock.tsc_hz 0, lcore_id >= RTE_MAX_LCORE,
 *   a policy the responder refuses), EEXIST (a shard or ring of that
 *   worker_id exists already: the existing one is left alone), ENOMEM,
 *   or another error of rte_hash_create() or rte_ring_create_elem().
 */
struct sf_worker *
sf_worker_create(const struct sf_worker_conf *conf, char *err, size_t errlen);

/**
 * Free a worker and all it owns: its responder, its ring (after releasing
 * the events left in it, with their mbufs), its shard, its counters. The
 * caller consumes the ring first if it wants to see those events. Not
 * while an lcore runs sf_worker_main() on it.
 *
 * @param w  the worker, or NULL
 */
void
sf_worker_free(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its counters (written by its lcore only; read them anywhere).
 */
struct sf_stats *
sf_worker_stats(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its handoff ring (single consumer: one consumer at a time).
 */
struct rte_ring *
sf_worker_ring(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its command ring, NULL when the reply channel is off.
 */
struct rte_ring *
sf_worker_cmd_ring(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its connection shard (not thread safe: the owner lcore only).
 */
struct sf_conn_shard *
sf_worker_shard(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its responder, for callers that drive it directly instead of
 *   launching sf_worker_main() (the benchmark).
 */
struct sf_responder *
sf_worker_responder(struct sf_worker *w);

/**
 * @param w  the worker
 * @return its closed-flow table (the owner lcore only), NULL with
 *   closed_rate 0.
 */
struct sf_closed *
sf_worker_closed(struct sf_worker *w);

/**
 * @param w  the worker
 * @return the EAL lcore it was created for.
 */
unsigned int
sf_worker_lcore(const struct sf_worker *w);

/**
 * The loop; an lcore_function_t for rte_eal_remote_launch().
 *
 * @param arg  struct sf_worker *, from sf_worker_create()
 * @return 0.
 */
int
sf_worker_main(void *arg);

/**
 * Read the clock base now: CLOCK_REALTIME against the midpoint of two
 * rte_rdtsc() around it (read again, up to a few times, when the two are
 * more than 50 us apart).
 *
 * @param base  receives tsc_hz, tsc0 and unix_ns0
 * @return 0, or -1 with errno set by clock_gettime().
 */
int
sf_clock_base_init(struct sf_clock_base *base);

/**
 * Move a clock base @p offset_s seconds into the future: the configuration's
 * test-only clock_offset_s, with which a test ages SYN cookies without
 * waiting. Never for production (cookies of a fleet then disagree).
 *
 * @param base      the clock base, unix_ns0 updated
 * @param offset_s  seconds to add (0: unchanged)
 */
void
sf_clock_base_shift(struct sf_clock_base *base, uint32_t offset_s);

/**
 * Wall time at a TSC reading: unix_ns0 + (tsc - tsc0) / tsc_hz, in ns; a
 * reading before tsc0 (or tsc_hz 0) gives unix_ns0.
 *
 * @param base the clock base
 * @param tsc  an rte_rdtsc() reading
 * @return unix nanoseconds.
 */
uint64_t
sf_clock_base_ns(const struct sf_clock_base *base, uint64_t tsc);

/**
 * Re-base a clock on a fresh reading of the wall clock: tsc0 = @p tsc,
 * unix_ns0 = @p real_ns (the caller adds the test-only clock offset to
 * it, as at start).
 *
 * @param base     the clock base, updated
 * @param tsc      the TSC read with the wall clock
 * @param real_ns  the wall clock then, unix ns
 * @return the correction, real minus extrapolated (sf_clock_base_ns() of
 *   the old base at @p tsc), in ns: positive when the old base was late.
 */
int64_t
sf_clock_base_rebase(struct sf_clock_base *base, uint64_t tsc,
		     uint64_t real_ns);

/**
 * Keep a millisecond clock from going backwards: a correction of the clock
 * base may move the wall clock back, but our TSval must never decrease on
 * a connection (the client's PAWS check would drop our segments), so each
 * worker holds its millisecond clock at the last value it gave until the
 * wall clock passes it. Wrap-around safe (serial arithmetic, RFC 1982).
 *
 * @param ms    the millisecond clock just computed
 * @param last  the last value given, updated
 * @return max(ms, *last) in serial order.
 */
static inline uint32_t
sf_clock_ms_clamp(uint32_t ms, uint32_t *last)
{
	if ((int32_t)(ms - *last) < 0)
		ms = *last;
	*last = ms;
	return ms;
}

/**
 * Compute a burst clock from a TSC reading (no syscall):
 * wall time = unix_ns0 + (tsc - tsc0) / tsc_hz; a reading before tsc0 (or
 * tsc_hz 0) gives the start time.
 *
 * @param base the clock base (tsc_hz, tsc0, unix_ns0)
 * @param tsc  an rte_rdtsc() reading
 * @param now  receives tsc, unix seconds and the millisecond clock
 */
void
sf_worker_clock(const struct sf_clock_base *base, uint64_t tsc,
		struct sf_clock *now);

/**
 * Expiry sweep pacing: turns elapsed TSC ticks into shard slots to scan.
 * Fill it with sf_sweep_pace_init(); read the fields only in tests.
 */
struct sf_sweep_pace {
	uint64_t tsc_per_slot;	/**< period / slots, rounded down, >= 1 */
	uint64_t credit;	/**< ticks elapsed and not yet swept */
	uint64_t credit_max;	/**< at most one period is owed */
	uint64_t last_tsc;	/**< TSC of the last call */
	unsigned int max_slots;	/**< cap of one call */
};

/**
 * The sweep period: idle_timeout_s / SF_WORKER_SWEEP_FRACTION in ticks;
 * SF_WORKER_SWEEP_DEFAULT_S when idle expiry is off (timeout 0).
 *
 * @param idle_timeout_s  idle timeout, 0 = none
 * @param tsc_hz          TSC frequency
 * @return the period in TSC ticks.
 */
uint64_t
sf_sweep_period_tsc(uint32_t idle_timeout_s, uint64_t tsc_hz);

/**
 * Start pacing a sweep of @p slots slots every @p period_tsc ticks.
 * When a period is shorter than @p slots ticks, or @p max_slots per call
 * cannot keep up with the calls' rate, the sweep takes longer than the
 * period (the most it can do: one slot a tick, max_slots a call).
 *
 * @param p          the pacing state
 * @param slots      slots in a whole sweep (sf_conn_slots())
 * @param period_tsc ticks a whole sweep may take (sf_sweep_period_tsc())
 * @param max_slots  most slots one call returns (SF_WORKER_EXPIRE_MAX)
 * @param now_tsc    the TSC now
 */
void
sf_sweep_pace_init(struct sf_sweep_pace *p, uint32_t slots,
		   uint64_t period_tsc, unsigned int max_slots,
		   uint64_t now_tsc);

/**
 * Slots to scan now: those the time since the last call has earned, the
 * remainder carried to the next call, at most max_slots; the ticks still
 * owed after a long stall are capped at one period.
 *
 * @param p        the pacing state
 * @param now_tsc  the TSC now (a value before the last call's earns none)
 * @return slots to give sf_respond_expire() (0..max_slots).
 */
unsigned int
sf_sweep_pace_next(struct sf_sweep_pace *p, uint64_t now_tsc);

/**
 * Map the configuration onto the responder's policy (VIPs, listening
 * ports, TCP options, rate limits, idle timeout): what the worker conf
 * carries of it.
 *
 * @param cfg  a validated configuration
 * @param pol  receives the policy
 */
void
sf_worker_policy(const struct sf_config *cfg, struct sf_respond_policy *pol);

#ifdef __cplusplus
}
#endif

#endif /* SF_WORKER_H */
