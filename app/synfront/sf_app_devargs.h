/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_DEVARGS_H
#define SF_APP_DEVARGS_H

/**
 * @file
 * A probed port's devargs ("iface=veth0,xdp_prog=..."), read with
 * rte_kvargs: the kernel interface under net_af_packet (sf_app_kif.c) and
 * net_af_xdp (sf_app_xdp.c) ports.
 */

#include <stddef.h>
#include <stdint.h>

/**
 * The value of key @p key in the devargs of port @p port_id.
 *
 * @param port_id  a probed port
 * @param key      the key ("iface")
 * @param buf      receives the value (NUL-terminated), or NULL to ask
 *                 only whether the key has a value
 * @param len      size of @p buf
 * @return 1 found (maybe empty), 0 absent (no devargs, no such key, or the
 *   key without '='), -EINVAL devargs rte_kvargs cannot parse, -ENOSPC a
 *   value of @p len characters or more.
 */
int
sf_app_port_devarg(uint16_t port_id, const char *key, char *buf, size_t len);

#endif /* SF_APP_DEVARGS_H */
