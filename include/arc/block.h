/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_BLOCK: blk-mq disks from one description.
 *
 * A module describes the disk it wants (struct arc_blk_disk_desc) and
 * supplies one callback that serves a request synchronously. arc owns the
 * tag set, the queue, the gendisk and every block-layer call that changed
 * between 5.10 and today (disk allocation, queue limits, add_disk's return
 * value, teardown). Import with ARC_IMPORT_NS(ARC_BLOCK).
 *
 * The callback first runs in the submitter's context, where it must not
 * sleep or take long; a request it cannot finish there (say, a write that
 * needs a page and GFP_NOWAIT found none, or a discard of a million
 * pages) it hands back with BLK_STS_AGAIN, and arc calls it again from a
 * worker in process context, where it may sleep and reschedule. The fast
 * path so never leaves the submitting CPU, and the queue does not pay for
 * being a blocking one. Segments are mapped with arc_bvec_map(), which is
 * never atomic, so no arc call turns the worker's context into one where
 * sleeping is a bug.
 */
#ifndef _ARC_BLOCK_H
#define _ARC_BLOCK_H

#include <arc/arc.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/bvec.h>

struct arc_blk_disk;

/**
 * struct arc_blk_ops - what an arc disk's owner implements
 * @handle: serve @rq completely and return its status. arc has started
 *	the request and ends it with the returned status; the callback
 *	must neither start nor end it. Called only for requests that lie
 *	inside the disk's capacity. With @can_sleep false it runs in
 *	atomic context, on the submitting CPU in the block layer's
 *	dispatch, and must neither sleep nor take long: work that needs
 *	either (an allocation with reclaim, or freeing many pages) it hands
 *	back with BLK_STS_AGAIN, to be called again for the same request
 *	with @can_sleep true from process context (so serving a request
 *	must be repeatable, as reads and writes of memory are). With
 *	@can_sleep true it may sleep, also while holding an arc_bvec_map()
 *	mapping, should call cond_resched() in long loops, and
 *	BLK_STS_AGAIN is an I/O error like any other. arc_might_sleep()
 *	marks and checks the points where it sleeps.
 */
struct arc_blk_ops {
	blk_status_t (*handle)(struct arc_blk_disk *disk, struct request *rq,
			       bool can_sleep);
};

/**
 * struct arc_blk_disk_desc - everything needed to create an arc disk
 * @name: disk name as it appears in /dev and /sys/block (at most 31 chars)
 * @fops: the owner's block_device_operations with only .owner set
 *	(THIS_MODULE), so that opening the disk pins the owning module and
 *	rmmod of a mounted disk is refused; arc fills in nothing else
 * @ops: request callback
 * @private: owner's pointer, returned by arc_blk_disk_private()
 * @groups: extra sysfs attribute groups under /sys/block/NAME, or NULL
 * @capacity: size in 512-byte sectors, a multiple of the logical block size
 * @logical_block_size: 512 to PAGE_SIZE, a power of two
 * @physical_block_size: logical_block_size to PAGE_SIZE, a power of two
 *	(0: same as logical)
 * @nr_hw_queues: hardware queues, 1 to nr_cpu_ids
 * @queue_depth: tags per hardware queue, 1 to BLK_MQ_MAX_DEPTH
 * @max_sectors: largest read or write request in 512-byte sectors, at
 *	least PAGE_SIZE worth; 0: the block layer's default (255 sectors,
 *	which splits large I/O into requests that are not page aligned)
 * @max_segments: most segments in one request; 0: the block layer's
 *	default (128)
 * @max_discard_sectors: largest DISCARD request; 0: no discard support
 * @max_write_zeroes_sectors: largest WRITE_ZEROES request; 0: none
 * @write_cache: the device has a volatile write cache (it receives FLUSH)
 * @fua: the device honours REQ_FUA (needs @write_cache)
 * @rotational: report a rotational device (affects I/O scheduling)
 * @no_scheduler: start with no I/O scheduler ("none"), as a disk whose
 *	requests cost no seek wants. Otherwise the block layer picks
 *	mq-deadline for a disk with one hardware queue (and none for more),
 *	and with it every request goes through kblockd. The administrator
 *	may still choose one in queue/scheduler, except on kernels without
 *	BLK_MQ_F_NO_SCHED_BY_DEFAULT (5.10), where the disk then has none
 *	for good
 * @partitions: scan and allow partitions
 * @iostats: keep I/O statistics (/proc/diskstats, queue/iostats, which
 *	the administrator may still change at run time); each request then
 *	costs two more clock reads, which is most of a request's cost on a
 *	RAM disk in a guest whose clock is an emulated HPET
 * @numa_node: node for the tag set, or NUMA_NO_NODE
 */
