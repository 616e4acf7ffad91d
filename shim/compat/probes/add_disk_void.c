/* SPDX-License-Identifier: GPL-2.0 */
/* device_add_disk() returns void (before 5.15). */
#include <linux/blkdev.h>
#include <linux/genhd.h>

static void (*arc_probe)(struct device *, struct gendisk *,
			 const struct attribute_group **) __used = device_add_disk;
