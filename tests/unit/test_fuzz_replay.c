/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Replays files through a libFuzzer harness's entry point, built without
 * libFuzzer (gcc or clang, with the build's sanitizers if any): each
 * harness of tests/fuzz is linked once more with this main, so every input
 * that once crashed a fuzzer stays a regression test.
 *
 *   test_fuzz_replay_<name> CORPUS_DIR FIXTURE_DIR
 *
 * CORPUS_DIR is the harness's seed corpus (tests/fuzz/corpus/<name>): it
 * must hold at least one file. FIXTURE_DIR is tests/unit/fixtures/fuzz_<name>,
 * where scripts/fuzz.sh copies every crash, timeout or leak input it finds;
 * it may be empty. Hidden files (.gitkeep) are skipped. A crash is the
 * process dying (the harnesses trap on a broken invariant); the checks
 * here are that every file is read whole and the entry point returns 0 or
 * -1, as libFuzzer requires.
 */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define REPLAY_MAX_INPUT	(1024 * 1024)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The directories of this run, from argv (a test has no other input). */
struct replay_dirs {
	const char *corpus;
	const char *fixtures;
};

/* Read @p path into @p buf; @return its size, or -1. */
static long
read_input(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long)n;
}

/* Replay every regular, non-hidden file of @p dir; @return how many. */
static unsigned int
replay_dir(const char *dir)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	char path[4096];
	struct dirent *de;
	struct stat st;
	unsigned int n = 0;
	DIR *d = opendir(dir);
	long len;
	int rc;

	if (d == NULL)
		fail_msg("cannot open directory %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		len = read_input(path, buf, sizeof(buf));
		if (len < 0)
			fail_msg("cannot read %s whole (over %d bytes?)", path,
				 REPLAY_MAX_INPUT);
		rc = LLVMFuzzerTestOneInput(buf, (size_t)len);
		if (rc != 0 && rc != -1)
			fail_msg("%s: entry point returned %d", path, rc);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_corpus(void **state)
{
	const struct replay_dirs *dirs = *state;
	unsigned int n = replay_dir(dirs->corpus);

	print_message("replayed %u corpus files of %s\n", n, dirs->corpus);
	assert_true(n > 0);
}

static void
test_fixtures(void **state)
{
	const struct replay_dirs *dirs = *state;
	unsigned int n = replay_dir(dirs->fixtures);

	/* replay_dir() failed the test on an unreadable file or a bad return */
	print_message("replayed %u crash fixtures of %s\n", n, dirs->fixtures);
}

int
main(int argc, char **argv)
{
	struct replay_dirs dirs;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_corpus, &dirs),
		cmocka_unit_test_prestate(test_fixtures, &dirs),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	dirs.corpus = argv[1];
	dirs.fixtures = argv[2];
	if (LLVMFuzzerInitialize != NULL &&
	    LLVMFuzzerInitialize(&argc, &argv) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
