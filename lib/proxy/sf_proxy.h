/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_PROXY_H
#define SF_PROXY_H

/**
 * @file
 * The proxy consumer: every connection a worker hands over is carried to a
 * backend over a kernel TCP socket, through the handoff API alone
 * (sf_handoff.h: events with handles in, sf_cmd_* commands out).
 *
 * Per ESTABLISHED event (with SF_EV_F_REPLY) a non-blocking connect() to a
 * backend chosen round-robin or by a hash of the client address; a backend
 * that refuses or does not answer within connect_timeout_ms is skipped for
 * this connection (the next one is tried), and after `fall` such failures
 * in a row it is marked down for down_ms; when none is left the client is
 * reset (ABORT). A PROXY protocol v1 or v2 header goes first when asked.
 *
 *     client DATA       -> write() to the backend, CREDIT as written (bytes
 *                          the socket does not take wait: the client's
 *                          window closes)
 *     backend readable  -> SEND (mbufs of the proxy's own pool) while
 *                          sent - ACKED < snd_buf
 *     client FIN        -> shutdown(SHUT_WR) once every byte is written
 *     backend EOF       -> CLOSE (after the last SEND)
 *     backend error     -> ABORT
 *     client RST, TIMEOUT -> close() with SO_LINGER 0 (the backend sees RST)
 *     CLOSED            -> close()
 *
 * Everything runs on one thread (the main lcore): sf_proxy_poll() drains
 * the event rings and an epoll set, both without blocking.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SF_PROXY_MAX_BACKENDS	16	/**< backends of one proxy */
#define SF_PROXY_ADDR_STR_LEN	56	/**< "[v6 address]:port" and NUL */
#define SF_PROXY_PP_MAX		108	/**< longest PROXY header (v1, IPv6) */

/** How a backend is chosen. */
enum sf_proxy_balance {
	SF_PROXY_RR = 0,	/**< round-robin over the backends up */
	SF_PROXY_SRC_HASH,	/**< by a hash of the client address */
};

/** HAProxy's PROXY protocol header sent first to the backend. */
enum sf_proxy_pp {
	SF_PROXY_PP_OFF = 0,	/**< none */
	SF_PROXY_PP_V1,		/**< text: "PROXY TCP4 ...\r\n" */
	SF_PROXY_PP_V2,		/**< binary */
};

/** A backend's address. */
struct sf_proxy_addr {
	uint8_t family;		/**< SF_AF_INET or SF_AF_INET6 */
	uint8_t addr[16];	/**< network order; IPv4 in the first 4 bytes */
	uint16_t port;		/**< host order, 1..65535 */
};

/**
 * Parse a backend list: "ADDR:PORT[, ADDR:PORT...]", IPv6 addresses in
 * brackets ("[2001:2:2::2]:8080"); blanks around items are ignored,
 * duplicates are an error.
 *
 * @param text  the list
 * @param out   receives up to @p max addresses
 * @param max   room in @p out
 * @param err   receives one line naming the bad item and why
 * @param len   size of @p err
 * @return number of backends (>= 1), or -1 with @p err set.
 */
int
sf_proxy_backends_parse(const char *text, struct sf_proxy_addr *out,
			unsigned int max, char *err, size_t len);

/**
 * Format a backend as "198.18.2.2:8080" or "[2001:2:2::2]:8080".
 *
 * @param a    the backend
 * @param buf  output, SF_PROXY_ADDR_STR_LEN bytes suffice
 * @param len  size of @p buf
 * @return buf.
 */
const char *
sf_proxy_addr_str(const struct sf_proxy_addr *a, char *buf, size_t len);

