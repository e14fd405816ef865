/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The configuration mapped onto the responder's policy: the only place
 * that knows both (lib/respond does not read the configuration).
 */

#include <string.h>

#include <rte_common.h>

#include "sf_worker.h"

_Static_assert(SF_CONFIG_MAX_VIPS <= SF_RESPOND_MAX_VIPS,
	       "every configured VIP fits the policy");
_Static_assert(SF_CONFIG_MAX_PORTS <= SF_RESPOND_MAX_LPORTS,
	       "every configured port fits the policy");

void
sf_worker_policy(const struct sf_config *cfg, struct sf_respond_policy *pol)
{
	unsigned int i;

	memset(pol, 0, sizeof(*pol));
	pol->n_vips = cfg->n_vips;
	for (i = 0; i < pol->n_vips; i++)
		pol->vips[i] = cfg->vips[i];
	pol->n_lports = cfg->n_ports;
	for (i = 0; i < pol->n_lports; i++)
		pol->lports[i] = cfg->ports[i];
	pol->mss_max = cfg->mss_max;
	pol->opt_on = (cfg->timestamps ? SF_COOKIE_ON_TS : 0) |
		(cfg->window_scaling ? SF_COOKIE_ON_WS : 0) |
		(cfg->sack ? SF_COOKIE_ON_SACK : 0);
	pol->tcp.window = cfg->window;
	pol->tcp.wscale = cfg->wscale;
	pol->tcp.reply = sf_config_reply_on(cfg);
	pol->tcp.retries = cfg->retries;
	/* no more than our window field and scale can say */
	pol->tcp.credit = (uint32_t)RTE_MIN((uint64_t)cfg->credit,
		(uint64_t)cfg->window << (cfg->window_scaling ? cfg->wscale : 0));
	pol->closed_port_rst = cfg->closed_port_rst;
	pol->rst_rate = cfg->rst_rate;
	pol->challenge_ack_rate = cfg->challenge_ack_rate;
	pol->challenge_ack_per_flow = cfg->challenge_ack_per_flow;
	pol->idle_timeout_s = cfg->idle_timeout_s;
}
