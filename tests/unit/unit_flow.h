/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_UNIT_FLOW_H
#define SF_UNIT_FLOW_H

/**
 * @file
 * Numbered flows for unit tests that fill tables with distinct keys.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "sf_net.h"

/**
 * Flow number @p i toward VIP :80: client 198.18.x.y (the low 17 bits of
 * 198.18.0.0/15) or 2001:2::a:b:c:d (i in the low 32 bits), port
 * 1024 + (i & 0x7fff); server 198.18.0.2 or 2001:2::2.
 *
 * @param i       the flow's number
 * @param family  SF_AF_INET or SF_AF_INET6
 * @return the flow.
 */
static inline struct sf_flow
sf_unit_flow(uint32_t i, uint8_t family)
{
	struct sf_flow f;

	memset(&f, 0, sizeof(f));
	f.family = family;
	if (family == SF_AF_INET) {
		f.cli_addr[0] = 198;
		f.cli_addr[1] = (uint8_t)(18 | ((i >> 16) & 1));
		f.cli_addr[2] = (uint8_t)(i >> 8);
		f.cli_addr[3] = (uint8_t)i;
		f.srv_addr[0] = 198;
		f.srv_addr[1] = 18;
		f.srv_addr[3] = 2;
	} else {
		static const uint8_t prefix[6] = { 0x20, 0x01, 0x00, 0x02, 0, 0 };

		memcpy(f.cli_addr, prefix, sizeof(prefix));
		f.cli_addr[12] = (uint8_t)(i >> 24);
		f.cli_addr[13] = (uint8_t)(i >> 16);
		f.cli_addr[14] = (uint8_t)(i >> 8);
		f.cli_addr[15] = (uint8_t)i;
		memcpy(f.srv_addr, prefix, sizeof(prefix));
		f.srv_addr[15] = 2;
	}
	f.cli_port = rte_cpu_to_be_16((uint16_t)(1024 + (i & 0x7fff)));
	f.srv_port = rte_cpu_to_be_16(80);
	return f;
}

#endif /* SF_UNIT_FLOW_H */
