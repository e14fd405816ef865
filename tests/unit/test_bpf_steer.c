/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The XDP steering program (lib/bpf/steer.bpf.c) run by the kernel with
 * bpf_prog_test_run_opts() over a table of frames built by tests/frame.
 *
 * In test_table the program's xsks_map is empty: a frame of synfront's
 * then makes bpf_redirect_map() return its flags' fallback, XDP_PASS,
 * and counts in NO_XSK. So a verdict is read from the counters: every frame must
 * add exactly 1 to its expected reason, to NO_XSK when the reason is one
 * of synfront's (TCP, ARP, ECHO, ND: the frames that would be
 * redirected) and to PASSED, and nothing to any other counter.
 *
 * test_redirect then puts an AF_XDP socket in queue 0's slot (its UMEM
 * and rings set up, not bound: what the XSKMAP takes): synfront's frames
 * then get XDP_REDIRECT from the test run (which does not deliver them),
 * the kernel's still XDP_PASS.
 *
 * test_attached attaches the program to the loopback of a network
 * namespace of its own (generic XDP) and takes it back from there, as
 * synfront takes the one the net_af_xdp PMD attached.
 *
 * test_obj_file loads the program built into the library (the memory
 * file handed to the PMD) and compares it with steer.bpf.o;
 * test_vdev_steer is the --vdev rewrite's table.
 *
 * Needs root and BPF (exit 77, skipped, without). Argument: the path of
 * steer.bpf.o.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fr_frame.h"
#include "sf_bpf.h"

#define SKIP	77
#define BUF	512
#define UMEM_LEN	(4 * 4096)
#define XSK_RING	4

static struct sf_bpf *prog;

/* What a case builds. */
enum kind { K_TCP, K_ECHO, K_NS, K_ARP };

/* One frame and the reason it must count in. */
struct steer_case {
	const char *name;
	enum kind kind;
	int v6;
	int vlan;
	const char *dst;	/* IP destination, NS target or ARP tpa */
	uint16_t dport;		/* TCP */
	void (*pre)(struct fr_ip *ip);	/* before building; may be NULL */
	void (*post)(uint8_t *f, const struct fr_hdrs *h);	/* after */
	uint32_t cut;		/* frame cut to this length, 0: whole */
	uint32_t want;		/* enum sf_steer_ctr reason */
};

static void
ip4_opts(struct fr_ip *ip)
{
	ip->opts_len = 8;
	memset(ip->opts, 1, 8);	/* NOPs */
}

static void
ip4_mf(struct fr_ip *ip)
{
	ip->frag = 0x2000;
}

static void
proto_udp(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3 + (h->v6 ? 6 : 9)] = 17;
}

static void
ip6_hop_by_hop(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3 + 6] = 0;
}

static void
icmp_type0(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l4] = 0;	/* echo reply */
}

static void
ihl4(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3] = 0x44;
}

static void
ihl15(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3] = 0x4f;	/* 60 bytes of header, 40 in the frame */
}

static void
version6_in_ip4(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3] = 0x65;
}

static void
version4_in_ip6(uint8_t *f, const struct fr_hdrs *h)
{
	f[h->l3] = 0x40;
}

static void
totlen_short(uint8_t *f, const struct fr_hdrs *h)
{
	fr_put16(f + h->l3 + 2, 10);
}

static void
arp_htype6(uint8_t *f, const struct fr_hdrs *h)
{
	fr_put16(f + h->l3, 6);
}

static void
inner_tag(uint8_t *f, const struct fr_hdrs *h)
{
	fr_put16(f + h->l3 - 2, 0x8100);	/* a second 802.1Q tag */
}

static void
ethertype_lldp(uint8_t *f, const struct fr_hdrs *h)
{
	fr_put16(f + h->l3 - 2, 0x88cc);
}

#define V4	"198.18.0.2"
#define V6	"2001:2::2"
#define N4	"198.18.0.3"	/* not a VIP */
#define N6	"2001:2::3"

