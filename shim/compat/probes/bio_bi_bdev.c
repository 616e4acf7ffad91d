/* SPDX-License-Identifier: GPL-2.0 */
/* A bio names its block device, and that its disk (5.12). */
#include <linux/blkdev.h>

struct gendisk *arc_probe(struct bio *bio);
struct gendisk *arc_probe(struct bio *bio)
{
	return bio->bi_bdev->bd_disk;
}
