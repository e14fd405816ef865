/* SPDX-License-Identifier: BSD-3-Clause */

#include <stdio.h>
#include <string.h>

#include <net/if.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>

#ifdef SF_HAVE_BPF
#include "sf_bpf.h"
#endif
#include "sf_app_xdp.h"

#define AF_XDP_DRIVER	"net_af_xdp"
#define ARG_IFACE	"iface"
#define ARG_PROG	"xdp_prog"

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
	if (b == NULL)
		rte_exit(EXIT_FAILURE,
			 "port %u: no XDP steering program on %s: %s\n",
			 port_id, iface, strerror(-err));
	for (i = 0; i < cfg->n_vips; i++)
		sf_bpf_addr(&vips[i], cfg->vips[i].family == SF_AF_INET6,
			    cfg->vips[i].addr);
	err = sf_bpf_set_listen(b, vips, cfg->n_vips, cfg->ports,
				cfg->n_ports);
	sf_bpf_close(b);
	if (err != 0)
		rte_exit(EXIT_FAILURE,
			 "port %u: cannot fill the XDP maps on %s: %s\n",
			 port_id, iface, strerror(-err));
	printf("port %u: XDP steering on %s: %u VIPs, %u ports to synfront, the rest to the kernel\n",
	       port_id, iface, cfg->n_vips, cfg->n_ports);
}
#endif

void
sf_app_xdp_setup(const struct sf_config *cfg, uint16_t port_id)
{
	const struct rte_devargs *da;
	struct rte_eth_dev_info di;
	struct rte_kvargs *kv;
	const char *iface;

	if (rte_eth_dev_info_get(port_id, &di) != 0 ||
	    strcmp(di.driver_name, AF_XDP_DRIVER) != 0)
		return;
	da = rte_dev_devargs(di.device);
	if (da == NULL || da->args == NULL)
		return;
	kv = rte_kvargs_parse(da->args, NULL);
	if (kv == NULL)
		rte_exit(EXIT_FAILURE, "port %u: cannot parse devargs '%s'\n",
			 port_id, da->args);
	iface = rte_kvargs_get(kv, ARG_IFACE);
	if (rte_kvargs_get(kv, ARG_PROG) == NULL || iface == NULL) {
		printf("port %u: whole queues to synfront (no %s=)\n",
		       port_id, ARG_PROG);
		rte_kvargs_free(kv);
		return;
	}
#ifdef SF_HAVE_BPF
	fill(cfg, port_id, iface);
	rte_kvargs_free(kv);
#else
	RTE_SET_USED(cfg);
	rte_kvargs_free(kv);
	rte_exit(EXIT_FAILURE,
		 "port %u: %s= needs synfront built with libbpf (-Dbpf)\n",
		 port_id, ARG_PROG);
#endif
}
