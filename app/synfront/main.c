/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO */
int main(void);
int main(void) { return 0; }
