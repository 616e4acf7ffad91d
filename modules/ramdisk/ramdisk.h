/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_RAMDISK_H
#define _ARC_RAMDISK_H

#include <arc/block.h>
#include "store.h"

/**
 * enum ramdisk_completion - how a served request ends (completion=)
 * @RAMDISK_COMPLETE_INLINE: in the handler (the fastest)
 * @RAMDISK_COMPLETE_SOFTIRQ: through the block layer's completion, from
 *	a softirq or an IPI on the submitting CPU, as after an interrupt
 * @RAMDISK_COMPLETE_TIMER: completion_nsec later, from a timer
 */
enum ramdisk_completion {
	RAMDISK_COMPLETE_INLINE,
	RAMDISK_COMPLETE_SOFTIRQ,
	RAMDISK_COMPLETE_TIMER,
};

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
 * @bio: bio-based (queue_mode=bio) instead of blk-mq
 * @completion: an &enum ramdisk_completion (blk-mq only)
 * @completion_nsec: the timer's delay (RAMDISK_COMPLETE_TIMER)
 * @hold_every: test only: every this many write requests one is served
 *	but not ended until the block layer's timeout (0: never)
 */
struct ramdisk_config {
	unsigned int size_mb;
	unsigned int hw_queues;
	unsigned int queue_depth;
	unsigned long reserve_pages;
	bool alloc_nowait;
	unsigned int sleep_ms;
	bool iostats;
	bool bio;
	enum ramdisk_completion completion;
	unsigned int completion_nsec;
	unsigned int hold_every;
};

/**
 * struct ramdisk - one /dev/arcramN
 * @store: its data
 * @disk: the arc disk serving it
 * @cfg: the module's configuration
 * @deferred: requests (bios) served again where they may sleep because
 *	they could not be served without (sysfs: ramdisk/deferred)
 * @served: write requests served, counted only with hold_every
 * @held: requests held by hold_every
 * @timeouts: held requests the block layer's timeout ended (sysfs:
 *	ramdisk/timeouts)
 */
struct ramdisk {
	struct ramdisk_store store;
	struct arc_blk_disk *disk;
	const struct ramdisk_config *cfg;
	atomic_long_t deferred;
	atomic_long_t served;
	atomic_long_t held;
	atomic_long_t timeouts;
};

/**
 * struct ramdisk_rq - the RAM disk's data in each request
 * @status: how a held request was served
 * @held: held by hold_every, until the timeout ends it
 */
struct ramdisk_rq {
	blk_status_t status;
	bool held;
};

struct ramdisk *ramdisk_create(unsigned int index,
			       const struct ramdisk_config *cfg);
void ramdisk_destroy(struct ramdisk *rd);

#endif /* _ARC_RAMDISK_H */
