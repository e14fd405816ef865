/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * XDP steering: synfront's frames to the AF_XDP socket of their RX queue,
 * everything else to the kernel (see sf_steer.h for what is synfront's).
 * Parsing with a cursor, each step bounds-checked: a header that does not
 * fit, or does not make sense, passes to the kernel untouched.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "sf_steer.h"

#define VLAN_HLEN	4
#define ARP_LEN		28	/* Ethernet/IPv4 ARP body */
#define IP4_HLEN	20
#define IP6_HLEN	40
#define TCP_HLEN	20
#define ICMP_HLEN	8
#define NS_LEN		24	/* ICMPv6 header + reserved + target */
#define ICMP_ECHO	8
#define ICMP6_ECHO	128
#define ICMP6_NS	135
#define IP4_FRAG	0x3fff	/* MF + fragment offset */

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, SF_STEER_XSKS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SF_STEER_VIPS_MAX);
	__type(key, struct sf_steer_addr);
	__type(value, __u8);
} sf_vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SF_STEER_PORTS_MAX);
	__type(key, __u16);
	__type(value, __u8);
} sf_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sf_steer_ctrs);
} sf_ctrs SEC(".maps");

/* Where the parse is: the next header and the end of the frame. */
struct cursor {
	void *pos;
	void *end;
};

/* Whether the 4 (IPv4) or 16 (IPv6) bytes at a are a VIP. */
static __always_inline int
is_vip(const void *a, int v6)
{
	struct sf_steer_addr k;

	__builtin_memset(&k, 0, sizeof(k));
	k.family = v6 ? SF_STEER_FAM6 : SF_STEER_FAM4;
	__builtin_memcpy(k.addr, a, 4);
	if (v6)
		__builtin_memcpy(k.addr + 4, (const __u8 *)a + 4, 12);
	return bpf_map_lookup_elem(&sf_vips, &k) != NULL;
}

/* TCP at c->pos to dst (a VIP or not). Returns a counter index. */
static __always_inline __u32
reason_tcp(struct cursor *c, const void *dst, int v6)
{
	const __u16 *ports = c->pos;
	__u16 dport;

	if (c->pos + TCP_HLEN > c->end)
		return SF_STEER_MALFORMED;
	if (!is_vip(dst, v6))
		return SF_STEER_NOT_VIP;
	dport = ports[1];
	if (bpf_map_lookup_elem(&sf_ports, &dport) == NULL)
		return SF_STEER_NOT_LISTENING;
	return SF_STEER_TCP;
}

/* An ICMP/ICMPv6 echo request to dst (type at c->pos). */
static __always_inline __u32
reason_echo(struct cursor *c, const void *dst, int v6)
{
	const __u8 *icmp = c->pos;

	if (c->pos + ICMP_HLEN > c->end)
		return SF_STEER_MALFORMED;
	if (icmp[0] == (v6 ? ICMP6_ECHO : ICMP_ECHO))
		return is_vip(dst, v6) ? SF_STEER_ECHO : SF_STEER_NOT_VIP;
	if (v6 && icmp[0] == ICMP6_NS) {
		if (c->pos + NS_LEN > c->end)
			return SF_STEER_MALFORMED;
		return is_vip(icmp + 8, 1) ? SF_STEER_ND : SF_STEER_NOT_VIP;
	}
	return SF_STEER_OTHER;
}

static __always_inline __u32
reason_ip4(struct cursor *c)
{
	const __u8 *ip = c->pos;
	__u32 hlen;

	if (c->pos + IP4_HLEN > c->end)
		return SF_STEER_MALFORMED;
	hlen = (ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || hlen < IP4_HLEN ||
	    bpf_ntohs(*(const __u16 *)(ip + 2)) < hlen)
		return SF_STEER_MALFORMED;
	if (c->pos + hlen > c->end)
		return SF_STEER_MALFORMED;
	if (bpf_ntohs(*(const __u16 *)(ip + 6)) & IP4_FRAG)
		return SF_STEER_OTHER;
	c->pos += hlen;
	if (ip[9] == IPPROTO_TCP)
		return reason_tcp(c, ip + 16, 0);
	if (ip[9] == IPPROTO_ICMP)
		return reason_echo(c, ip + 16, 0);
	return SF_STEER_OTHER;
}

static __always_inline __u32
reason_ip6(struct cursor *c)
{
	const __u8 *ip = c->pos;

	if (c->pos + IP6_HLEN > c->end)
		return SF_STEER_MALFORMED;
	if ((ip[0] >> 4) != 6)
		return SF_STEER_MALFORMED;
	c->pos += IP6_HLEN;
	if (ip[6] == IPPROTO_TCP)
		return reason_tcp(c, ip + 24, 1);
	if (ip[6] == IPPROTO_ICMPV6)
		return reason_echo(c, ip + 24, 1);
	return SF_STEER_OTHER;	/* extension headers included */
}

/* Ethernet/IPv4 ARP whose target protocol address is a VIP. */
static __always_inline __u32
reason_arp(struct cursor *c)
{
	const __u8 *arp = c->pos;

	if (c->pos + ARP_LEN > c->end)
		return SF_STEER_MALFORMED;
	if (bpf_ntohs(*(const __u16 *)arp) != 1 ||
	    bpf_ntohs(*(const __u16 *)(arp + 2)) != ETH_P_IP ||
	    arp[4] != 6 || arp[5] != 4)
		return SF_STEER_MALFORMED;
	return is_vip(arp + 24, 0) ? SF_STEER_ARP : SF_STEER_NOT_VIP;
}

/* Ethernet and at most one 802.1Q tag, then the L3 header. */
static __always_inline __u32
reason(struct cursor *c)
{
	const struct ethhdr *eth = c->pos;
	__u16 type;

	if (c->pos + ETH_HLEN > c->end)
		return SF_STEER_MALFORMED;
	type = eth->h_proto;
	c->pos += ETH_HLEN;
	if (type == bpf_htons(ETH_P_8021Q)) {
		if (c->pos + VLAN_HLEN > c->end)
			return SF_STEER_MALFORMED;
		type = ((const __u16 *)c->pos)[1];
		c->pos += VLAN_HLEN;
	}
	if (type == bpf_htons(ETH_P_IP))
		return reason_ip4(c);
	if (type == bpf_htons(ETH_P_IPV6))
		return reason_ip6(c);
	if (type == bpf_htons(ETH_P_ARP))
		return reason_arp(c);
	return SF_STEER_OTHER;
}

SEC("xdp")
int
sf_steer(struct xdp_md *ctx)
{
	struct cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	__u32 why = reason(&c), zero = 0;
	struct sf_steer_ctrs *n = bpf_map_lookup_elem(&sf_ctrs, &zero);
	int ours = why >= SF_STEER_TCP && why <= SF_STEER_ND;
	int ret = XDP_PASS;

	if (ours)
		ret = bpf_redirect_map(&xsks_map, ctx->rx_queue_index,
				       XDP_PASS);
	if (n == NULL)
		return ret;
	if (ours && ret != XDP_REDIRECT)
		n->c[SF_STEER_NO_XSK]++;
	if (why < SF_STEER_NB_CTRS)	/* always: bounds for the verifier */
		n->c[why]++;
	return ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
