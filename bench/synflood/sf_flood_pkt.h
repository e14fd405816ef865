/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_PKT_H
#define SF_FLOOD_PKT_H

/**
 * @file
 * The generator's packets, without mbufs: SYN frames from prebuilt
 * templates with incremental checksums, the classification of what comes
 * back, and the ACK of a legitimate flow.
 *
 * A template is a whole SYN frame whose per-packet fields (source address,
 * source port, sequence number, TSval) are zero, and the one's-complement
 * sums of its IPv4 header and of its TCP segment with pseudo-header. A SYN
 * is the template copied, those fields written, and each checksum the
 * template's sum plus the written 16-bit words (RFC 1624 with old = 0):
 *
 *     csum = ~fold(sum_template + sum(words written))
 *
 * Frame layouts (offsets in bytes from the Ethernet header):
 *
 *     IPv4: eth 0..13 | IPv4 14..33 (csum 24, src 26) | TCP 34.. (sport 34,
 *           seq 38, csum 50, options 54..)
 *     IPv6: eth 0..13 | IPv6 14..53 (src 22) | TCP 54.. (sport 54, seq 58,
 *           csum 70, options 74..)
 */

#include <stdint.h>

#include <rte_ether.h>

#include "sf_flood_rng.h"
#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest SYN frame: IPv6 header and 20 bytes of TCP options. */
#define SF_FLOOD_FRAME_MAX	96

/** TCP option sets a SYN carries. */
enum sf_flood_opts {
	SF_FLOOD_OPTS_NONE = 0,	/**< no option (20-byte TCP header) */
	SF_FLOOD_OPTS_MSS,	/**< MSS only */
	/** Linux's SYN: MSS, SACK-permitted, timestamps, NOP, window scale */
	SF_FLOOD_OPTS_LINUX,
	/** per SYN: 1/4 none, 1/4 MSS, 1/2 Linux */
	SF_FLOOD_OPTS_MIX,
	SF_FLOOD_OPTS_MAX
};

/** One SYN template. */
struct sf_flood_tmpl {
	uint8_t frame[SF_FLOOD_FRAME_MAX];	/**< the frame, variable fields 0 */
	uint16_t len;		/**< frame length */
	uint16_t ts_off;	/**< offset of TSval in frame, 0: no timestamps */
	uint32_t ip_sum;	/**< unfolded sum of the IPv4 header (IPv4) */
	uint32_t tcp_sum;	/**< unfolded sum of TCP + pseudo-header */
};

/** What the SYNs look like. */
struct sf_flood_gen_conf {
	uint8_t family;			/**< SF_AF_INET or SF_AF_INET6 */
	uint8_t src_len;		/**< source prefix length */
	uint8_t src[16];		/**< source prefix, network order */
	uint8_t dst[16];		/**< target address, network order */
	uint16_t dport;			/**< target port, host order */
	uint16_t mss;			/**< MSS option value */
	uint8_t wscale;			/**< window scale option value */
	enum sf_flood_opts opts;	/**< option set */
	struct rte_ether_addr src_mac;	/**< our MAC */
	struct rte_ether_addr dst_mac;	/**< the target's (next hop's) MAC */
	/** legitimate flows: fraction * 2^32 (2^32: every flow) */
	uint64_t legit_thresh;
	struct sf_flood_key key;	/**< the ISN hash's key */
	uint64_t seed;			/**< the random generator's seed */
};

/** A generator: the templates and the random state (one per lcore). */
struct sf_flood_gen {
	struct sf_flood_tmpl tmpl[SF_FLOOD_OPTS_MIX];	/**< per option set */
	uint8_t family;		/**< SF_AF_INET or SF_AF_INET6 */
	enum sf_flood_opts opts;	/**< option set */
	uint8_t dst[16];	/**< target address */
	uint16_t dport_be;	/**< target port, network order */
	uint64_t src_hi;	/**< IPv6 src bytes 0..7 as a host-order number (IPv4: the address in the low 32 bits) */
	uint64_t src_lo;	/**< IPv6 src bytes 8..15, host order */
	uint64_t mask_hi;	/**< host bits of src_hi */
	uint64_t mask_lo;	/**< host bits of src_lo */
	uint64_t legit_thresh;	/**< see sf_flood_gen_conf */
	struct sf_flood_key key;	/**< ISN hash key */
	uint64_t rng;		/**< random state */
};

/** What a received frame is, for the generator. */
enum sf_flood_verdict {
	SF_FLOOD_SYNACK_OK = 0,	/**< SYN-ACK with ack = ISN + 1 of a SYN we sent */
	SF_FLOOD_SYNACK_LEGIT,	/**< the same, of a legitimate flow: ACK it */
	SF_FLOOD_UNMATCHED,	/**< a SYN-ACK that answers nothing we sent */
	SF_FLOOD_RST,		/**< any RST */
	SF_FLOOD_OTHER,		/**< anything else (ARP, other TCP, malformed...) */
};

/**
 * Build the templates of a generator and seed it.
 *
 * @param g     the generator
 * @param conf  what to send; src bits beyond src_len are ignored
 * @return 0, or -EINVAL (family, prefix length or option set out of range).
 */
int
sf_flood_gen_init(struct sf_flood_gen *g, const struct sf_flood_gen_conf *conf);

/**
 * Write the next SYN: a random source in the prefix, a random port in
 * 1024..65535, the ISN from the keyed hash, a random TSval.
 *
 * @param g      the generator
 * @param frame  at least SF_FLOOD_FRAME_MAX writable bytes
 * @return the frame length.
 */
uint16_t
sf_flood_syn_next(struct sf_flood_gen *g, uint8_t *frame);

/**
 * Classify a parsed frame (sf_parse() == SF_NET_OK) received by the
 * generator. A SYN-ACK is ours when its ack is the ISN + 1 that
 * sf_flood_hash() gives for the reversed 4-tuple.
 *
 * @param g    the generator
 * @param pkt  the parsed frame
 * @return the verdict.
 */
enum sf_flood_verdict
sf_flood_classify(const struct sf_flood_gen *g, const struct sf_pkt *pkt);

/**
 * Build the ACK that completes a legitimate flow's handshake, in place
 * over the SYN-ACK it answers: seq = ISN + 1, ack = SYN-ACK's seq + 1,
 * and, when the SYN-ACK carries timestamps, NOP NOP TS echoing its TSval.
 *
 * @param frame  the frame @p pkt was parsed from
 * @param cap    bytes writable at frame
 * @param pkt    the parsed SYN-ACK (verdict SF_FLOOD_SYNACK_LEGIT)
 * @param mac    our MAC
 * @return the frame length, 0 when it does not fit in cap.
 */
uint16_t
sf_flood_ack_build(uint8_t *frame, uint16_t cap, const struct sf_pkt *pkt,
		   const struct rte_ether_addr *mac);

/**
 * Parse an option set's name.
 *
 * @param name  "none", "mss", "linux" or "mix"
 * @return the set, or SF_FLOOD_OPTS_MAX when unknown.
 */
enum sf_flood_opts
sf_flood_opts_parse(const char *name);

/**
 * Name of an option set.
 *
 * @param o  the set
 * @return its name ("?" when out of range).
 */
const char *
sf_flood_opts_name(enum sf_flood_opts o);

#ifdef __cplusplus
}
#endif

#endif /* SF_FLOOD_PKT_H */
