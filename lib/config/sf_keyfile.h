/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_KEYFILE_H
#define SF_KEYFILE_H

/**
 * @file
 * Cookie keys from a file ([cookie] key_file), read at start and again on
 * SIGHUP:
 *
 *     line 1   key            32 hex digits
 *     line 2   previous_key   32 hex digits, optional
 *
 * Blanks around a key and a final newline are allowed; a blank line, a
 * third line or anything but 32 hex digits is refused. A key is a secret:
 * a file (key file, or configuration file holding a key) that group or
 * others may read (mode & 044) is refused, and a wrong key is never
 * echoed. sf_keyfile_parse(), sf_keyfile_mode_check() and sf_keys_roll()
 * are pure; sf_keyfile_read() adds the open, fstat and read,
 * sf_keyfile_load() the roll.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sf_cookie.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest key file read: two keys with room for blanks and CRLFs. */
#define SF_KEYFILE_MAX_BYTES	256
/** Mode bits that make a file holding a key readable by other users. */
#define SF_KEYFILE_MODE_OTHERS	0044
/** A size of reason buffer that always suffices (a path and a phrase). */
#define SF_KEYFILE_REASON_LEN	(2 * 256 + 96)

/** What a key file holds. */
struct sf_keyfile {
	struct sf_siphash_key key;	/**< line 1 */
	struct sf_siphash_key previous;	/**< line 2, when n_keys is 2 */
	unsigned int n_keys;		/**< 1 or 2 */
};

/**
 * Parse the text of a key file.
 *
 * @param text    the file's bytes (need not be NUL-terminated)
 * @param len     their number
 * @param kf      receives the keys (untouched on error)
 * @param reason  receives why it is refused ("line 2: blank", ...; no
 *   key is ever quoted)
 * @param rlen    size of @p reason
 * @return 0, or -1 with @p reason set.
 */
int
sf_keyfile_parse(const char *text, size_t len, struct sf_keyfile *kf,
		 char *reason, size_t rlen);

/**
 * Refuse the mode of a file that holds a key when group or others may read
 * it.
 *
 * @param path    the file, named in the fix
 * @param mode    its st_mode
 * @param reason  receives "readable by other users (mode 0644): chmod 600
 *   PATH" when refused
 * @param rlen    size of @p reason
 * @return 0 when only its owner may read it, -1 with @p reason set.
 */
int
sf_keyfile_mode_check(const char *path, mode_t mode, char *reason,
		      size_t rlen);

/**
 * Read and check a key file: a regular file, mode refused as
 * sf_keyfile_mode_check(), at most SF_KEYFILE_MAX_BYTES, parsed with
 * sf_keyfile_parse(). Not for the data path (it does file I/O).
 *
 * @param path    the key file
 * @param kf      receives the keys (untouched on error)
 * @param reason  receives why it is refused (cannot open: <errno text>,
 *   not a regular file, readable by other users ..., line N: ...)
 * @param rlen    size of @p reason (SF_KEYFILE_REASON_LEN suffices)
 * @return 0, or -1 with @p reason set.
 */
int
sf_keyfile_read(const char *path, struct sf_keyfile *kf, char *reason,
		size_t rlen);

/**
 * The keys after a key file is (re-)read: with two lines, the file's two
 * keys; with one, its key, and the running key becomes the previous key,
 * except when the file's key is the running key (a repeated SIGHUP keeps
 * the running previous key, so a roll in progress is not cut short).
 *
 * @param running  the keys in use, NULL at start (no previous key then)
 * @param kf       the file's keys
 * @param out      receives the new keys (may be @p running)
 */
void
sf_keys_roll(const struct sf_cookie_keys *running,
	     const struct sf_keyfile *kf, struct sf_cookie_keys *out);

/**
 * Read a key file and roll the keys with it (sf_keyfile_read(), then
 * sf_keys_roll()); the file's keys leave no copy behind.
 *
 * @param path     the key file
 * @param running  the keys in use, NULL at start
 * @param out      receives the new keys (may be @p running); untouched on
 *   error
 * @param reason   receives why the file was refused
 * @param rlen     size of reason (SF_KEYFILE_REASON_LEN suffices)
 * @return 0, or -1 with @p reason set.
 */
int
sf_keyfile_load(const char *path, const struct sf_cookie_keys *running,
		struct sf_cookie_keys *out, char *reason, size_t rlen);

#ifdef __cplusplus
}
#endif

#endif /* SF_KEYFILE_H */
