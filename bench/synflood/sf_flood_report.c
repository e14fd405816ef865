/* SPDX-License-Identifier: BSD-3-Clause */

/* Rows and summaries of sf-synflood (see sf_flood_report.h). */

#include <inttypes.h>
#include <stdio.h>

#include "sf_flood_report.h"

static double
per_s(uint64_t n, double s)
{
	return s > 0 ? (double)n / s : 0;
}

static double
ratio(uint64_t a, uint64_t b)
{
	return b > 0 ? (double)a / (double)b : 0;
}

const char *
sf_flood_row_header(void)
{
	return "  time_s     syn_pps  synack_pps   rst_pps other_pps unmatched_pps handshakes_ps";
}

int
sf_flood_row(char *buf, size_t len, double t, double dt,
	     const struct sf_flood_counters *cur,
	     const struct sf_flood_counters *prev)
{
	return snprintf(buf, len,
			"%8.1f %11.0f %11.0f %9.0f %9.0f %13.0f %13.0f", t,
			per_s(cur->syn_tx - prev->syn_tx, dt),
			per_s(cur->synack_ok - prev->synack_ok, dt),
			per_s(cur->rst - prev->rst, dt),
			per_s(cur->other - prev->other, dt),
			per_s(cur->unmatched - prev->unmatched, dt),
			per_s(cur->ack_tx - prev->ack_tx, dt));
}

int
sf_flood_summary(char *buf, size_t len, const struct sf_flood_counters *c,
		 double tx_s)
{
	return snprintf(buf, len,
			"%" PRIu64 " SYNs in %.3f s: offered %.0f pps, answered %.0f pps, answer ratio %.4f, handshakes completed %" PRIu64 ", rst %" PRIu64 ", other %" PRIu64 ", unmatched replies %" PRIu64,
			c->syn_tx, tx_s, per_s(c->syn_tx, tx_s),
			per_s(c->synack_ok, tx_s),
			ratio(c->synack_ok, c->syn_tx), c->ack_tx, c->rst,
			c->other, c->unmatched);
}

int
sf_flood_summary_json(char *buf, size_t len,
		      const struct sf_flood_counters *c, double tx_s,
		      double cpu_s, double user_s)
{
	return snprintf(buf, len,
			"{\"tx_seconds\": %.6f, \"cpu_seconds\": %.6f, \"cpu_user_seconds\": %.6f, \"syn_per_cpu_s\": %.1f, \"offered_pps\": %.1f, \"answered_pps\": %.1f, \"answer_ratio\": %.6f, \"handshakes\": %" PRIu64
			", \"syn_tx\": %" PRIu64 ", \"synack_ok\": %" PRIu64 ", \"unmatched\": %" PRIu64 ", \"rst\": %" PRIu64 ", \"other\": %" PRIu64
			", \"rx\": %" PRIu64 ", \"ack_tx\": %" PRIu64 ", \"ack_drop\": %" PRIu64 ", \"tx_short\": %" PRIu64 ", \"alloc_fail\": %" PRIu64
			", \"port_imissed\": %" PRIu64 ", \"port_oerrors\": %" PRIu64 "}",
			tx_s, cpu_s, user_s, per_s(c->syn_tx, cpu_s),
			per_s(c->syn_tx, tx_s), per_s(c->synack_ok, tx_s),
			ratio(c->synack_ok, c->syn_tx), c->ack_tx, c->syn_tx,
			c->synack_ok, c->unmatched, c->rst, c->other, c->rx,
			c->ack_tx, c->ack_drop, c->tx_short, c->alloc_fail,
			c->port_imissed, c->port_oerrors);
}
