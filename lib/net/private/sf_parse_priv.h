/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_PARSE_PRIV_H
#define SF_PARSE_PRIV_H

/**
 * @file
 * Private to lib/net and to the tests that check it (test_net, fuzz_parse):
 * the two halves of sf_parse() and of sf_tcp_opts_parse(), callable one
 * by one, so that a test can check that the fast path only ever decides
 * what the slow path would have.
 *
 * sf_parse() is sf_parse_fast(), then sf_parse_slow() for every frame the
 * fast path declines. sf_tcp_opts_parse() (which the slow path uses too)
 * is a match of the common option layouts, then sf_tcp_opts_parse_slow().
 * The product calls only sf_parse() and sf_tcp_opts_parse().
 */

#include <stdint.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The fast path alone: an IPv4 TCP segment (at most one VLAN tag, IHL 5,
 * not a fragment, no options or one of the common option layouts), valid.
 *
 * @param frame    first byte of the Ethernet header
 * @param len      bytes available at frame
 * @param rx_flags SF_RX_* flags
 * @param pkt      on 0, filled in full, as sf_parse_slow() fills it;
 *                 otherwise contents unspecified
 * @return 0 if the fast path took the frame (it is valid), -1 if it
 *   declined it (any other frame, and every invalid one).
 */
int
sf_parse_fast(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	      struct sf_pkt *pkt);

/**
 * The slow path alone: every frame, with the result sf_parse() documents.
 *
 * @param frame    first byte of the Ethernet header
 * @param len      bytes available at frame
 * @param rx_flags SF_RX_* flags
 * @param pkt      filled on success; contents unspecified on failure
 * @return SF_NET_OK, or the reason the frame must be dropped.
 */
enum sf_net_reason
sf_parse_slow(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	      struct sf_pkt *pkt);

/**
 * The generic TCP option walk alone, without the match of the common
 * layouts that sf_tcp_opts_parse() tries first.
 *
 * @param opt  first option byte
 * @param len  option bytes
 * @param out  filled (pad included) with the options found
 * @return 0, or -1 when the list is malformed (then @p out is partly
 *   written).
 */
int
sf_tcp_opts_parse_slow(const uint8_t *opt, uint32_t len,
		       struct sf_tcp_opts *out);

#ifdef __cplusplus
}
#endif

#endif /* SF_PARSE_PRIV_H */
