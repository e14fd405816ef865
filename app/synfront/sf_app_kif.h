/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_KIF_H
#define SF_APP_KIF_H

/**
 * @file
 * Ports over a kernel interface (net_af_packet): what the kernel does to
 * frames before the PMD sees them. A packet socket reads frames after GRO
 * (and the NIC's LRO), so with either on a client's data arrives merged
 * into segments of up to 64 KB, which net_af_packet truncates to its
 * frames: synfront drops them as malformed and the data stalls while
 * handshakes still work. net_af_xdp reads frames before GRO.
 */

#include "sf_port.h"

/**
 * Warn (one line on stdout) when port @p pi is a net_af_packet port whose
 * interface (its devargs' `iface=`) has GRO or LRO on, with the ethtool
 * command that turns them off. Nothing for other drivers, nor when the
 * interface cannot be queried.
 *
 * @param pi  the port, as sf_port_setup() described it
 */
void
sf_app_kif_check(const struct sf_port_info *pi);

#endif /* SF_APP_KIF_H */