/** One backend's state and counters (written by the proxy thread only). */
struct sf_proxy_backend {
	struct sf_proxy_addr addr;	/**< where */
	uint64_t down_until;	/**< TSC before which it is skipped, 0 up */
	uint64_t connections;	/**< connections established to it */
	uint64_t active;	/**< connections open now (gauge) */
	uint64_t bytes_in;	/**< bytes read from it (to clients) */
	uint64_t bytes_out;	/**< bytes written to it (from clients) */
	uint64_t failures;	/**< connects refused or timed out */
	uint32_t fails;		/**< failures in a row (0 after a success) */
};

/** The backend set and the balancing state. */
struct sf_proxy_backends {
	unsigned int n;				/**< backends */
	enum sf_proxy_balance balance;		/**< how one is chosen */
	uint64_t down_tsc;			/**< how long a down mark lasts */
	uint32_t fall;				/**< failures in a row that mark
						 *   a backend down (>= 1) */
	uint32_t rr_next;			/**< round-robin cursor */
	struct sf_proxy_backend be[SF_PROXY_MAX_BACKENDS];	/**< by index */
};

/**
 * Set up a backend set (counters zero, every backend up).
 *
 * @param b         the set
 * @param addrs     n addresses, n in 1..SF_PROXY_MAX_BACKENDS
 * @param n         number of addresses
 * @param balance   enum sf_proxy_balance
 * @param down_tsc  TSC cycles a backend marked down is skipped
 * @param fall      failures in a row that mark a backend down (0 is 1)
 */
void
sf_proxy_backends_init(struct sf_proxy_backends *b,
		       const struct sf_proxy_addr *addrs, unsigned int n,
		       enum sf_proxy_balance balance, uint64_t down_tsc,
		       uint32_t fall);

/**
 * Choose a backend for a connection: round-robin starts at the cursor,
 * source-hash at @p hash mod n; from there the first backend that is up
 * and not in @p tried. Round-robin moves its cursor past the first choice
 * of each connection (@p tried empty).
 *
 * @param b      the set
 * @param hash   sf_proxy_source_hash() of the client (source-hash)
 * @param tried  bit i set: backend i already failed for this connection
 * @param now    TSC
 * @return the backend's index, or -1 when none is left.
 */
int
sf_proxy_backend_pick(struct sf_proxy_backends *b, uint32_t hash,
		      uint32_t tried, uint64_t now);

/**
 * Count a failure of backend @p i; at the set's `fall`-th in a row (or
 * any failure in a row after that) mark it down until @p now + down_tsc.
 *
 * @param b    the set
 * @param i    backend index
 * @param now  TSC
 */
void
sf_proxy_backend_fail(struct sf_proxy_backends *b, unsigned int i,
		      uint64_t now);

/**
 * A connection to backend @p i was established: it is up again, its
 * failures in a row forgotten.
 *
 * @param b  the set
 * @param i  backend index
 */
void
sf_proxy_backend_ok(struct sf_proxy_backends *b, unsigned int i);

/**
 * @param b    the set
 * @param i    backend index
 * @param now  TSC
 * @return whether backend @p i is skipped at @p now.
 */
bool
sf_proxy_backend_is_down(const struct sf_proxy_backends *b, unsigned int i,
			 uint64_t now);

/**
 * The source-hash of a connection: FNV-1a over the family and the client
 * address (not the port), so one client always lands on one backend.
 *
 * @param f  the connection's flow
 * @return the hash.
 */
uint32_t
sf_proxy_source_hash(const struct sf_flow *f);

