/* SPDX-License-Identifier: GPL-2.0 */
/* MODULE_IMPORT_NS() takes a bare identifier (before 6.13). */
#include <linux/module.h>

MODULE_IMPORT_NS(ARC_PROBE_NS);
