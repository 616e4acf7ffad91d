/* SPDX-License-Identifier: GPL-2.0 */
/* No blk_mq_alloc_disk: blk_mq_init_queue() plus alloc_disk() (5.10). */
#include <linux/blk-mq.h>
#include <linux/genhd.h>

struct gendisk *arc_probe(struct blk_mq_tag_set *set);
struct gendisk *arc_probe(struct blk_mq_tag_set *set)
{
	struct request_queue *q = blk_mq_init_queue(set);
	struct gendisk *disk = alloc_disk(0);

	disk->queue = q;
	return disk;
}
