/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#ifdef SF_HAVE_BPF
#include "sf_bpf.h"
#endif
#include "sf_app_devargs.h"
#include "sf_app_xdp.h"

#define AF_XDP_DRIVER	"net_af_xdp"
#define ARG_IFACE	"iface"
#define ARG_PROG	"xdp_prog"
#define OPT_VDEV	"--vdev"
#define EXIT_USAGE	2
#define PROG_PATH_LEN	32	/* "/proc/self/fd/<fd>" */

#ifdef SF_HAVE_BPF
/*
 * The filled programs, kept (until exit) for /synfront/xdp: rte_telemetry
 * (22.11) callbacks take no argument. Written before the command is
 * registered, read-only afterwards.
 */
static struct {
	struct sf_bpf *prog[RTE_MAX_ETHPORTS];
	char iface[RTE_MAX_ETHPORTS][IF_NAMESIZE];
	char obj_path[PROG_PATH_LEN];	/* the built-in program, "" if unused */
} steer;

/*
 * An argument whose --vdev value starts at arg + at ("--vdev=" or none
 * before it), with the built-in program added (malloc'd); arg itself when
 * the value is not a net_af_xdp device or names its own program.
 */
static char *
steer_arg(char *arg, size_t at)
{
	size_t len = strlen(arg) + sizeof(",xdp_prog=") + PROG_PATH_LEN;
	char *out;
	int fd;

	if (!sf_bpf_vdev_is_af_xdp(arg + at))
		return arg;
	if (steer.obj_path[0] == '\0') {
		fd = sf_bpf_obj_file(steer.obj_path, sizeof(steer.obj_path));
		if (fd < 0) {
			fprintf(stderr, "synfront: cannot write the XDP steering program to a memory file: %s\n",
				strerror(-fd));
			exit(EXIT_FAILURE);
		}
	}
	out = malloc(len);
	if (out == NULL) {
		fprintf(stderr, "synfront: out of memory\n");
		exit(EXIT_FAILURE);
	}
	memcpy(out, arg, at);
	if (sf_bpf_vdev_steer(arg + at, steer.obj_path, out + at,
			      len - at) != 1) {
		free(out);
		return arg;
	}
	return out;
}
#endif

/* Whether argv[0..n) gives a net_af_xdp --vdev. */
static bool
any_af_xdp(int n, char **argv)
{
	int i;

	for (i = 0; i < n; i++)
		if (strstr(argv[i], "af_xdp") != NULL)
			return true;
	return false;
}

#ifdef SF_HAVE_BPF
/* argv with every net_af_xdp --vdev before argv[n] ("--") steered. */
static char **
steer_args(int argc, char **argv, int n)
{
	const size_t ol = strlen(OPT_VDEV);
	char **out = calloc((size_t)argc + 1, sizeof(*out));
	int i;

	if (out == NULL) {
		fprintf(stderr, "synfront: out of memory\n");
		exit(EXIT_FAILURE);
	}
	for (i = 0; i < argc; i++) {
		out[i] = argv[i];
		if (i >= n || strncmp(argv[i], OPT_VDEV, ol) != 0)
			continue;
		if (argv[i][ol] == '=') {
			out[i] = steer_arg(argv[i], ol + 1);
		} else if (argv[i][ol] == '\0' && i + 1 < n) {
			out[i + 1] = steer_arg(argv[i + 1], 0);
			i++;
		}
	}
	return out;
}
#endif

char **
sf_app_xdp_args(const struct sf_config *cfg, int argc, char **argv)
{
	int n = 0;

	while (n < argc && strcmp(argv[n], "--") != 0)
		n++;
	if (cfg->xdp == SF_XDP_WHOLE || !any_af_xdp(n, argv))
		return argv;
#ifdef SF_HAVE_BPF
	return steer_args(argc, argv, n);
#else
	if (cfg->xdp == SF_XDP_STEER) {
		fprintf(stderr, "synfront: xdp = steer: this synfront was built without libbpf (meson -Dbpf=enabled needs clang and libbpf >= 1.1); use xdp = whole\n");
		exit(EXIT_USAGE);
	}
	printf("synfront: built without libbpf: net_af_xdp ports take whole queues\n");
	return argv;
#endif
}

/* The driver name of a port ("" if unknown), before sf_port_setup(). */
static const char *
port_driver(uint16_t port_id)
{
	struct rte_eth_dev_info di;

	if (rte_eth_dev_info_get(port_id, &di) != 0 || di.driver_name == NULL)
		return "";
	return di.driver_name;
}

