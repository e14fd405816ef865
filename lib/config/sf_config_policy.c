/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The configuration mapped onto the responder's policy: the only place
 * that knows both (lib/respond does not read the configuration).
 */

#include <string.h>

#include "sf_config.h"

void
sf_config_policy(const struct sf_config *cfg, struct sf_respond_policy *pol)
{
	unsigned int i;

	memset(pol, 0, sizeof(*pol));
	pol->n_vips = RTE_MIN(cfg->n_vips, (unsigned int)SF_RESPOND_MAX_VIPS);
	for (i = 0; i < pol->n_vips; i++)
		pol->vips[i] = cfg->vips[i];
	pol->n_lports = RTE_MIN(cfg->n_ports,
				(unsigned int)SF_RESPOND_MAX_LPORTS);
	for (i = 0; i < pol->n_lports; i++)
		pol->lports[i] = cfg->ports[i];
	pol->mss_max = cfg->mss_max;
	pol->opt_on = (cfg->timestamps ? SF_COOKIE_ON_TS : 0) |
		(cfg->window_scaling ? SF_COOKIE_ON_WS : 0) |
		(cfg->sack ? SF_COOKIE_ON_SACK : 0);
	pol->tcp.window = cfg->window;
	pol->tcp.wscale = cfg->wscale;
	pol->closed_port_rst = cfg->closed_port_rst;
	pol->rst_rate = cfg->rst_rate;
	pol->challenge_ack_rate = cfg->challenge_ack_rate;
	pol->idle_timeout_s = cfg->idle_timeout_s;
}
