/* SPDX-License-Identifier: GPL-2.0 */
/* blk_mq_alloc_disk(set, queuedata) returns ERR_PTR (5.14 to 6.8). */
#include <linux/blk-mq.h>

struct gendisk *arc_probe(struct blk_mq_tag_set *set);
struct gendisk *arc_probe(struct blk_mq_tag_set *set)
{
	return blk_mq_alloc_disk(set, NULL);
}
