/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_RAMDISK_H
#define _ARC_RAMDISK_H

#include <arc/block.h>
#include "store.h"

/**
 * struct ramdisk_config - the shape of every RAM disk of this module
 * @size_mb: capacity of each disk in MiB
 * @hw_queues: blk-mq hardware queues per disk
 * @queue_depth: tags per hardware queue
 * @reserve_pages: available memory, in pages, below which no new page is
 *	allocated (see struct ramdisk_store)
 * @alloc_nowait: see struct ramdisk_store
 * @sleep_ms: see struct ramdisk_store (test only)
 * @iostats: keep I/O statistics (&arc_blk_disk_desc.iostats)
 */
struct ramdisk_config {
	unsigned int size_mb;
	unsigned int hw_queues;
	unsigned int queue_depth;
	unsigned long reserve_pages;
	bool alloc_nowait;
	unsigned int sleep_ms;
	bool iostats;
};

/**
 * struct ramdisk - one /dev/arcramN
 * @store: its data
 * @disk: the arc disk serving it
 * @deferred: requests served from the disk's worker because they could
 *	not be served without sleeping (sysfs: ramdisk/deferred)
 */
struct ramdisk {
	struct ramdisk_store store;
	struct arc_blk_disk *disk;
	atomic_long_t deferred;
};

struct ramdisk *ramdisk_create(unsigned int index,
			       const struct ramdisk_config *cfg);
void ramdisk_destroy(struct ramdisk *rd);

#endif /* _ARC_RAMDISK_H */