static const struct steer_case cases[] = {
	/* synfront's */
	{ "tcp4 vip:80", K_TCP, 0, 0, V4, 80, NULL, NULL, 0, SF_STEER_TCP },
	{ "tcp6 vip:80", K_TCP, 1, 0, V6, 80, NULL, NULL, 0, SF_STEER_TCP },
	{ "tcp4 vlan vip:443", K_TCP, 0, 1, V4, 443, NULL, NULL, 0, SF_STEER_TCP },
	{ "tcp6 vlan vip:443", K_TCP, 1, 1, V6, 443, NULL, NULL, 0, SF_STEER_TCP },
	{ "tcp4 ip options", K_TCP, 0, 0, V4, 80, ip4_opts, NULL, 0, SF_STEER_TCP },
	{ "arp vip", K_ARP, 0, 0, V4, 0, NULL, NULL, 0, SF_STEER_ARP },
	{ "arp vlan vip", K_ARP, 0, 1, V4, 0, NULL, NULL, 0, SF_STEER_ARP },
	{ "echo4 vip", K_ECHO, 0, 0, V4, 0, NULL, NULL, 0, SF_STEER_ECHO },
	{ "echo6 vip", K_ECHO, 1, 0, V6, 0, NULL, NULL, 0, SF_STEER_ECHO },
	{ "echo4 vlan vip", K_ECHO, 0, 1, V4, 0, NULL, NULL, 0, SF_STEER_ECHO },
	{ "echo6 vlan vip", K_ECHO, 1, 1, V6, 0, NULL, NULL, 0, SF_STEER_ECHO },
	{ "ns vip", K_NS, 1, 0, V6, 0, NULL, NULL, 0, SF_STEER_ND },
	{ "ns vlan vip", K_NS, 1, 1, V6, 0, NULL, NULL, 0, SF_STEER_ND },
	/* the kernel's */
	{ "tcp4 vip:22", K_TCP, 0, 0, V4, 22, NULL, NULL, 0, SF_STEER_NOT_LISTENING },
	{ "tcp6 vlan vip:22", K_TCP, 1, 1, V6, 22, NULL, NULL, 0, SF_STEER_NOT_LISTENING },
	{ "tcp4 other:80", K_TCP, 0, 0, N4, 80, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "tcp6 other:80", K_TCP, 1, 0, N6, 80, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "tcp4 vlan other:80", K_TCP, 0, 1, N4, 80, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "arp other", K_ARP, 0, 0, N4, 0, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "echo4 other", K_ECHO, 0, 0, N4, 0, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "echo6 other", K_ECHO, 1, 0, N6, 0, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "ns other", K_NS, 1, 0, N6, 0, NULL, NULL, 0, SF_STEER_NOT_VIP },
	{ "udp4 vip", K_TCP, 0, 0, V4, 80, NULL, proto_udp, 0, SF_STEER_OTHER },
	{ "udp6 vip", K_TCP, 1, 0, V6, 80, NULL, proto_udp, 0, SF_STEER_OTHER },
	{ "ip6 hop-by-hop", K_TCP, 1, 0, V6, 80, NULL, ip6_hop_by_hop, 0, SF_STEER_OTHER },
	{ "tcp4 fragment", K_TCP, 0, 0, V4, 80, ip4_mf, NULL, 0, SF_STEER_OTHER },
	{ "echo4 reply", K_ECHO, 0, 0, V4, 0, NULL, icmp_type0, 0, SF_STEER_OTHER },
	{ "echo6 reply", K_ECHO, 1, 0, V6, 0, NULL, icmp_type0, 0, SF_STEER_OTHER },
	{ "two vlan tags", K_TCP, 0, 1, V4, 80, NULL, inner_tag, 0, SF_STEER_OTHER },
	{ "lldp", K_TCP, 0, 0, V4, 80, NULL, ethertype_lldp, 0, SF_STEER_OTHER },
	/* malformed or truncated: the kernel's, untouched */
	{ "ip4 ihl 4", K_TCP, 0, 0, V4, 80, NULL, ihl4, 0, SF_STEER_MALFORMED },
	{ "ip4 ihl 15 short", K_TCP, 0, 0, V4, 80, NULL, ihl15, 0, SF_STEER_MALFORMED },
	{ "ip4 version 6", K_TCP, 0, 0, V4, 80, NULL, version6_in_ip4, 0, SF_STEER_MALFORMED },
	{ "ip4 total length 10", K_TCP, 0, 0, V4, 80, NULL, totlen_short, 0, SF_STEER_MALFORMED },
	{ "ip6 version 4", K_TCP, 1, 0, V6, 80, NULL, version4_in_ip6, 0, SF_STEER_MALFORMED },
	{ "arp htype 6", K_ARP, 0, 0, V4, 0, NULL, arp_htype6, 0, SF_STEER_MALFORMED },
	{ "vlan tag cut", K_TCP, 0, 1, V4, 80, NULL, NULL, 16, SF_STEER_MALFORMED },
	{ "ip4 cut", K_TCP, 0, 0, V4, 80, NULL, NULL, 14 + 19, SF_STEER_MALFORMED },
	{ "ip4 options cut", K_TCP, 0, 0, V4, 80, ip4_opts, NULL, 14 + 24, SF_STEER_MALFORMED },
	{ "tcp4 cut", K_TCP, 0, 0, V4, 80, NULL, NULL, 14 + 20 + 19, SF_STEER_MALFORMED },
	{ "ip6 cut", K_TCP, 1, 0, V6, 80, NULL, NULL, 14 + 39, SF_STEER_MALFORMED },
	{ "tcp6 vlan cut", K_TCP, 1, 1, V6, 80, NULL, NULL, 18 + 40 + 19, SF_STEER_MALFORMED },
	{ "echo4 cut", K_ECHO, 0, 0, V4, 0, NULL, NULL, 14 + 20 + 7, SF_STEER_MALFORMED },
	{ "ns target cut", K_NS, 1, 0, V6, 0, NULL, NULL, 14 + 40 + 23, SF_STEER_MALFORMED },
	{ "arp cut", K_ARP, 0, 0, V4, 0, NULL, NULL, 14 + 27, SF_STEER_MALFORMED },
};

