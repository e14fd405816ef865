/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The board (sf_board.h): two slots and a generation number, one writer.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "sf_board.h"

struct sf_board *
sf_board_create(const struct sf_board_state *init, int socket_id)
{
	struct sf_board *b;

	if (init == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	b = rte_zmalloc_socket("sf_board", sizeof(*b), RTE_CACHE_LINE_SIZE,
			       socket_id);
	if (b == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	sf_board_publish(b, init);	/* generation 1 */
	return b;
}

void
sf_board_free(struct sf_board *b)
{
	rte_free(b);
}

void
sf_board_publish(struct sf_board *b, const struct sf_board_state *s)
{
	memcpy(sf_board_write_begin(b), s, sizeof(*s));
	sf_board_write_end(b);
}

uint64_t
sf_board_read(const struct sf_board *b, struct sf_board_state *out)
{
	uint64_t gen;

	do {
		gen = sf_board_read_begin(b);
		memcpy(out, &b->slot[gen & 1], sizeof(*out));
	} while (sf_board_read_retry(b, gen));
	return gen;
}