struct arc_blk_disk_desc {
	const char *name;
	const struct block_device_operations *fops;
	const struct arc_blk_ops *ops;
	void *private;
	const struct attribute_group **groups;
	sector_t capacity;
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int nr_hw_queues;
	unsigned int queue_depth;
	unsigned int max_sectors;
	unsigned short max_segments;
	unsigned int max_discard_sectors;
	unsigned int max_write_zeroes_sectors;
	bool write_cache;
	bool fua;
	bool rotational;
	bool no_scheduler;
	bool partitions;
	bool iostats;
	int numa_node;
};

/**
 * arc_blk_disk_create() - create a blk-mq disk and make it visible
 * @desc: the disk's description; copied, need not outlive the call
 *
 * Validates @desc, allocates the tag set and disk, applies the queue
 * limits and adds the disk (partitions are scanned if allowed). On
 * failure nothing stays registered.
 *
 * Return: the new disk, or ERR_PTR(-EINVAL) for an invalid description,
 * or another ERR_PTR from the block layer.
 */
struct arc_blk_disk *arc_blk_disk_create(const struct arc_blk_disk_desc *desc);

/**
 * arc_blk_disk_destroy() - remove a disk created by arc_blk_disk_create()
 * @disk: the disk; NULL or an ERR_PTR is ignored
 *
 * Removes the disk from the system, waits for requests in flight and
 * frees everything arc allocated. The owner frees its own data after this
 * returns: no callback runs afterwards.
 */
void arc_blk_disk_destroy(struct arc_blk_disk *disk);

/**
 * arc_blk_disk_private() - the owner's pointer given in the description
 * @disk: an arc disk
 *
 * Return: &arc_blk_disk_desc.private.
 */
void *arc_blk_disk_private(const struct arc_blk_disk *disk);

/**
 * arc_blk_disk_name() - the disk's name
 * @disk: an arc disk
 *
 * Return: the name, as in /sys/block.
 */
const char *arc_blk_disk_name(const struct arc_blk_disk *disk);

/**
 * arc_blk_disk_capacity() - the disk's size
 * @disk: an arc disk
 *
 * Return: capacity in 512-byte sectors.
 */
sector_t arc_blk_disk_capacity(const struct arc_blk_disk *disk);

/**
 * arc_blk_disk_from_dev() - the arc disk behind a sysfs device
 * @dev: the struct device passed to a show()/store() of one of
 *	&arc_blk_disk_desc.groups
 *
 * Return: the arc disk.
 */
struct arc_blk_disk *arc_blk_disk_from_dev(struct device *dev);

/**
 * arc_bvec_map() - map one request segment for copying
 * @bv: the segment (from rq_for_each_segment())
 *
 * The segment must not cross a page boundary, which is what
 * rq_for_each_segment() yields. The mapping is never atomic, on any
 * kernel arc builds for: it disables neither preemption nor page faults
 * (kmap_local_page() where the kernel has it, the page's linear address
 * on older kernels, which arc supports only without highmem). So it
 * leaves the caller's context as it was: a handler called with
 * can_sleep true may sleep while it holds a mapping, one called with
 * can_sleep false must not sleep either way. Mappings are local to the
 * task: unmap each with arc_bvec_unmap() before the handler returns, the
 * last mapped first.
 *
 * Return: the kernel address of the segment's first byte.
 */
static inline void *arc_bvec_map(const struct bio_vec *bv)
{
	return (char *)arc_kmap_local(bv->bv_page) + bv->bv_offset;
}

/**
 * arc_bvec_unmap() - undo arc_bvec_map()
 * @addr: the address arc_bvec_map() returned
 */
static inline void arc_bvec_unmap(void *addr)
{
	arc_kunmap_local(addr);
}

/**
 * arc_block_api_version() - the ARC_BLOCK API version of the loaded arc_block.ko
 *
 * Return: ARC_API(ARC_BLOCK) as arc_block.ko was built.
 */
u32 arc_block_api_version(void);

/**
 * arc_block_api_check() - check the loaded arc_block.ko against this module
 *
 * Call it from the init function of a module that imports ARC_BLOCK.
 *
 * Return: 0 if this module may use ARC_BLOCK, -EPROTO otherwise.
 */
static inline int arc_block_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_BLOCK",
			     arc_block_api_version(), ARC_API(ARC_BLOCK));
}

#endif /* _ARC_BLOCK_H */
