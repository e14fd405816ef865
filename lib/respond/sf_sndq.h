/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_SNDQ_H
#define SF_SNDQ_H

/**
 * @file
 * A connection's send queue: the consumer's SEND mbufs, chained segment
 * after segment, from the first byte not yet acknowledged (SND.UNA) to
 * the last byte queued. Segments to the client are copies of byte ranges
 * (sf_sndq_copy()); the consumer's mbufs are freed once every byte of
 * them is acknowledged (sf_sndq_ack()).
 *
 *   head (head_off bytes of it acknowledged) -> ... -> cur -> ... -> tail
 *   offsets given to the functions count from SND.UNA
 *
 * A cursor remembers the last segment copied from, so copying the queue
 * in order costs O(1) per segment.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A send queue (zero it to start). */
struct sf_sndq {
	struct rte_mbuf *head;	/**< first segment with a byte not acknowledged */
	struct rte_mbuf *tail;	/**< last segment */
	struct rte_mbuf *cur;	/**< cursor: a segment of the chain, or NULL */
	uint32_t head_off;	/**< bytes of head acknowledged */
	uint32_t cur_pos;	/**< position of cur's first byte (head's first = 0) */
	uint32_t bytes;		/**< bytes from SND.UNA to the end */
};

/**
 * Append a SEND's mbuf (any number of segments): the queue owns it.
 *
 * @param q  the queue
 * @param m  the payload (pkt_len bytes)
 * @return bytes added.
 */
uint32_t
sf_sndq_push(struct sf_sndq *q, struct rte_mbuf *m);

/**
 * Copy @p len bytes from offset @p off (counted from SND.UNA).
 *
 * @param q    the queue
 * @param off  first byte
 * @param len  bytes, off + len <= q->bytes
 * @param dst  room for len bytes
 * @return bytes copied (len, or less when the queue is shorter).
 */
uint32_t
sf_sndq_copy(struct sf_sndq *q, uint32_t off, uint32_t len, uint8_t *dst);

/**
 * Drop @p n acknowledged bytes from the front, freeing every segment all
 * of whose bytes are acknowledged.
 *
 * @param q  the queue
 * @param n  bytes, at most q->bytes (more is taken as q->bytes)
 */
void
sf_sndq_ack(struct sf_sndq *q, uint32_t n);

/**
 * Free everything queued and empty the queue.
 *
 * @param q  the queue
 */
void
sf_sndq_free(struct sf_sndq *q);

#ifdef __cplusplus
}
#endif

#endif /* SF_SNDQ_H */
