/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Configuration from an INI file: a line-by-line check of the syntax the
 * way rte_cfgfile reads it (what rte_cfgfile would reject without a
 * reason, skip or truncate is reported with its line), then rte_cfgfile,
 * each [section] key found in the settings table and its value given to
 * sf_cfg_set().
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_cfgfile.h>
#include <rte_common.h>

#include "sf_config.h"
#include "sf_config_priv.h"
#include "sf_keyfile.h"
#include "sf_text.h"

/* INI line buffer as rte_cfgfile reads it: name, value, " = " and "\n". */
#define SF_INI_LINE_LEN		(CFG_NAME_LEN + CFG_VALUE_LEN + 4)

/* A "[section]" line, [b, e) trimmed: its name into @p section. */
static int
sf_ini_lint_heading(const char *path, unsigned int lineno, const char *b,
		    const char *e, char section[CFG_NAME_LEN],
		    char err[SF_CONFIG_ERR_LEN])
{
	const char *nb = b + 1, *ne;

	ne = memchr(b, ']', (size_t)(e - b));
	if (ne == NULL) {
		sf_cfg_err(err, "%s: line %u: missing ']'", path, lineno);
		return -1;
	}
	if (ne + 1 != e) {
		sf_cfg_err(err, "%s: line %u: text after ']'", path, lineno);
		return -1;
	}
	sf_text_trim(&nb, &ne, SF_TEXT_SPACES);
	if (nb == ne || (size_t)(ne - nb) >= CFG_NAME_LEN) {
		sf_cfg_err(err, "%s: line %u: bad section name", path, lineno);
		return -1;
	}
	sf_cfg_span(nb, ne, section, CFG_NAME_LEN);
	return 0;
}

/* A "key = value" line, [b, e) trimmed, in @p section. */
static int
sf_ini_lint_entry(const char *path, unsigned int lineno, const char *b,
		  const char *e, const char *section,
		  char err[SF_CONFIG_ERR_LEN])
{
	char txt[SF_CFG_QUOTE_MAX + 1], q[SF_CFG_QUOTE_LEN];
	const char *nb = b, *ne, *vb, *ve = e;

	ne = memchr(b, '=', (size_t)(e - b));
	if (ne == NULL) {
		/* rte_cfgfile would skip the line silently */
		sf_cfg_span(b, e, txt, sizeof(txt));
		sf_cfg_err(err,
			   "%s: line %u: '%s' is not 'key = value' or '[section]'",
			   path, lineno, sf_cfg_quote(txt, q, sizeof(q)));
		return -1;
	}
	vb = ne + 1;
	sf_text_trim(&nb, &ne, SF_TEXT_SPACES);
	sf_text_trim(&vb, &ve, SF_TEXT_SPACES);
	if (nb == ne || (size_t)(ne - nb) >= CFG_NAME_LEN) {
		sf_cfg_err(err, "%s: line %u: bad key name", path, lineno);
		return -1;
	}
	sf_cfg_span(nb, ne, txt, sizeof(txt));
	if (section[0] == '\0') {
		sf_cfg_err(err, "%s: line %u: '%s' is outside any [section]",
			   path, lineno, sf_cfg_quote(txt, q, sizeof(q)));
		return -1;
	}
	if (vb == ve) {
		sf_cfg_err(err, "%s: [%s] %s: empty value", path, section,
			   txt);
		return -1;
	}
	if ((size_t)(ve - vb) >= CFG_VALUE_LEN) {
		/* rte_cfgfile would truncate it */
		sf_cfg_err(err, "%s: [%s] %s: longer than %u characters", path,
			   section, txt, CFG_VALUE_LEN - 1);
		return -1;
	}
	return 0;
}

/*
 * Check the file's syntax line by line the way rte_cfgfile reads it, to
 * report what rte_cfgfile would reject without a reason (or skip, or
 * truncate, silently) as "FILE: line N: reason". The file's mode goes to
 * @p mode (for sf_ini_secret_check(): the file read, not a second stat).
 */
static int
sf_ini_lint(const char *path, mode_t *mode, char err[SF_CONFIG_ERR_LEN])
{
	char line[SF_INI_LINE_LEN];
	char section[CFG_NAME_LEN] = "";
	unsigned int lineno = 0;
	struct stat st;
	int ret = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		sf_cfg_err(err, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* A FIFO or a device (/dev/zero) would block or never end. */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		sf_cfg_err(err, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	*mode = st.st_mode;
	while (ret == 0 && fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		const char *b = line, *e;
		char *semi;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			sf_cfg_err(err,
				   "%s: line %u: longer than %zu characters",
				   path, lineno, sizeof(line) - 2);
			ret = -1;
			break;
		}
		/* rte_cfgfile: the first ';' not after '\' starts a comment */
		semi = strchr(line, CFG_DEFAULT_COMMENT_CHARACTER);
		if (semi != NULL && (semi == line || semi[-1] != '\\'))
			*semi = '\0';
		e = line + strlen(line);
		sf_text_trim(&b, &e, SF_TEXT_SPACES);
		if (b == e)
			continue;
		if (*b == '[')
			ret = sf_ini_lint_heading(path, lineno, b, e, section,
						  err);
		else
			ret = sf_ini_lint_entry(path, lineno, b, e, section,
						err);
	}
	if (ret == 0 && ferror(f)) {
		sf_cfg_err(err, "%s: read error", path);
		ret = -1;
	}
	fclose(f);
	return ret;
}

/*
 * The setting [section] key, or NULL; @p section_known tells whether any
 * setting lives in @p section.
 */
static const struct sf_cfg_setting *
sf_ini_find(const char *section, const char *key, bool *section_known)
{
	unsigned int i;

	*section_known = false;
	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		if (strcmp(sf_cfg_settings[i].section, section) != 0)
			continue;
		*section_known = true;
		if (strcmp(sf_cfg_settings[i].key, key) == 0)
			return &sf_cfg_settings[i];
	}
	return NULL;
}

