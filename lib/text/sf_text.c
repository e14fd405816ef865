/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Text helpers of the settings parsers: list items, trimming, decimals,
 * quoting.
 */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_common.h>

#include "sf_text.h"

int
sf_text_item(const char **p, const char **b, const char **e)
{
	const char *comma = strchr(*p, ',');

	*b = *p;
	*e = comma != NULL ? comma : *p + strlen(*p);
	if (comma == NULL)
		return 0;
	*p = comma + 1;
	return 1;
}

void
sf_text_trim(const char **b, const char **e, const char *set)
{
	while (*b < *e && **b != '\0' && strchr(set, **b) != NULL)
		(*b)++;
	while (*e > *b && (*e)[-1] != '\0' && strchr(set, (*e)[-1]) != NULL)
		(*e)--;
}

int
sf_text_u32(const char *b, const char *e, uint32_t min, uint32_t max,
	    uint32_t *out)
{
	uint64_t v = 0;
	bool big = false;

	if (b == e)
		return -EINVAL;
	for (; b < e; b++) {
		if (!isdigit((unsigned char)*b))
			return -EINVAL;
		/* past 32 bits: out of range, but read on for a non-digit */
		v = v * 10 + (uint64_t)(*b - '0');
		if (v > UINT32_MAX) {
			big = true;
			v = 0;
		}
	}
	if (big || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

const char *
sf_text_quote(const char *b, const char *e, char *buf, size_t len)
{
	size_t n = (size_t)(e - b), i, keep = RTE_MIN(n, len - 4);

	for (i = 0; i < keep; i++)
		buf[i] = isprint((unsigned char)b[i]) ? b[i] : '?';
	if (keep < n) {
		memcpy(buf + keep, "...", 3);
		keep += 3;
	}
	buf[keep] = '\0';
	return buf;
}
