/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * HAProxy's PROXY protocol (proxy-protocol.txt, versions 1 and 2): the
 * header a backend reads first to learn the client's address. Layout of v2
 * in sf_proxy.h.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "sf_proxy.h"

#define PP2_SIG_LEN		12
#define PP2_HDR_LEN		16	/* signature, ver|cmd, fam|prot, length */
#define PP2_VER_CMD_PROXY	0x21	/* version 2, command PROXY */
#define PP2_TCP4		0x11	/* AF_INET, STREAM */
#define PP2_TCP6		0x21	/* AF_INET6, STREAM */
#define PP2_ADDR_LEN_V4		12	/* 2 * 4 + 2 * 2 */
#define PP2_ADDR_LEN_V6		36	/* 2 * 16 + 2 * 2 */

static const uint8_t pp2_sig[PP2_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};

/* "PROXY TCP4 src dst sport dport\r\n" */
static int
pp_v1(const struct sf_flow *f, uint8_t *buf, size_t len)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char line[SF_PROXY_PP_MAX + 1];
	int af = f->family == SF_AF_INET ? AF_INET : AF_INET6;
	int n;

	if (inet_ntop(af, f->cli_addr, src, sizeof(src)) == NULL ||
	    inet_ntop(af, f->srv_addr, dst, sizeof(dst)) == NULL)
		return -1;
	n = snprintf(line, sizeof(line), "PROXY TCP%c %s %s %u %u\r\n",
		     f->family == SF_AF_INET ? '4' : '6', src, dst,
		     rte_be_to_cpu_16(f->cli_port),
		     rte_be_to_cpu_16(f->srv_port));
	if (n < 0 || (size_t)n >= sizeof(line) || (size_t)n > len)
		return -1;
	memcpy(buf, line, (size_t)n);
	return n;
}

static int
pp_v2(const struct sf_flow *f, uint8_t *buf, size_t len)
{
	size_t alen = f->family == SF_AF_INET ? 4 : 16;
	uint16_t body = f->family == SF_AF_INET ? PP2_ADDR_LEN_V4 :
		PP2_ADDR_LEN_V6;
	uint16_t be_len = rte_cpu_to_be_16(body);
	uint8_t *p = buf;

	if (len < (size_t)PP2_HDR_LEN + body)
		return -1;
	memcpy(p, pp2_sig, PP2_SIG_LEN);
	p += PP2_SIG_LEN;
	*p++ = PP2_VER_CMD_PROXY;
	*p++ = f->family == SF_AF_INET ? PP2_TCP4 : PP2_TCP6;
	memcpy(p, &be_len, 2);
	p += 2;
	memcpy(p, f->cli_addr, alen);
	p += alen;
	memcpy(p, f->srv_addr, alen);
	p += alen;
	/* ports are in network order in the flow already */
	memcpy(p, &f->cli_port, 2);
	memcpy(p + 2, &f->srv_port, 2);
	return PP2_HDR_LEN + body;
}

int
sf_proxy_pp_encode(enum sf_proxy_pp version, const struct sf_flow *f,
		   uint8_t *buf, size_t len)
{
	if (f->family != SF_AF_INET && f->family != SF_AF_INET6)
		return -1;
	if (version == SF_PROXY_PP_V1)
		return pp_v1(f, buf, len);
	if (version == SF_PROXY_PP_V2)
		return pp_v2(f, buf, len);
	return -1;
}
