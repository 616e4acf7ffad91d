/* SPDX-License-Identifier: GPL-2.0 */
/* GENHD_FL_EXT_DEVT must be set to get dynamic dev_t (before 5.17). */
#include <linux/blkdev.h>
#include <linux/genhd.h>

int arc_probe(void);
int arc_probe(void)
{
	return GENHD_FL_EXT_DEVT;
}
