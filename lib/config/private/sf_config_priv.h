/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_CONFIG_PRIV_H
#define SF_CONFIG_PRIV_H

/**
 * @file
 * Private to lib/config: the settings table and what the three inputs
 * share. sf_config.c holds the table, the defaults, the value parsers and
 * the validation; sf_config_ini.c reads an INI file; sf_config_args.c reads
 * the command line and prints the usage. A value from either input goes
 * through sf_cfg_set(), so both report a bad value the same way.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include "sf_config.h"

#define SF_CFG_QUOTE_MAX	64	/**< longest value echoed in an error */
#define SF_CFG_QUOTE_LEN	(SF_CFG_QUOTE_MAX + 4)	/**< sf_cfg_quote() buffer */
#define SF_CFG_N_SETTINGS	42	/**< entries of sf_cfg_settings[] */

/** How a setting's text is parsed. */
enum sf_cfg_type {
	SF_T_VIPS,	/**< address list */
	SF_T_PORTS,	/**< port list with ranges, each in min..max */
	SF_T_KEY,	/**< 32 hex digits -> keys.cur */
	SF_T_PREV_KEY,	/**< 32 hex digits -> keys.prev */
	SF_T_UINT,	/**< decimal in min..max */
	SF_T_POW2,	/**< decimal power of two in min..max */
	SF_T_MTU,	/**< 0, or decimal in min..max */
	SF_T_BOOL,	/**< on/off and synonyms */
	SF_T_CHOICE,	/**< one word of a list */
	SF_T_PATH,	/**< a file name */
	SF_T_BACKENDS,	/**< ADDR:PORT list (sf_proxy_backends_parse()) */
};

/** The C type of the field a number, bool or choice is stored in. */
enum sf_cfg_field {
	SF_F_NONE,
	SF_F_U8,
	SF_F_U16,
	SF_F_U32,
	SF_F_BOOL,
	SF_F_CONSUMER,
};

/** One word of a SF_T_CHOICE setting and the value it stores. */
struct sf_cfg_choice {
	const char *name;
	uint32_t value;
};

/**
 * One setting: INI [section] key, its option, its type, range and default.
 * sf_config_defaults() parses every def; the usage text shows def and the
 * range.
 */
struct sf_cfg_setting {
	const char *section;	/**< INI section */
	const char *key;	/**< INI key, also its sf_config_foreach() name */
	const char *opt;	/**< long option without "--", NULL: file only */
	const char *alias;	/**< second spelling, or NULL */
	const char *arg;	/**< value syntax for the usage text */
	const char *help;	/**< a phrase for the usage text */
	const char *def;	/**< default, as written in a file; NULL: unset */
	const char *unset;	/**< the usage text's default when def is NULL */
	enum sf_cfg_type type;
	enum sf_cfg_field field;
	size_t off;		/**< offsetof(struct sf_config, ...) */
	uint32_t min;		/**< SF_T_PORTS, _UINT, _POW2, _MTU */
	uint32_t max;
	const struct sf_cfg_choice *choices;	/**< NULL-terminated */
};

/** Every setting, grouped by section in the order of the usage text. */
extern const struct sf_cfg_setting sf_cfg_settings[SF_CFG_N_SETTINGS];

/**
 * Parse @p val into setting @p s of @p cfg: the one value parser and range
 * check of both inputs.
 *
 * @param cfg   the configuration; unchanged on error
 * @param s     the setting
 * @param val   its text (from the file, or an option's argument)
 * @param name  how the input names the setting: "FILE: [section] key" or
 *   "--option"
 * @param err   receives "NAME: reason" on error
 * @return 0, or -1 on error.
 */
int
sf_cfg_set(struct sf_config *cfg, const struct sf_cfg_setting *s,
	   const char *val, const char *name, char err[SF_CONFIG_ERR_LEN]);

/**
 * Write a one-line error into @p err (SF_CONFIG_ERR_LEN, truncated): every
 * non-printable character becomes '?'.
 */
void __rte_format_printf(2, 3)
sf_cfg_err(char *err, const char *fmt, ...);

/**
 * Copy @p s for an error message: printable characters only, cut at
 * SF_CFG_QUOTE_MAX with "...". @p len >= 8 (SF_CFG_QUOTE_LEN: no cut
 * below SF_CFG_QUOTE_MAX).
 *
 * @return buf.
 */
const char *
sf_cfg_quote(const char *s, char *buf, size_t len);

/** Copy [b, e) into @p buf, cut to @p len - 1 characters. @return buf. */
const char *
sf_cfg_span(const char *b, const char *e, char *buf, size_t len);

#endif /* SF_CONFIG_PRIV_H */