#ifdef SF_HAVE_BPF
/* Fill the maps of the program attached to iface from cfg. */
static void
fill(const struct sf_config *cfg, uint16_t port_id, const char *iface)
{
	struct sf_steer_addr vips[SF_CONFIG_MAX_VIPS];
	unsigned int ifindex = if_nametoindex(iface);
	struct sf_bpf *b;
	unsigned int i;
	int err = 0;

	if (ifindex == 0)
		rte_exit(EXIT_FAILURE, "port %u: no interface %s\n", port_id,
			 iface);
	b = sf_bpf_from_ifindex((int)ifindex, &err);
	if (b == NULL && err == -ENOENT) {
		/* xdp_prog= named a program of the user's own */
		printf("port %u: the XDP program on %s is not synfront's: its maps are the user's to fill\n",
		       port_id, iface);
		return;
	}
	if (b == NULL)
		rte_exit(EXIT_FAILURE,
			 "port %u: cannot take the XDP steering program on %s: %s\n",
			 port_id, iface, strerror(-err));
	for (i = 0; i < cfg->n_vips; i++)
		sf_bpf_addr(&vips[i], cfg->vips[i].family == SF_AF_INET6,
			    cfg->vips[i].addr);
	err = sf_bpf_set_listen(b, vips, cfg->n_vips, cfg->ports,
				cfg->n_ports);
	if (err != 0)
		rte_exit(EXIT_FAILURE,
			 "port %u: cannot fill the XDP maps on %s: %s\n",
			 port_id, iface, strerror(-err));
	sf_bpf_close(steer.prog[port_id]);
	steer.prog[port_id] = b;
	snprintf(steer.iface[port_id], IF_NAMESIZE, "%s", iface);
	printf("port %u: XDP steering on %s: %u VIPs, %u ports to synfront, the rest to the kernel\n",
	       port_id, iface, cfg->n_vips, cfg->n_ports);
}
#endif

/*
 * Whether port_id, of driver @p driver, is a net_af_xdp port: its
 * interface name in iface (IF_NAMESIZE bytes), and in *prog whether its
 * devargs give xdp_prog=.
 */
static bool
af_xdp_port(uint16_t port_id, const char *driver, char *iface, bool *prog)
{
	int ret;

	if (strcmp(driver, AF_XDP_DRIVER) != 0)
		return false;
	ret = sf_app_port_devarg(port_id, ARG_PROG, NULL, 0);
	if (ret == -EINVAL)
		rte_exit(EXIT_FAILURE, "port %u: cannot parse its devargs\n",
			 port_id);
	*prog = ret == 1;
	return sf_app_port_devarg(port_id, ARG_IFACE, iface, IF_NAMESIZE) == 1;
}

void
sf_app_xdp_prepare(uint16_t port_id)
{
	char iface[IF_NAMESIZE];
	bool prog;

	if (!af_xdp_port(port_id, port_driver(port_id), iface, &prog))
		return;
#ifdef SF_HAVE_BPF
	unsigned int ifindex = if_nametoindex(iface);
	struct sf_bpf *b;

	if (ifindex == 0)
		rte_exit(EXIT_FAILURE, "port %u: no interface %s\n", port_id,
			 iface);
	b = sf_bpf_from_ifindex((int)ifindex, NULL);
	if (b == NULL)
		return;	/* none, or another's: the PMD says which */
	sf_bpf_close(b);
	if (sf_bpf_detach((int)ifindex) > 0)
		printf("port %u: removed a leftover XDP steering program from %s\n",
		       port_id, iface);
#else
	if (prog)
		rte_exit(EXIT_FAILURE,
			 "port %u: %s= needs synfront built with libbpf (-Dbpf)\n",
			 port_id, ARG_PROG);
#endif
}

void
sf_app_xdp_setup(const struct sf_config *cfg, const struct sf_port_info *pi)
{
	char iface[IF_NAMESIZE];
	bool prog = false;

	if (!af_xdp_port(pi->port_id, pi->driver, iface, &prog) || !prog) {
		if (strcmp(pi->driver, AF_XDP_DRIVER) == 0)
			printf("port %u: whole queues to synfront (xdp = whole): the kernel gets no frame of them\n",
			       pi->port_id);
		return;
	}
#ifdef SF_HAVE_BPF
	fill(cfg, pi->port_id, iface);
#else
	RTE_SET_USED(cfg);
#endif
}

#ifdef SF_HAVE_BPF
/* One port's program: its interface and counters, or NULL. */
static struct rte_tel_data *
port_dict(uint16_t p)
{
	uint64_t c[SF_STEER_NB_CTRS];
	struct rte_tel_data *d;
	unsigned int i;

	if (sf_bpf_counters(steer.prog[p], c) != 0)
		return NULL;
	d = rte_tel_data_alloc();
	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "iface", steer.iface[p]);
	for (i = 0; i < SF_STEER_NB_CTRS; i++)
		rte_tel_data_add_dict_u64(d, sf_bpf_counter_name(i), c[i]);
	return d;
}
#endif

static int
tel_xdp(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
#ifdef SF_HAVE_BPF
	char name[16];
	uint16_t p;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct rte_tel_data *pd;

		if (steer.prog[p] == NULL)
			continue;
		pd = port_dict(p);
		if (pd == NULL)
			continue;
		snprintf(name, sizeof(name), "port%u", p);
		rte_tel_data_add_dict_container(d, name, pd, 0);
	}
#endif
	return 0;
}

int
sf_app_xdp_telemetry_register(void)
{
	return rte_telemetry_register_cmd("/synfront/xdp", tel_xdp,
		"XDP steering counters per port with xdp_prog=, summed over CPUs. No parameters.");
}
