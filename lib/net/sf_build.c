/* SPDX-License-Identifier: BSD-3-Clause */

/* TODO: implementation pending. */
#include "sf_net.h"
