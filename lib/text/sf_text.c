/* SPDX-License-Identifier: BSD-3-Clause */

/* Text helpers of the settings parsers: list items, quoting. */

#include <ctype.h>
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
