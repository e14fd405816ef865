/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sf_bpf.h"

#define MAPS_MAX	8	/* maps of an attached program looked at */

struct sf_bpf {
	struct bpf_object *obj;	/* NULL: found on an interface, fds ours */
	int prog_fd;
	int xsks_fd;
	int vips_fd;
	int ports_fd;
	int ctrs_fd;
	int n_cpus;
	struct sf_steer_ctrs *percpu;	/* n_cpus values, for sf_bpf_counters() */
};

static const char *const ctr_names[SF_STEER_NB_CTRS] = {
	[SF_STEER_REDIRECTED] = "redirected",
	[SF_STEER_PASSED] = "passed",
	[SF_STEER_TCP] = "tcp",
	[SF_STEER_ARP] = "arp",
	[SF_STEER_ECHO] = "echo",
	[SF_STEER_ND] = "nd",
	[SF_STEER_NO_XSK] = "no_xsk",
	[SF_STEER_NOT_VIP] = "not_vip",
	[SF_STEER_NOT_LISTENING] = "not_listening",
	[SF_STEER_OTHER] = "other",
	[SF_STEER_MALFORMED] = "malformed",
};

static int
map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m == NULL ? -ENOENT : bpf_map__fd(m);
}

/* The descriptors of a loaded object; 0 or -ENOENT. */
static int
find_fds(struct sf_bpf *b)
{
	struct bpf_program *p;

	p = bpf_object__find_program_by_name(b->obj, SF_STEER_PROG);
	b->prog_fd = p == NULL ? -ENOENT : bpf_program__fd(p);
	b->xsks_fd = map_fd(b->obj, SF_STEER_MAP_XSKS);
	b->vips_fd = map_fd(b->obj, SF_STEER_MAP_VIPS);
	b->ports_fd = map_fd(b->obj, SF_STEER_MAP_PORTS);
	b->ctrs_fd = map_fd(b->obj, SF_STEER_MAP_CTRS);
	if (b->prog_fd < 0 || b->xsks_fd < 0 || b->vips_fd < 0 ||
	    b->ports_fd < 0 || b->ctrs_fd < 0)
		return -ENOENT;
	return 0;
}

/* A handle with no object and no descriptor, or NULL. */
static struct sf_bpf *
bpf_new(void)
{
	struct sf_bpf *b = calloc(1, sizeof(*b));

	if (b != NULL)
		b->prog_fd = b->xsks_fd = b->vips_fd = b->ports_fd =
			b->ctrs_fd = -1;
	return b;
}

/* The buffer of the per-CPU counters; 0 or a negative errno. */
static int
alloc_percpu(struct sf_bpf *b)
{
	b->n_cpus = libbpf_num_possible_cpus();
	if (b->n_cpus <= 0)
		return b->n_cpus < 0 ? b->n_cpus : -EINVAL;
	b->percpu = calloc((size_t)b->n_cpus, sizeof(*b->percpu));
	return b->percpu == NULL ? -ENOMEM : 0;
}

