/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO: tests pending. */
int main(void);
int main(void) { return 0; }
