/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The send queue (sf_sndq.h). The chain is the consumer's mbufs linked
 * through their own next pointers: a SEND's last segment is linked to the
 * next SEND's first. Each segment is freed alone (rte_pktmbuf_free_seg(),
 * which unlinks it: next NULL, nb_segs 1) once acknowledged, so the head's
 * nb_segs and pkt_len are never read.
 */

#include <string.h>

#include <rte_common.h>

#include "sf_sndq.h"

uint32_t
sf_sndq_push(struct sf_sndq *q, struct rte_mbuf *m)
{
	struct rte_mbuf *last = m;
	uint32_t n = rte_pktmbuf_pkt_len(m);

	while (last->next != NULL)
		last = last->next;
	if (q->head == NULL) {
		q->head = m;
		q->head_off = 0;
		q->cur = m;
		q->cur_pos = 0;
	} else {
		q->tail->next = m;
	}
	q->tail = last;
	q->bytes += n;
	return n;
}

uint32_t
sf_sndq_copy(struct sf_sndq *q, uint32_t off, uint32_t len, uint8_t *dst)
{
	uint32_t pos = q->head_off + off;	/* position of the first byte */
	struct rte_mbuf *s = q->cur;
	uint32_t spos = q->cur_pos, done = 0;

	if (s == NULL || pos < spos) {
		s = q->head;
		spos = 0;
	}
	while (s != NULL && spos + s->data_len <= pos) {
		spos += s->data_len;
		s = s->next;
	}
	while (s != NULL && done < len) {
		uint32_t in = pos + done - spos;
		uint32_t k = RTE_MIN(len - done, (uint32_t)s->data_len - in);

		memcpy(dst + done, rte_pktmbuf_mtod_offset(s, uint8_t *, in), k);
		done += k;
		q->cur = s;
		q->cur_pos = spos;
		if (in + k == s->data_len) {
			spos += s->data_len;
			s = s->next;
		}
	}
	return done;
}

void
sf_sndq_ack(struct sf_sndq *q, uint32_t n)
{
	n = RTE_MIN(n, q->bytes);
	q->bytes -= n;
	q->head_off += n;
	while (q->head != NULL && q->head_off >= q->head->data_len &&
	       (q->head->next != NULL || q->bytes == 0)) {
		struct rte_mbuf *s = q->head;
		uint32_t len = s->data_len;

		q->head = s->next;
		q->head_off -= len;
		if (q->cur == s) {
			q->cur = q->head;
			q->cur_pos = 0;
		} else {
			q->cur_pos -= len;
		}
		rte_pktmbuf_free_seg(s);
	}
	if (q->head == NULL) {
		q->tail = NULL;
		q->cur = NULL;
		q->head_off = 0;
		q->cur_pos = 0;
	}
}

void
sf_sndq_free(struct sf_sndq *q)
{
	struct rte_mbuf *s = q->head;

	while (s != NULL) {
		struct rte_mbuf *next = s->next;

		rte_pktmbuf_free_seg(s);
		s = next;
	}
	memset(q, 0, sizeof(*q));
}
