/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TEXT_H
#define SF_TEXT_H

/**
 * @file
 * The text helpers shared by the settings parsers (lib/config, and the
 * backend list of lib/proxy): walking a comma-separated list, trimming an
 * item, reading a decimal, and quoting a piece of input in an error
 * message.
 */

#include <stddef.h>
#include <stdint.h>

/** sf_text_trim() set: blanks only (the backend list's items). */
#define SF_TEXT_BLANKS	" \t"
/** sf_text_trim() set: every isspace() character (settings, ini lines). */
#define SF_TEXT_SPACES	" \t\r\n\v\f"

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
 * Trim [*b, *e) of the characters of @p set at both ends.
 *
 * @param b, e
 *   The span; moved inwards, maybe to empty (*b == *e).
 * @param set
 *   The characters trimmed: SF_TEXT_BLANKS or SF_TEXT_SPACES.
 */
void
sf_text_trim(const char **b, const char **e, const char *set);

/**
 * Read [b, e) as a strict unsigned decimal: digits only (no sign, blank or
 * prefix), not empty.
 *
 * @param min, max
 *   The range the value must be in.
 * @param out
 *   Receives the value on success.
 * @return
 *   0, -EINVAL (not a number) or -ERANGE (outside min..max, or too large
 *   for 32 bits).
 */
int
sf_text_u32(const char *b, const char *e, uint32_t min, uint32_t max,
	    uint32_t *out);

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