struct sf_bpf *
sf_bpf_open(const char *path, int *err)
{
	struct sf_bpf *b = bpf_new();
	int rc;

	if (b == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	b->obj = bpf_object__open_file(path, NULL);
	if (b->obj == NULL) {
		rc = -errno;
		goto fail;
	}
	rc = bpf_object__load(b->obj);
	if (rc < 0)
		goto fail;
	rc = find_fds(b);
	if (rc < 0)
		goto fail;
	rc = alloc_percpu(b);
	if (rc < 0)
		goto fail;
	return b;
fail:
	if (err != NULL)
		*err = rc;
	sf_bpf_close(b);
	return NULL;
}

void
sf_bpf_close(struct sf_bpf *b)
{
	if (b == NULL)
		return;
	if (b->obj != NULL) {
		bpf_object__close(b->obj);
	} else {
		const int fds[] = { b->prog_fd, b->xsks_fd, b->vips_fd,
				    b->ports_fd, b->ctrs_fd };
		unsigned int i;

		for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	free(b->percpu);
	free(b);
}

/* Keep map fd if its name is one of ours (slot still empty). */
static void
take_map(struct sf_bpf *b, int fd)
{
	struct bpf_map_info mi;
	uint32_t len = sizeof(mi);
	int *slot = NULL;

	memset(&mi, 0, sizeof(mi));
	if (bpf_obj_get_info_by_fd(fd, &mi, &len) == 0) {
		if (strcmp(mi.name, SF_STEER_MAP_XSKS) == 0)
			slot = &b->xsks_fd;
		else if (strcmp(mi.name, SF_STEER_MAP_VIPS) == 0)
			slot = &b->vips_fd;
		else if (strcmp(mi.name, SF_STEER_MAP_PORTS) == 0)
			slot = &b->ports_fd;
		else if (strcmp(mi.name, SF_STEER_MAP_CTRS) == 0)
			slot = &b->ctrs_fd;
	}
	if (slot != NULL && *slot < 0)
		*slot = fd;
	else
		close(fd);
}

/* The maps of the program b->prog_fd, by name; 0 or a negative errno. */
static int
find_maps_of_prog(struct sf_bpf *b)
{
	uint32_t ids[MAPS_MAX], len, i;
	struct bpf_prog_info pi;
	int fd;

	memset(&pi, 0, sizeof(pi));
	pi.nr_map_ids = MAPS_MAX;
	pi.map_ids = (uintptr_t)ids;
	len = sizeof(pi);
	if (bpf_obj_get_info_by_fd(b->prog_fd, &pi, &len) < 0)
		return -errno;
	if (strcmp(pi.name, SF_STEER_PROG) != 0 || pi.nr_map_ids > MAPS_MAX)
		return -ENOENT;
	for (i = 0; i < pi.nr_map_ids; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			return -errno;
		take_map(b, fd);
	}
	if (b->xsks_fd < 0 || b->vips_fd < 0 || b->ports_fd < 0 ||
	    b->ctrs_fd < 0)
		return -ENOENT;
	return 0;
}

struct sf_bpf *
sf_bpf_from_ifindex(int ifindex, int *err)
{
	struct sf_bpf *b = bpf_new();
	uint32_t id = 0;
	int rc;

	if (b == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = bpf_xdp_query_id(ifindex, 0, &id);
	if (rc == 0 && id == 0)
		rc = -ENOENT;
	if (rc < 0)
		goto fail;
	b->prog_fd = bpf_prog_get_fd_by_id(id);
	if (b->prog_fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = find_maps_of_prog(b);
	if (rc == 0)
		rc = alloc_percpu(b);
	if (rc == 0)
		return b;
fail:
	if (err != NULL)
		*err = rc;
	sf_bpf_close(b);
	return NULL;
}

int
sf_bpf_detach(int ifindex)
{
	struct bpf_xdp_query_opts q;
	int n = 0;

	/* not LIBBPF_OPTS(): GNU extensions, refused by clang -Wpedantic */
	memset(&q, 0, sizeof(q));
	q.sz = sizeof(q);
	if (bpf_xdp_query(ifindex, 0, &q) < 0)
		return -errno;
	if (q.drv_prog_id != 0 &&
	    bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL) == 0)
		n++;
	if (q.skb_prog_id != 0 &&
	    bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL) == 0)
		n++;
	if (q.hw_prog_id != 0 &&
	    bpf_xdp_detach(ifindex, XDP_FLAGS_HW_MODE, NULL) == 0)
		n++;
	return n;
}

void
sf_bpf_addr(struct sf_steer_addr *k, int v6, const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->family = v6 ? SF_STEER_FAM6 : SF_STEER_FAM4;
	memcpy(k->addr, addr, v6 ? 16 : 4);
}

/* Delete every key of a hash map; 0 or a negative errno. */
static int
map_clear(int fd, void *next)
{
	while (bpf_map_get_next_key(fd, NULL, next) == 0) {
		if (bpf_map_delete_elem(fd, next) < 0)
			return -errno;
	}
	return errno == ENOENT ? 0 : -errno;
}

int
sf_bpf_set_listen(struct sf_bpf *b, const struct sf_steer_addr *vips,
		  unsigned int n_vips, const uint16_t *ports,
		  unsigned int n_ports)
{
	struct sf_steer_addr kn;
	uint16_t pa, pn;
	const uint8_t one = 1;
	unsigned int i;
	int rc;

	if (n_vips > SF_STEER_VIPS_MAX || n_ports > SF_STEER_PORTS_MAX)
		return -E2BIG;
	rc = map_clear(b->vips_fd, &kn);
	if (rc == 0)
		rc = map_clear(b->ports_fd, &pn);
	for (i = 0; rc == 0 && i < n_vips; i++)
		if (bpf_map_update_elem(b->vips_fd, &vips[i], &one, BPF_ANY))
			rc = -errno;
	for (i = 0; rc == 0 && i < n_ports; i++) {
		pa = htons(ports[i]);
		if (bpf_map_update_elem(b->ports_fd, &pa, &one, BPF_ANY))
			rc = -errno;
	}
	return rc;
}

int
sf_bpf_prog_fd(const struct sf_bpf *b)
{
	return b->prog_fd;
}

int
sf_bpf_xsks_fd(const struct sf_bpf *b)
{
	return b->xsks_fd;
}

int
sf_bpf_counters(const struct sf_bpf *b, uint64_t out[SF_STEER_NB_CTRS])
{
	const uint32_t zero = 0;
	uint64_t all = 0, ours;
	unsigned int c;
	int i;

	if (bpf_map_lookup_elem(b->ctrs_fd, &zero, b->percpu) < 0)
		return -errno;
	for (c = 0; c < SF_STEER_NB_CTRS; c++) {
		out[c] = 0;
		for (i = 0; i < b->n_cpus; i++)
			out[c] += b->percpu[i].c[c];
	}
	/*
	 * Every frame has one reason; synfront's are redirected but NO_XSK
	 * (read while frames come: NO_XSK may be ahead of its reason).
	 */
	for (c = SF_STEER_TCP; c < SF_STEER_NB_CTRS; c++)
		if (c != SF_STEER_NO_XSK)
			all += out[c];
	ours = out[SF_STEER_TCP] + out[SF_STEER_ARP] + out[SF_STEER_ECHO] +
		out[SF_STEER_ND];
	out[SF_STEER_REDIRECTED] = ours > out[SF_STEER_NO_XSK] ?
		ours - out[SF_STEER_NO_XSK] : 0;
	out[SF_STEER_PASSED] = all - out[SF_STEER_REDIRECTED];
	return 0;
}

const char *
sf_bpf_counter_name(unsigned int c)
{
	return c < SF_STEER_NB_CTRS ? ctr_names[c] : NULL;
}
