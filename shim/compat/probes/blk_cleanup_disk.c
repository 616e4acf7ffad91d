/* SPDX-License-Identifier: GPL-2.0 */
/* blk_cleanup_disk() must precede put_disk() (5.14 to 5.19). */
#include <linux/blkdev.h>

void arc_probe(struct gendisk *disk);
void arc_probe(struct gendisk *disk)
{
	blk_cleanup_disk(disk);
}
