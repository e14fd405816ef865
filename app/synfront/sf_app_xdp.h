/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_XDP_H
#define SF_APP_XDP_H

/**
 * @file
 * XDP steering on net_af_xdp ports (DESIGN.md, "Sharing a NIC with the
 * kernel"): by default ([port] xdp = auto) every net_af_xdp --vdev gets
 * xdp_prog= naming the steering program built into synfront, the PMD
 * loads and attaches it to the interface (iface=), and this fills its VIP
 * and port maps from the configuration, so that only synfront's frames
 * reach the AF_XDP sockets and the kernel keeps the rest. xdp = whole
 * leaves the PMD's own program, which takes the queues whole. The PMD detaches the program when the port is closed (on exit,
 * after SIGTERM too); a program left by a crashed run is removed before
 * the port is set up.
 */

#include <stdint.h>

#include "sf_config.h"
#include "sf_port.h"

/**
 * Before rte_eal_init(): unless cfg->xdp is whole, add xdp_prog= (the
 * steering program built into synfront, in a memory file) to every
 * net_af_xdp --vdev before "--" that does not name a program of its own.
 * Exits (status 2) when xdp = steer and synfront was built without
 * libbpf; with xdp = auto it then says the queues are taken whole.
 *
 * @param cfg   the configuration (xdp)
 * @param argc  number of arguments
 * @param argv  the command line
 * @return the arguments for rte_eal_init(): argv itself, or a copy with
 *   the --vdev values rewritten (kept until exit).
 */
char **
sf_app_xdp_args(const struct sf_config *cfg, int argc, char **argv);

/**
 * Before a net_af_xdp port's queues are set up: remove the steering
 * program a crashed run left on its interface (the PMD would refuse to
 * attach a program over it), whether this run steers or takes whole
 * queues. Another XDP program is left alone (the PMD then fails, naming
 * it). Exits when xdp_prog= is given to synfront built without libbpf.
 *
 * @param port_id  a probed port, not yet configured
 */
void
sf_app_xdp_prepare(uint16_t port_id);

/**
 * Fill the steering program of a port, if it has one; other ports are
 * left alone. Exits (rte_exit) when the program is asked for and cannot
 * be found or filled.
 *
 * @param cfg  the configuration (VIPs and ports)
 * @param pi   a started port, as sf_port_setup() described it
 */
void
sf_app_xdp_setup(const struct sf_config *cfg, const struct sf_port_info *pi);

/**
 * Register /synfront/xdp: per steered port ("port0": ...) its interface
 * and the program's counters summed over CPUs (sf_bpf_counter_name()
 * names); an empty dict without steered ports.
 *
 * @return 0, or rte_telemetry_register_cmd()'s negative errno.
 */
int
sf_app_xdp_telemetry_register(void);

#endif /* SF_APP_XDP_H */
