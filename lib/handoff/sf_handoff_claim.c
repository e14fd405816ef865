/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Ring claims: the rings are single-consumer, so whoever drains one first
 * claims it. Each ring has a small memzone of its own (SF_HANDOFF_CLAIM_FMT,
 * made with the ring by sf_handoff_create() through sf_handoff_claim_zone())
 * holding one 64-bit word that every process of the DPDK instance sees:
 *
 *   bit 63 .. 32   owner  enum sf_handoff_owner (0: free)
 *   bit 31 .. 0    pid    the claiming process
 *
 * Taken with a compare-and-swap from 0, or from a word whose pid is dead
 * (kill(pid, 0) fails with ESRCH: a consumer that crashed); released with
 * a compare-and-swap back to 0.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "sf_handoff.h"
#include "sf_handoff_priv.h"

#define SF_CLAIM_OWNER_SHIFT	32

static uint64_t
sf_claim_pack(const struct sf_handoff_holder *h)
{
	return (uint64_t)h->owner << SF_CLAIM_OWNER_SHIFT | h->pid;
}

static void
sf_claim_unpack(uint64_t w, struct sf_handoff_holder *h)
{
	h->pid = (uint32_t)w;
	h->owner = (uint32_t)(w >> SF_CLAIM_OWNER_SHIFT);
}

int
sf_handoff_claim_word(uint64_t *word, const struct sf_handoff_holder *me,
		      sf_handoff_alive_t alive, void *arg,
		      struct sf_handoff_holder *holder)
{
	const uint64_t mine = sf_claim_pack(me);
	uint64_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);
	struct sf_handoff_holder h;

	if (me->owner == SF_HANDOFF_OWNER_NONE || me->pid == 0)
		return -EINVAL;
	for (;;) {
		if (cur == mine)
			return 0;	/* ours already */
		sf_claim_unpack(cur, &h);
		if (cur != 0 && alive(h.pid, arg)) {
			if (holder != NULL)
				*holder = h;
			return -EBUSY;
		}
		/* free, or its holder is dead: take it unless it moved */
		if (__atomic_compare_exchange_n(word, &cur, mine, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return 0;
	}
}

int
sf_handoff_unclaim_word(uint64_t *word, const struct sf_handoff_holder *me)
{
	uint64_t mine = sf_claim_pack(me);

	if (!__atomic_compare_exchange_n(word, &mine, 0, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -EPERM;
	return 0;
}

bool
sf_handoff_pid_alive(uint32_t pid, void *arg)
{
	RTE_SET_USED(arg);
	/* EPERM: it exists, under another user. */
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/*
 * Name the claim memzone of worker @p worker_id's ring in @p name and look
 * it up. @return the zone, or NULL with rte_errno ENAMETOOLONG (no name),
 * or ENOENT (none of that name, @p name is set).
 */
static const struct rte_memzone *
sf_claim_lookup(unsigned int worker_id, char name[RTE_MEMZONE_NAMESIZE])
{
	const struct rte_memzone *mz;
	int n;

	n = snprintf(name, RTE_MEMZONE_NAMESIZE, SF_HANDOFF_CLAIM_FMT,
		     worker_id);
	if (n < 0 || n >= RTE_MEMZONE_NAMESIZE) {
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	mz = rte_memzone_lookup(name);
	if (mz == NULL)
		rte_errno = ENOENT;
	return mz;
}

const struct rte_memzone *
sf_handoff_claim_zone(unsigned int worker_id, int socket_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	mz = sf_claim_lookup(worker_id, name);
	if (mz == NULL && rte_errno == ENOENT)
		mz = rte_memzone_reserve(name, sizeof(uint64_t), socket_id, 0);
	if (mz != NULL)
		__atomic_store_n((uint64_t *)mz->addr, 0, __ATOMIC_RELEASE);
	return mz;
}

/* The claim word of worker @p worker_id's ring, or NULL (rte_errno set). */
static uint64_t *
sf_claim_find(unsigned int worker_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz = sf_claim_lookup(worker_id, name);

	return mz == NULL ? NULL : mz->addr;
}

static void
sf_claim_me(enum sf_handoff_owner owner, struct sf_handoff_holder *me)
{
	me->pid = (uint32_t)getpid();
	me->owner = owner;
}

int
sf_handoff_claim(unsigned int worker_id, enum sf_handoff_owner owner,
		 struct sf_handoff_holder *holder)
{
	uint64_t *word = sf_claim_find(worker_id);
	struct sf_handoff_holder me;

	if (word == NULL)
		return -rte_errno;
	sf_claim_me(owner, &me);
	return sf_handoff_claim_word(word, &me, sf_handoff_pid_alive, NULL,
				     holder);
}

int
sf_handoff_claim_all(unsigned int n, enum sf_handoff_owner owner,
		     struct sf_handoff_holder *holder, unsigned int *failed)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < n; i++) {
		ret = sf_handoff_claim(i, owner, holder);
		if (ret == 0)
			continue;
		for (j = 0; j < i; j++)
			sf_handoff_release(j, owner);
		if (failed != NULL)
			*failed = i;
		return ret;
	}
	return 0;
}

int
sf_handoff_release(unsigned int worker_id, enum sf_handoff_owner owner)
{
	uint64_t *word = sf_claim_find(worker_id);
	struct sf_handoff_holder me;

	if (word == NULL)
		return -rte_errno;
	sf_claim_me(owner, &me);
	return sf_handoff_unclaim_word(word, &me);
}

const char *
sf_handoff_owner_str(unsigned int owner)
{
	switch (owner) {
	case SF_HANDOFF_OWNER_BUILTIN:
		return "synfront's built-in consumer";
	case SF_HANDOFF_OWNER_EXTERNAL:
		return "an external consumer such as sf-events";
	default:
		return "an unknown consumer";
	}
}
