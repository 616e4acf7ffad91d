/* SPDX-License-Identifier: GPL-2.0 */
/* MODULE_IMPORT_NS() takes a string literal (6.13 and later). */
#include <linux/module.h>

MODULE_IMPORT_NS("ARC_PROBE_NS");
