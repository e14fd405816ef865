/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_ARGS_H
#define SF_FLOOD_ARGS_H

/**
 * @file
 * sf-synflood's options (what follows "--" on its command line): one
 * table gives the parser and the help text.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "sf_flood_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest error message of sf_flood_args_parse(). */
#define SF_FLOOD_ERR_LEN	256
/** Largest --burst. */
#define SF_FLOOD_BURST_MAX	256

/** The options, parsed. */
struct sf_flood_args {
	double rate;		/**< SYNs per second, 0: flat out */
	double duration;	/**< seconds of sending, 0: no time bound */
	uint64_t count;		/**< SYNs to send, 0: no count bound */
	double drain;		/**< seconds to keep receiving after the last SYN */
	uint8_t family;		/**< SF_AF_INET or SF_AF_INET6 (of --dst) */
	uint8_t src_len;	/**< source prefix length */
	uint8_t src_family;	/**< SF_AF_INET(6) of --src, 0: not given */
	uint8_t src[16];	/**< source prefix, network order */
	uint8_t dst[16];	/**< target address, network order */
	uint16_t dport;		/**< target port */
	struct rte_ether_addr dst_mac;	/**< the target's MAC */
	enum sf_flood_opts opts;	/**< option set */
	uint16_t mss;		/**< MSS option value */
	uint8_t wscale;		/**< window scale option value */
	double legit;		/**< fraction of legitimate flows, 0..1 */
	uint16_t burst;		/**< mbufs per TX burst */
	uint16_t port_id;	/**< ethdev port */
	uint64_t seed;		/**< random seed and key source */
	bool seed_set;		/**< --seed given (else random) */
	bool quiet;		/**< no per-second rows */
};

/**
 * Parse the options. argv[0] is the program name; the rest are options,
 * each "--name value" or "--name=value" (flags take none). Defaults fill
 * what is not given; the source prefix defaults by --dst's family to
 * 198.18.0.0/15 or 2001:2::/48.
 *
 * @param a     receives the options
 * @param argc  argument count
 * @param argv  arguments
 * @param err   receives a one-line message naming the option on error
 * @return 0, 1 when --help was printed (to stdout), -EINVAL on error.
 */
int
sf_flood_args_parse(struct sf_flood_args *a, int argc, char **argv,
		    char err[SF_FLOOD_ERR_LEN]);

/**
 * Print the options and their defaults.
 *
 * @param f     where
 * @param prog  program name
 */
void
sf_flood_args_usage(FILE *f, const char *prog);

#ifdef __cplusplus
}
#endif

#endif /* SF_FLOOD_ARGS_H */
