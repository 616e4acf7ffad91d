/* SPDX-License-Identifier: GPL-2.0 */
/* A bio names its disk (until 5.11). */
#include <linux/blkdev.h>

struct gendisk *arc_probe(struct bio *bio);
struct gendisk *arc_probe(struct bio *bio)
{
	return bio->bi_disk;
}
