/* SPDX-License-Identifier: GPL-2.0 */
/* blk_alloc_disk(node): a bio-based disk with its queue (5.14 to 6.8). */
#include <linux/blkdev.h>

struct gendisk *arc_probe(void);
struct gendisk *arc_probe(void)
{
	return blk_alloc_disk(NUMA_NO_NODE);
}
