/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The kernel interface under a net_af_packet port: its name from the
 * port's devargs, its GRO and LRO state from SIOCETHTOOL (ETHTOOL_GGRO,
 * ETHTOOL_GFLAGS), read once at start.
 */

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>

#include "sf_app_kif.h"

/* The value of key @p key in devargs @p args ("k=v,k=v") into @p out. */
static bool
sf_kif_arg(const char *args, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key), n;
	const char *p = args;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, ",");
			if (n == 0 || n >= len)
				return false;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

/* An ethtool_value query of @p ifname. @return 0, or -1. */
static int
sf_kif_ethtool(int fd, const char *ifname, uint32_t cmd, uint32_t *val)
{
	struct ethtool_value ev = { .cmd = cmd };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) != 0)
		return -1;
	*val = ev.data;
	return 0;
}

void
sf_app_kif_check(const struct sf_port_info *pi)
{
	struct rte_eth_dev_info di;
	const struct rte_devargs *da;
	char ifname[IF_NAMESIZE];
	uint32_t gro = 0, flags = 0;
	int fd;

	if (strcmp(pi->driver, "net_af_packet") != 0 ||
	    rte_eth_dev_info_get(pi->port_id, &di) != 0 || di.device == NULL)
		return;
	da = rte_dev_devargs(di.device);
	if (da == NULL || da->args == NULL ||
	    !sf_kif_arg(da->args, "iface", ifname, sizeof(ifname)))
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return;
	if (sf_kif_ethtool(fd, ifname, ETHTOOL_GGRO, &gro) != 0)
		gro = 0;
	if (sf_kif_ethtool(fd, ifname, ETHTOOL_GFLAGS, &flags) != 0)
		flags = 0;
	close(fd);
	if (gro != 0 || (flags & ETH_FLAG_LRO))
		printf("synfront: warning: port %u (net_af_packet on %s): %s on: received TCP segments arrive merged beyond one frame and are dropped as malformed; run ethtool -K %s gro off lro off\n",
		       pi->port_id, ifname,
		       gro != 0 && (flags & ETH_FLAG_LRO) ? "GRO and LRO" :
		       gro != 0 ? "GRO" : "LRO", ifname);
}
