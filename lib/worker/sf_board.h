/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_BOARD_H
#define SF_BOARD_H

/**
 * @file
 * The board: what the main lcore publishes to the running workers (the
 * cookie keys after a SIGHUP, the clock base after each re-read of the
 * wall clock) without a lock, a syscall or a lost packet on the data path.
 *
 * Two slots and a generation number, written by one writer (the main
 * lcore), read by any number of readers (the workers, telemetry):
 *
 *     gen      slot[gen & 1] is current, slot[(gen + 1) & 1] the spare
 *     writer   release fence; write the spare slot; store-release gen + 1
 *     reader   g = load-acquire gen; copy slot[g & 1]; acquire fence;
 *              retry while gen != g
 *
 * A reader whose copy overlapped a write of its slot (two publications
 * during one copy) sees gen moved and copies again; a publication while
 * it copies the other slot makes it copy once more, harmlessly. A worker
 * compares gen with the one it copied once per loop turn (a relaxed load,
 * the cost of one L1 hit while nothing changes) and copies only when it
 * moved; between publications the line stays shared in every cache.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_atomic.h>
#include <rte_common.h>

#include "sf_cookie.h"
#include "sf_worker.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What one publication carries. */
struct sf_board_state {
	struct sf_cookie_keys keys;	/**< signing and validating keys */
	struct sf_clock_base clock;	/**< wall clock = base + TSC */
};

/** The board; make it with sf_board_create(). */
struct sf_board {
	uint64_t gen;				/**< generation, 1 after create */
	struct sf_board_state slot[2];		/**< slot[gen & 1] current */
} __rte_cache_aligned;

/**
 * Make a board in shared memory (rte_zmalloc_socket) with a first state,
 * generation 1.
 *
 * @param init       the first state
 * @param socket_id  NUMA socket (SOCKET_ID_ANY allowed)
 * @return the board, or NULL with rte_errno set (ENOMEM, EINVAL when
 *   @p init is NULL).
 */
struct sf_board *
sf_board_create(const struct sf_board_state *init, int socket_id);

/**
 * Free a board (no reader may use it any more).
 *
 * @param b  the board, or NULL
 */
void
sf_board_free(struct sf_board *b);

/**
 * Start a write (the one writer only): the spare slot to fill. Nothing
 * changes for readers until sf_board_write_end().
 *
 * @param b  the board
 * @return the spare slot.
 */
static inline struct sf_board_state *
sf_board_write_begin(struct sf_board *b)
{
	/* a reader that sees this write's stores also sees the last gen */
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	return &b->slot[(b->gen + 1) & 1];
}

/**
 * Publish the slot sf_board_write_begin() gave.
 *
 * @param b  the board
 */
static inline void
sf_board_write_end(struct sf_board *b)
{
	__atomic_store_n(&b->gen, b->gen + 1, __ATOMIC_RELEASE);
}

/**
 * Publish a state (the one writer only): sf_board_write_begin(), copy,
 * sf_board_write_end().
 *
 * @param b  the board
 * @param s  the new state
 */
void
sf_board_publish(struct sf_board *b, const struct sf_board_state *s);

/**
 * The generation now, for a reader's once-a-turn check (relaxed: no
 * ordering; sf_board_read() orders the copy).
 *
 * @param b  the board
 * @return its generation.
 */
static inline uint64_t
sf_board_gen(const struct sf_board *b)
{
	return __atomic_load_n(&b->gen, __ATOMIC_RELAXED);
}

/**
 * Start a read.
 *
 * @param b  the board
 * @return the generation whose slot (slot[gen & 1]) to copy.
 */
static inline uint64_t
sf_board_read_begin(const struct sf_board *b)
{
	return __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);
}

/**
 * End a read.
 *
 * @param b    the board
 * @param gen  what sf_board_read_begin() returned
 * @return true when the copy may be torn (a publication since): read
 *   again.
 */
static inline bool
sf_board_read_retry(const struct sf_board *b, uint64_t gen)
{
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&b->gen, __ATOMIC_RELAXED) != gen;
}

/**
 * Copy the current state, consistent (retried until no publication
 * overlapped the copy).
 *
 * @param b    the board
 * @param out  receives the state
 * @return the generation copied.
 */
uint64_t
sf_board_read(const struct sf_board *b, struct sf_board_state *out);

#ifdef __cplusplus
}
#endif

#endif /* SF_BOARD_H */
