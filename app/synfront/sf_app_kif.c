/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The kernel interface under a net_af_packet port: its name from the
 * port's devargs, its GRO and LRO state from SIOCETHTOOL (ETHTOOL_GGRO,
 * ETHTOOL_GFLAGS), read once at start.
 */

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "sf_app_devargs.h"
#include "sf_app_kif.h"

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
	char ifname[IF_NAMESIZE];
	uint32_t gro = 0, flags = 0;
	int fd;

	if (strcmp(pi->driver, "net_af_packet") != 0 ||
	    sf_app_port_devarg(pi->port_id, "iface", ifname,
			       sizeof(ifname)) != 1 || ifname[0] == '\0')
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
