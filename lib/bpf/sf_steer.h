/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_STEER_H
#define SF_STEER_H

/**
 * @file
 * What the XDP steering program (steer.bpf.c) and its loader (sf_bpf.c)
 * share: map names, key layouts and counter indices. Only __u32-style
 * types and #defines, so that clang -target bpf and the host compiler
 * read the same layout.
 *
 * A frame goes to the AF_XDP socket of its RX queue (XSKMAP xsks_map)
 * when it is synfront's: TCP to a VIP and a listening port, an ARP
 * packet whose target address is a VIP, an ICMP/ICMPv6 echo request to
 * a VIP, an IPv6 neighbour solicitation for a VIP; with or without one
 * 802.1Q tag. Everything else, malformed or truncated headers too, is
 * XDP_PASS (the kernel's). synfront listens on every VIP x every port,
 * so the two sets are separate maps.
 */

#include <linux/types.h>

#define SF_STEER_MAP_XSKS	"xsks_map"	/**< XSKMAP: RX queue -> AF_XDP socket */
#define SF_STEER_MAP_VIPS	"sf_vips"	/**< hash: struct sf_steer_addr -> __u8 1 */
#define SF_STEER_MAP_PORTS	"sf_ports"	/**< hash: __u16 port, network order -> __u8 1 */
#define SF_STEER_MAP_CTRS	"sf_ctrs"	/**< per-CPU array of one struct sf_steer_ctrs */
#define SF_STEER_PROG		"sf_steer"	/**< the program's function name */

#define SF_STEER_XSKS_MAX	64	/**< RX queues */
#define SF_STEER_VIPS_MAX	64	/**< VIP entries */
#define SF_STEER_PORTS_MAX	256	/**< listening port entries */

#define SF_STEER_FAM4	4	/**< sf_steer_addr.family: IPv4 */
#define SF_STEER_FAM6	6	/**< sf_steer_addr.family: IPv6 */

/** A VIP: the key of SF_STEER_MAP_VIPS; pad and unused bytes are zero. */
struct sf_steer_addr {
	__u8 family;		/**< SF_STEER_FAM4 or SF_STEER_FAM6 */
	__u8 pad[3];		/**< zero */
	__u8 addr[16];		/**< network order; IPv4 in the first 4 bytes */
};

/**
 * Counter indices of SF_STEER_MAP_CTRS. The program counts every frame
 * once in a reason (TCP .. MALFORMED but NO_XSK); a frame of synfront's
 * that found no socket counts in NO_XSK too. REDIRECTED and PASSED
 * follow from those (sf_bpf_counters() fills them): the program leaves
 * them 0.
 */
enum sf_steer_ctr {
	SF_STEER_REDIRECTED = 0,	/**< bpf_redirect_map() said XDP_REDIRECT */
	SF_STEER_PASSED,	/**< XDP_PASS, whatever the reason */
	SF_STEER_TCP,		/**< synfront's: TCP to a VIP and listening port */
	SF_STEER_ARP,		/**< synfront's: ARP for a VIP */
	SF_STEER_ECHO,		/**< synfront's: ICMP/ICMPv6 echo request to a VIP */
	SF_STEER_ND,		/**< synfront's: neighbour solicitation for a VIP */
	SF_STEER_NO_XSK,	/**< synfront's, but no socket on its queue (passed, counted in its reason too) */
	SF_STEER_NOT_VIP,	/**< IP or ARP not for a VIP: passed */
	SF_STEER_NOT_LISTENING,	/**< TCP to a VIP, port not listening: passed */
	SF_STEER_OTHER,		/**< other ethertype, protocol, ICMP type, fragment, extension header: passed */
	SF_STEER_MALFORMED,	/**< truncated or invalid header: passed */
	SF_STEER_NB_CTRS	/**< number of counters */
};

/**
 * The value of SF_STEER_MAP_CTRS (one entry, key 0): a frame's counters
 * are reached with one map lookup.
 */
struct sf_steer_ctrs {
	__u64 c[SF_STEER_NB_CTRS];	/**< by enum sf_steer_ctr */
};

#endif /* SF_STEER_H */
