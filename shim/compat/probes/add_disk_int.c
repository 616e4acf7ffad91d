/* SPDX-License-Identifier: GPL-2.0 */
/* device_add_disk() returns int and must be checked (5.15). */
#include <linux/blkdev.h>

static int (*arc_probe)(struct device *, struct gendisk *,
			const struct attribute_group **) __used = device_add_disk;