/**
 * Encode the PROXY protocol header of a connection (HAProxy's
 * proxy-protocol.txt; source = the client, destination = our VIP).
 *
 * v1: "PROXY TCP4 198.18.0.1 198.18.0.2 40000 80\r\n" (TCP6 for IPv6,
 * addresses as inet_ntop() writes them).
 *
 * v2 (16-byte header, then the addresses):
 *
 *      0                   1                   2                   3
 *     +---------------------------------------------------------------+
 *     |  signature  0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A  (12 bytes)   |
 *     +---------------+---------------+-------------------------------+
 *     | ver|cmd 0x21  | fam|prot      | length (big endian)           |
 *     |  v2, PROXY    | 0x11 TCP4     | 12 (IPv4), 36 (IPv6)          |
 *     |               | 0x21 TCP6     |                               |
 *     +---------------+---------------+-------------------------------+
 *     | src addr (4|16) | dst addr (4|16) | src port (2) | dst port (2) |
 *     +---------------------------------------------------------------+
 *
 * @param version  SF_PROXY_PP_V1 or SF_PROXY_PP_V2
 * @param f        the connection (family SF_AF_INET or SF_AF_INET6)
 * @param buf      output, SF_PROXY_PP_MAX bytes suffice
 * @param len      size of @p buf
 * @return bytes written (v1 without a NUL), or -1 (unknown version or
 *   family, or @p len too small).
 */
int
sf_proxy_pp_encode(enum sf_proxy_pp version, const struct sf_flow *f,
		   uint8_t *buf, size_t len);

/** Buckets of the latency histogram: 4 per power of two of TSC cycles. */
#define SF_PROXY_HIST_SUB	4
#define SF_PROXY_HIST_BUCKETS	(64 * SF_PROXY_HIST_SUB)

/**
 * A log2 histogram of TSC cycles with SF_PROXY_HIST_SUB linear steps per
 * power of two (an error of at most 25 %): the handoff latency, from the
 * ESTABLISHED event's TSC to its dequeue by the proxy.
 */
struct sf_proxy_hist {
	uint64_t n;				/**< samples */
	uint64_t b[SF_PROXY_HIST_BUCKETS];	/**< samples by bucket */
};

/**
 * Count one sample.
 *
 * @param h       the histogram
 * @param cycles  the value
 */
void
sf_proxy_hist_add(struct sf_proxy_hist *h, uint64_t cycles);

/**
 * The value below which @p permille of the samples lie, as the upper bound
 * of its bucket.
 *
 * @param h         the histogram
 * @param permille  500 for the median, 990 for the 99th percentile
 * @return cycles, 0 when there is no sample.
 */
uint64_t
sf_proxy_hist_quantile(const struct sf_proxy_hist *h, unsigned int permille);

/**
 * Proxy-wide counters, by telemetry name: X(name). Per-backend
 * counters live in struct sf_proxy_backend.
 */
#define SF_PROXY_COUNTERS(X)						\
	X(established) /* ESTABLISHED events taken */			\
	X(no_reply) /* ESTABLISHED without the reply channel, ignored */ \
	X(table_full) /* connections reset: proxy table full */		\
	X(no_backend) /* connections reset: no backend left */		\
	X(socket_fail) /* backend sockets that could not be made */	\
	X(backend_reset) /* connections reset: backend error */		\
	X(client_reset) /* backend sockets reset: client RST or timeout */ \
	X(closed) /* connections closed both ways */			\
	X(unknown_handle) /* events for no connection of the proxy */	\
	X(cmd_full) /* commands delayed: command ring full */		\
	X(pool_empty) /* backend reads delayed: no mbuf */		\
	X(bad_mbuf) /* DATA payload beyond its mbuf, connection reset */

/** Proxy counter indexes. */
enum sf_proxy_counter {
#define SF_PROXY_X_ENUM(name) SF_PROXY_CNT_##name,
	SF_PROXY_COUNTERS(SF_PROXY_X_ENUM)
#undef SF_PROXY_X_ENUM
	SF_PROXY_CNT_MAX
};