static void
set_eth(struct fr_eth *e, const struct steer_case *c)
{
	e->vlan = (uint8_t)c->vlan;
	e->tci = 100;
}

/* Build the case's frame into f; returns its length (cut applied). */
static uint32_t
build(uint8_t *f, const struct steer_case *c, struct fr_hdrs *h)
{
	const char *src = c->v6 ? "2001:2::1" : "198.18.0.1";
	struct fr_tcp t;
	struct fr_echo e;
	struct fr_ns n;
	struct fr_arp a;
	size_t len = 0;

	switch (c->kind) {
	case K_TCP:
		fr_tcp_init(&t, c->v6);
		set_eth(&t.eth, c);
		assert_int_equal(fr_ip_addrs(&t.ip, src, c->dst), 0);
		t.dport = c->dport;
		t.flags = FR_TCP_SYN;
		if (c->pre != NULL)
			c->pre(&t.ip);
		len = fr_build_tcp(f, BUF, &t, h);
		break;
	case K_ECHO:
		fr_echo_init(&e, c->v6);
		set_eth(&e.eth, c);
		assert_int_equal(fr_ip_addrs(&e.ip, src, c->dst), 0);
		len = fr_build_echo(f, BUF, &e, h);
		break;
	case K_NS:
		fr_ns_init(&n);
		set_eth(&n.eth, c);
		assert_int_equal(inet_pton(AF_INET6, c->dst, n.target), 1);
		len = fr_build_ns(f, BUF, &n, h);
		break;
	case K_ARP:
		fr_arp_init(&a);
		set_eth(&a.eth, c);
		assert_int_equal(inet_pton(AF_INET, c->dst, a.tpa), 1);
		len = fr_build_arp(f, BUF, &a, h);
		break;
	}
	assert_true(len > 0);
	if (c->post != NULL)
		c->post(f, h);
	if (c->cut != 0) {
		assert_true(c->cut < len);
		len = c->cut;
	}
	return (uint32_t)len;
}

