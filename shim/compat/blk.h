/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block-layer calls whose shape differs between kernels. Used only by
 * shim/block/; see include/arc/block.h for the API built on them.
 */
#ifndef _ARC_COMPAT_BLK_H
#define _ARC_COMPAT_BLK_H

#include <arc/block.h>

unsigned int arc_compat_tag_set_flags(const struct arc_blk_disk_desc *desc);
struct gendisk *arc_compat_alloc_disk(struct blk_mq_tag_set *set,
				      const struct arc_blk_disk_desc *desc,
				      void *queuedata);
int arc_compat_add_disk(struct gendisk *disk,
			const struct attribute_group **groups);
void arc_compat_put_disk(struct gendisk *disk);

#endif /* _ARC_COMPAT_BLK_H */
