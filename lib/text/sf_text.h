/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TEXT_H
#define SF_TEXT_H

/**
 * @file
 * The text helpers shared by the settings parsers (lib/config, and the
 * backend list of lib/proxy): walking a comma-separated list, and quoting
 * a piece of input in an error message.
 */

#include <stddef.h>

/**
 * Step through a comma-separated list: the item at @p *p runs up to the
 * next ',' or the end of the string; @p *p moves past that ','.
 *
 * @param p
 *   The list's rest (NUL-terminated); moved to the next item.
 * @param b, e
 *   Set to the item [b, e), untrimmed, maybe empty.
 * @return
 *   1 when another item follows, 0 for the last one.
 */
int
sf_text_item(const char **p, const char **b, const char **e);

/**
 * Copy [b, e) for an error message: printable characters only (others
 * become '?'), cut to @p len - 4 characters with "...".
 *
 * @param len
 *   The size of @p buf, at least 4.
 * @return
 *   @p buf.
 */
const char *
sf_text_quote(const char *b, const char *e, char *buf, size_t len);

#endif /* SF_TEXT_H */