/* The case of this name (it must exist). */
static const struct steer_case *
case_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	fail_msg("no case %s", name);
	return NULL;
}

/* Run the program once over f; returns its verdict. */
static uint32_t
run(uint8_t *f, uint32_t len)
{
	struct bpf_test_run_opts o;

	/* not LIBBPF_OPTS(): GNU extensions, refused by clang -Wpedantic */
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.data_in = f;
	o.data_size_in = len;
	o.repeat = 1;
	assert_int_equal(bpf_prog_test_run_opts(sf_bpf_prog_fd(prog), &o), 0);
	return o.retval;
}

static int
is_synfronts(uint32_t reason)
{
	return reason >= SF_STEER_TCP && reason <= SF_STEER_ND;
}

static void
test_table(void **state)
{
	uint64_t before[SF_STEER_NB_CTRS], after[SF_STEER_NB_CTRS];
	uint8_t f[BUF];
	struct fr_hdrs h;
	size_t i;
	unsigned int k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct steer_case *c = &cases[i];
		uint32_t len = build(f, c, &h);

		print_message("%-22s len %3u -> %s\n", c->name, len,
			      sf_bpf_counter_name(c->want));
		assert_int_equal(sf_bpf_counters(prog, before), 0);
		assert_int_equal(run(f, len), XDP_PASS);
		assert_int_equal(sf_bpf_counters(prog, after), 0);
		for (k = 0; k < SF_STEER_NB_CTRS; k++) {
			uint64_t want = k == c->want || k == SF_STEER_PASSED ||
				(k == SF_STEER_NO_XSK && is_synfronts(c->want));

			if (after[k] - before[k] != want)
				fail_msg("%s: counter %s moved by %llu, not %llu",
					 c->name, sf_bpf_counter_name(k),
					 (unsigned long long)(after[k] - before[k]),
					 (unsigned long long)want);
		}
	}
}