/* One "key = value" of [section]: found in the table, set once. */
static int
sf_ini_entry(struct sf_config *cfg, const char *path, const char *section,
	     const struct rte_cfgfile_entry *entry,
	     bool seen[SF_CFG_N_SETTINGS], char err[SF_CONFIG_ERR_LEN])
{
	char name[SF_CONFIG_ERR_LEN];
	const struct sf_cfg_setting *s;
	bool known;

	s = sf_ini_find(section, entry->name, &known);
	if (!known) {
		sf_cfg_err(err, "%s: [%s]: unknown section", path, section);
		return -1;
	}
	/* the setting as this input names it, before every reason */
	snprintf(name, sizeof(name), "%s: [%s] %s", path, section,
		 entry->name);
	if (s == NULL) {
		sf_cfg_err(err, "%s: unknown key", name);
		return -1;
	}
	if (seen[s - sf_cfg_settings]) {
		sf_cfg_err(err, "%s: given twice", name);
		return -1;
	}
	seen[s - sf_cfg_settings] = true;
	return sf_cfg_set(cfg, s, entry->value, name, err);
}

/* Section number @p i of @p file (an empty one must still be known). */
static int
sf_ini_section(struct sf_config *cfg, struct rte_cfgfile *file, int i,
	       const char *path, bool seen[SF_CFG_N_SETTINGS],
	       char err[SF_CONFIG_ERR_LEN])
{
	struct rte_cfgfile_entry *entries;
	char section[CFG_NAME_LEN];
	int n, j, ret = 0;
	bool known;

	n = rte_cfgfile_section_num_entries_by_index(file, section, i);
	if (n < 0) {
		sf_cfg_err(err, "%s: cannot parse", path);
		return -1;
	}
	entries = calloc(RTE_MAX(n, 1), sizeof(*entries));
	if (entries == NULL) {
		sf_cfg_err(err, "%s: out of memory", path);
		return -1;
	}
	n = rte_cfgfile_section_entries_by_index(file, i, section, entries, n);
	if (n == 0) {
		sf_ini_find(section, "", &known);
		if (!known) {
			sf_cfg_err(err, "%s: [%s]: unknown section", path,
				   section);
			ret = -1;
		}
	}
	for (j = 0; j < n && ret == 0; j++)
		ret = sf_ini_entry(cfg, path, section, &entries[j], seen, err);
	free(entries);
	return ret;
}

/*
 * A file that set key or previous_key must be readable by its owner only:
 * "config PATH: holds a key, readable by other users (mode 0644): chmod
 * 600 PATH".
 */
static int
sf_ini_secret_check(const char *path, mode_t mode,
		    const bool seen[SF_CFG_N_SETTINGS],
		    char err[SF_CONFIG_ERR_LEN])
{
	char reason[SF_KEYFILE_REASON_LEN];
	bool has_key = false;
	unsigned int i;

	for (i = 0; i < SF_CFG_N_SETTINGS; i++)
		has_key |= seen[i] && (sf_cfg_settings[i].type == SF_T_KEY ||
				       sf_cfg_settings[i].type == SF_T_PREV_KEY);
	if (!has_key)
		return 0;
	if (sf_keyfile_mode_check(path, mode, reason,
				  sizeof(reason)) == 0)
		return 0;
	sf_cfg_err(err, "config %s: holds a key, %s", path, reason);
	return -1;
}

int
sf_config_load(struct sf_config *cfg, const char *path,
	       char err[SF_CONFIG_ERR_LEN])
{
	bool seen[SF_CFG_N_SETTINGS] = { false };
	struct rte_cfgfile *file;
	mode_t mode = 0;
	struct sf_config tmp;
	int n_sec, i, ret = 0;

	if (sf_ini_lint(path, &mode, err) != 0)
		return -1;
	file = rte_cfgfile_load(path, 0);
	if (file == NULL) {
		sf_cfg_err(err, "%s: cannot parse", path);
		return -1;
	}
	/* apply to a copy: on error @p cfg is left as it was */
	tmp = *cfg;
	n_sec = rte_cfgfile_num_sections(file, "", 0);
	for (i = 0; i < n_sec && ret == 0; i++)
		ret = sf_ini_section(&tmp, file, i, path, seen, err);
	rte_cfgfile_close(file);
	if (ret == 0)
		ret = sf_ini_secret_check(path, mode, seen, err);
	if (ret == 0)
		*cfg = tmp;
	return ret;
}
