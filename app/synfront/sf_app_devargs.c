/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>

#include "sf_app_devargs.h"

int
sf_app_port_devarg(uint16_t port_id, const char *key, char *buf, size_t len)
{
	const struct rte_devargs *da;
	struct rte_eth_dev_info di;
	struct rte_kvargs *kv;
	const char *val;
	int ret = 1;

	if (rte_eth_dev_info_get(port_id, &di) != 0 || di.device == NULL)
		return 0;
	da = rte_dev_devargs(di.device);
	if (da == NULL || da->args == NULL)
		return 0;
	kv = rte_kvargs_parse(da->args, NULL);
	if (kv == NULL)
		return -EINVAL;
	val = rte_kvargs_get(kv, key);
	if (val == NULL)
		ret = 0;
	else if (buf != NULL && strlen(val) >= len)
		ret = -ENOSPC;
	else if (buf != NULL)
		memcpy(buf, val, strlen(val) + 1);
	rte_kvargs_free(kv);
	return ret;
}