/* An AF_XDP socket the XSKMAP accepts (UMEM and rings, unbound), or -1. */
static int
xsk_socket(void *umem)
{
	struct xdp_umem_reg r = {
		.addr = (uintptr_t)umem, .len = UMEM_LEN, .chunk_size = 2048,
	};
	const int n = XSK_RING;
	int fd = socket(AF_XDP, SOCK_RAW, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &r, sizeof(r)) != 0 ||
	    setsockopt(fd, SOL_XDP, XDP_UMEM_FILL_RING, &n, sizeof(n)) != 0 ||
	    setsockopt(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &n,
		       sizeof(n)) != 0 ||
	    setsockopt(fd, SOL_XDP, XDP_RX_RING, &n, sizeof(n)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* With a socket on queue 0: the same table, synfront's redirected. */
static void
test_redirect(void **state)
{
	static uint8_t umem[UMEM_LEN] __attribute__((aligned(4096)));
	uint64_t before[SF_STEER_NB_CTRS], after[SF_STEER_NB_CTRS];
	const uint32_t q0 = 0;
	uint8_t f[BUF];
	struct fr_hdrs h;
	size_t i;
	int fd = xsk_socket(umem);

	(void)state;
	if (fd < 0)
		skip();	/* no AF_XDP in this kernel */
	assert_int_equal(bpf_map_update_elem(sf_bpf_xsks_fd(prog), &q0, &fd,
					     BPF_ANY), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct steer_case *c = &cases[i];
		uint32_t len = build(f, c, &h);
		int mine = is_synfronts(c->want);

		assert_int_equal(sf_bpf_counters(prog, before), 0);
		assert_int_equal(run(f, len), mine ? XDP_REDIRECT : XDP_PASS);
		assert_int_equal(sf_bpf_counters(prog, after), 0);
		assert_int_equal(after[c->want] - before[c->want], 1);
		assert_int_equal(after[SF_STEER_REDIRECTED] -
				 before[SF_STEER_REDIRECTED], mine);
		assert_int_equal(after[SF_STEER_PASSED] -
				 before[SF_STEER_PASSED], !mine);
		assert_int_equal(after[SF_STEER_NO_XSK] -
				 before[SF_STEER_NO_XSK], 0);
	}
	assert_int_equal(bpf_map_delete_elem(sf_bpf_xsks_fd(prog), &q0), 0);
	close(fd);
}

/* Emptying the maps turns synfront's frames into the kernel's. */
static void
test_set_listen_replaces(void **state)
{
	uint64_t before[SF_STEER_NB_CTRS], after[SF_STEER_NB_CTRS];
	struct sf_steer_addr other;
	const uint8_t n4[4] = { 198, 18, 0, 3 };
	const uint16_t port = 22;
	uint8_t f[BUF];
	struct fr_hdrs h;
	uint32_t len = build(f, case_named("tcp4 vip:80"), &h);

	(void)state;
	sf_bpf_addr(&other, 0, n4);
	assert_int_equal(sf_bpf_set_listen(prog, &other, 1, &port, 1), 0);
	assert_int_equal(sf_bpf_counters(prog, before), 0);
	assert_int_equal(run(f, len), XDP_PASS);
	assert_int_equal(sf_bpf_counters(prog, after), 0);
	assert_int_equal(after[SF_STEER_NOT_VIP] - before[SF_STEER_NOT_VIP], 1);
	assert_int_equal(after[SF_STEER_TCP] - before[SF_STEER_TCP], 0);
	assert_int_equal(sf_bpf_set_listen(prog, NULL, SF_STEER_VIPS_MAX + 1,
					   NULL, 0), -E2BIG);
}

/* Found on an interface: the same maps; detached, gone. */
static void
test_attached(void **state)
{
	uint64_t before[SF_STEER_NB_CTRS], after[SF_STEER_NB_CTRS];
	const uint8_t n4[4] = { 198, 18, 0, 3 };
	const uint16_t port = 80;
	const int lo = 1;	/* the loopback of a new namespace */
	struct sf_steer_addr vip;
	struct sf_bpf *found;
	uint8_t f[BUF];
	struct fr_hdrs h;
	uint32_t id = 1, len;
	int err = 0;

	(void)state;
	if (unshare(CLONE_NEWNET) != 0)
		skip();	/* no namespaces here */
	assert_int_equal(sf_bpf_detach(lo), 0);
	assert_null(sf_bpf_from_ifindex(lo, &err));
	assert_int_equal(err, -ENOENT);
	assert_int_equal(bpf_xdp_attach(lo, sf_bpf_prog_fd(prog),
					XDP_FLAGS_SKB_MODE, NULL), 0);
	found = sf_bpf_from_ifindex(lo, &err);
	assert_non_null(found);

	/* The VIPs set through found steer the program loaded here. */
	sf_bpf_addr(&vip, 0, n4);
	assert_int_equal(sf_bpf_set_listen(found, &vip, 1, &port, 1), 0);
	len = build(f, case_named("tcp4 other:80"), &h);	/* 198.18.0.3 */
	assert_int_equal(sf_bpf_counters(found, before), 0);
	assert_int_equal(run(f, len), XDP_PASS);
	assert_int_equal(sf_bpf_counters(found, after), 0);
	assert_int_equal(after[SF_STEER_TCP] - before[SF_STEER_TCP], 1);
	assert_int_equal(after[SF_STEER_NO_XSK] - before[SF_STEER_NO_XSK], 1);
	sf_bpf_close(found);

	assert_int_equal(sf_bpf_detach(lo), 1);
	assert_int_equal(bpf_xdp_query_id(lo, 0, &id), 0);
	assert_int_equal(id, 0);
	assert_null(sf_bpf_from_ifindex(lo, &err));
	assert_int_equal(err, -ENOENT);
}

/* The whole of a file; NULL if it cannot be read. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		b = malloc((size_t)n);
		if (b != NULL && fread(b, 1, (size_t)n, f) != (size_t)n) {
			free(b);
			b = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return b;
}

static const char *obj_path;	/* argv[1], steer.bpf.o */

static void
test_obj_file(void **state)
{
	char path[32];
	size_t a_len = 0, b_len = 0;
	uint8_t *a, *b;
	struct sf_bpf *p;
	int fd, err = 0;

	(void)state;
	fd = sf_bpf_obj_file(path, sizeof(path));
	assert_true(fd >= 0);
	assert_non_null(strstr(path, "/proc/self/fd/"));
	a = slurp(path, &a_len);
	b = slurp(obj_path, &b_len);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a_len, b_len);
	assert_memory_equal(a, b, a_len);
	free(a);
	free(b);
	p = sf_bpf_open(path, &err);	/* what the PMD does with it */
	assert_non_null(p);
	assert_int_equal(err, 0);
	sf_bpf_close(p);
	close(fd);
	assert_int_equal(sf_bpf_obj_file(path, 8), -ENOSPC);
}

/* One --vdev value and what sf_bpf_vdev_steer() makes of it. */
static const struct {
	const char *in;
	int ret;
	const char *out;	/* when ret == 1 */
} vdev_cases[] = {
	{ "net_af_xdp0,iface=eth1", 1,
	  "net_af_xdp0,iface=eth1,xdp_prog=/P" },
	{ "net_af_xdp,iface=eth1,start_queue=0,queue_count=2", 1,
	  "net_af_xdp,iface=eth1,start_queue=0,queue_count=2,xdp_prog=/P" },
	{ "eth_af_xdp1,iface=veth0", 1, "eth_af_xdp1,iface=veth0,xdp_prog=/P" },
	{ "net_af_xdp0,iface=eth1,xdp_prog=/mine.o", 0, NULL },
	{ "net_af_xdp0,xdp_prog=/mine.o,iface=eth1", 0, NULL },
	{ "net_tap0,iface=sf0", 0, NULL },
	{ "net_af_packet0,iface=eth1", 0, NULL },
	{ "net_ring0", 0, NULL },
	{ "", 0, NULL },
};

static void
test_vdev_steer(void **state)
{
	char out[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(vdev_cases) / sizeof(vdev_cases[0]); i++) {
		strcpy(out, "untouched");
		assert_int_equal(sf_bpf_vdev_steer(vdev_cases[i].in, "/P", out,
						   sizeof(out)),
				 vdev_cases[i].ret);
		assert_string_equal(out, vdev_cases[i].ret == 1 ?
				    vdev_cases[i].out : "untouched");
		assert_int_equal(sf_bpf_vdev_is_af_xdp(vdev_cases[i].in),
				 strstr(vdev_cases[i].in, "af_xdp") != NULL);
	}
	assert_int_equal(sf_bpf_vdev_steer("net_af_xdp0,iface=eth1", "/P",
					   out, 20), -ENOSPC);
	assert_int_equal(sf_bpf_vdev_steer(NULL, "/P", out, sizeof(out)), 0);
}

static int
listen_default(void **state)
{
	struct sf_steer_addr v[2];
	const uint8_t a4[4] = { 198, 18, 0, 2 };
	uint8_t a6[16];
	const uint16_t ports[] = { 80, 443 };

	(void)state;
	if (inet_pton(AF_INET6, V6, a6) != 1)
		return -1;
	sf_bpf_addr(&v[0], 0, a4);
	sf_bpf_addr(&v[1], 1, a6);
	return sf_bpf_set_listen(prog, v, 2, ports, 2);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table, listen_default),
		cmocka_unit_test_setup(test_redirect, listen_default),
		cmocka_unit_test_setup(test_set_listen_replaces, listen_default),
		cmocka_unit_test_setup(test_attached, listen_default),
		cmocka_unit_test(test_obj_file),
		cmocka_unit_test(test_vdev_steer),
	};
	int err = 0, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s steer.bpf.o\n", argv[0]);
		return 1;
	}
	if (geteuid() != 0) {
		printf("skipped: needs root for BPF\n");
		return SKIP;
	}
	obj_path = argv[1];
	prog = sf_bpf_open(argv[1], &err);
	if (prog == NULL && (err == -EPERM || err == -ENOSYS)) {
		printf("skipped: BPF unavailable (%s)\n", strerror(-err));
		return SKIP;
	}
	if (prog == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sf_bpf_close(prog);
	return rc;
}