/** What sf_proxy_create() needs. */
struct sf_proxy_conf {
	const struct sf_proxy_addr *backends;	/**< the backends */
	unsigned int n_backends;		/**< 1..SF_PROXY_MAX_BACKENDS */
	enum sf_proxy_balance balance;		/**< round-robin, source-hash */
	enum sf_proxy_pp proxy_protocol;	/**< PROXY header: off, v1, v2 */
	uint32_t connect_timeout_ms;		/**< connect() limit */
	uint32_t down_ms;			/**< a backend down is skipped */
	uint32_t fall;				/**< failures in a row: down */
	unsigned int n_rings;			/**< workers */
	struct rte_ring *const *ev_rings;	/**< event rings by worker */
	struct rte_ring *const *cmd_rings;	/**< command rings by worker */
	unsigned int max_conns;			/**< connections at once
						 *   ([proxy] max_conns) */
	unsigned int pool_mbufs;		/**< SEND mbufs (pool size,
						 *   [proxy] send_pool) */
	int socket_id;				/**< NUMA socket of the pool */
	const char *name;			/**< names the pool and hash */
};

/** Defaults of [proxy] max_conns, send_pool and fall. */
#define SF_PROXY_MAX_CONNS_DEFAULT	65536
#define SF_PROXY_POOL_DEFAULT		4095
#define SF_PROXY_FALL_DEFAULT		3
/** Bytes of payload of a SEND mbuf (one read() of the backend). */
#define SF_PROXY_MBUF_DATA		8192

struct sf_proxy;

/**
 * Create a proxy: its mbuf pool, connection table and epoll set.
 *
 * @param c    the configuration (copied; the ring arrays must outlive it)
 * @param err  receives one line naming what failed
 * @param len  size of @p err
 * @return the proxy, or NULL with @p err set.
 */
struct sf_proxy *
sf_proxy_create(const struct sf_proxy_conf *c, char *err, size_t len);

/**
 * Free a proxy: every backend socket closed (reset), every mbuf it holds
 * freed, then its pool (call it once the workers, which hold the SEND
 * mbufs until acknowledged, are freed).
 *
 * @param p  the proxy, or NULL
 */
void
sf_proxy_free(struct sf_proxy *p);

/**
 * One round, without blocking: connect timeouts, backend sockets ready
 * (epoll), events of every ring (a burst each), delayed commands.
 *
 * @param p    the proxy
 * @param now  rte_rdtsc() (the clock of timeouts and down marks)
 * @return units of work done (0: idle).
 */
unsigned int
sf_proxy_poll(struct sf_proxy *p, uint64_t now);

/**
 * At exit: free what the rings still hold (their DATA mbufs).
 *
 * @param p  the proxy
 * @return events drained.
 */
unsigned int
sf_proxy_drain(struct sf_proxy *p);

/**
 * @param p  the proxy
 * @return its backends (counters and state; read-only).
 */
const struct sf_proxy_backends *
sf_proxy_backends(const struct sf_proxy *p);

/**
 * @param p  the proxy
 * @param c  enum sf_proxy_counter
 * @return the counter's value (0 past the end).
 */
uint64_t
sf_proxy_counter(const struct sf_proxy *p, unsigned int c);

/**
 * @param p  the proxy
 * @return the handoff latency histogram.
 */
const struct sf_proxy_hist *
sf_proxy_latency(const struct sf_proxy *p);

/**
 * @param p  the proxy
 * @return connections in its table.
 */
unsigned int
sf_proxy_active(const struct sf_proxy *p);

/**
 * Write the proxy's part of the stats line (no newline): "proxy active N
 * conns N fail N in N out N up U/N p50 Xus p99 Yus".
 *
 * @param f  output stream
 * @param p  the proxy
 */
void
sf_proxy_print(FILE *f, const struct sf_proxy *p);

/**
 * Register /synfront/proxy with rte_telemetry: "active", the counters,
 * "handoff_samples", "handoff_median_ns", "handoff_p99_ns", and per
 * backend i a dictionary "backend_<i>": address, connections, active,
 * bytes_in, bytes_out, failures, down (1 while skipped). @p p must
 * outlive the process (read on the telemetry thread).
 *
 * @param p  the proxy
 * @return 0, or a negative errno from rte_telemetry_register_cmd().
 */
int
sf_proxy_telemetry_register(const struct sf_proxy *p);

#ifdef __cplusplus
}
#endif

#endif /* SF_PROXY_H */
