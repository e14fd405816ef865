/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_HANDOFF_PRIV_H
#define SF_HANDOFF_PRIV_H

/**
 * @file
 * Private to lib/handoff: what sf_handoff.c (the rings) asks of
 * sf_handoff_claim.c (the claim memzone beside each ring).
 */

#include <rte_memzone.h>

/**
 * The claim memzone of worker @p worker_id's ring, found or reserved on
 * @p socket_id, its word reset to free (a zone left by a ring freed
 * without sf_handoff_free() is found and reset).
 *
 * @return
 *   The zone, or NULL with rte_errno set: ENAMETOOLONG, or the errno of
 *   rte_memzone_reserve().
 */
const struct rte_memzone *
sf_handoff_claim_zone(unsigned int worker_id, int socket_id);

#endif /* SF_HANDOFF_PRIV_H */
