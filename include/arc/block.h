/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_BLOCK: block devices from one description.
 *
 * A module describes the disk it wants (struct arc_blk_disk_desc) and
 * supplies the callbacks that serve its I/O. arc owns the tag set, the
 * queue, the gendisk and every block-layer call that changed between
 * 5.10 and today (disk allocation, queue limits, add_disk's return value,
 * the timeout and submit_bio callbacks' shapes, teardown). Import with
 * ARC_IMPORT_NS(ARC_BLOCK).
 *
 * Two ways for I/O to reach the owner, chosen per disk:
 *
 * - blk-mq (ARC_BLK_MQ, the default): requests, with tags, hardware
 *   queues, merging and the I/O scheduler the administrator picks, a
 *   timeout for every request, and completion whenever the owner says:
 *   at once, later from any context (arc_blk_complete(): an interrupt,
 *   a timer, a work item), after a delay (arc_blk_complete_after()), or
 *   from a worker that may sleep (ARC_BLK_DEFER). Choose it for a device
 *   whose I/O completes later or that has queues of its own, and for the
 *   block layer's accounting and scheduling.
 * - bio-based (ARC_BLK_BIO, the brief's "raw API"): each bio goes
 *   straight from submit_bio() to the owner, in the submitter's context,
 *   with no tag, no request, no merging and no scheduler, and is
 *   finished when the callback returns. Choose it for a device that
 *   serves I/O synchronously from memory (brd, zram): it is the shorter
 *   path.
 *
 * The blk-mq callback first runs in the submitter's context, where it
 * must not sleep or take long; a request it cannot finish there it hands
 * back with ARC_BLK_DEFER, and arc calls it again from a worker in
 * process context, where it may sleep and reschedule. The fast path so
 * never leaves the submitting CPU, and the queue does not pay for being
 * a blocking one. Segments are mapped with arc_bvec_map(), which is never
 * atomic, so no arc call turns the worker's context into one where
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
 * enum arc_blk_mode - how I/O reaches a disk's owner
 * @ARC_BLK_MQ: blk-mq requests, &arc_blk_ops.handle (the default)
 * @ARC_BLK_BIO: bios straight from submit_bio(), &arc_blk_ops.handle_bio
 */
enum arc_blk_mode {
	ARC_BLK_MQ,
	ARC_BLK_BIO,
};

/**
 * enum arc_blk_result - what a blk-mq handler did with its request
 * @ARC_BLK_DONE: served: arc ends the request with the handler's status
 * @ARC_BLK_DEFER: it needs process context (an allocation that may
 *	sleep, a long loop): arc calls the handler again for the same
 *	request from a worker, with @can_sleep true. Only from a call with
 *	@can_sleep false; serving a request must so be repeatable, as reads
 *	and writes of memory are
 * @ARC_BLK_IN_FLIGHT: the owner has taken the request and ends it later
 *	with arc_blk_complete() or arc_blk_complete_after() (or may already
 *	have: the handler must not touch the request after either call)
 */
enum arc_blk_result {
	ARC_BLK_DONE,
	ARC_BLK_DEFER,
	ARC_BLK_IN_FLIGHT,
};

/**
 * enum arc_blk_timeout - what a timeout handler did with its request
 * @ARC_BLK_TIMEOUT_END: the owner gave the request up (it will not
 *	complete it any more): arc ends it with the handler's status
 * @ARC_BLK_TIMEOUT_WAIT: the request is still the owner's and will be
 *	completed: wait another timeout period
 */
enum arc_blk_timeout {
	ARC_BLK_TIMEOUT_END,
	ARC_BLK_TIMEOUT_WAIT,
};

/**
 * struct arc_blk_ops - what an arc disk's owner implements
 * @handle: blk-mq: serve @rq. arc has started the request; the callback
 *	must neither start nor end it itself. Called only for requests
 *	that lie inside the disk's capacity. With @can_sleep false it runs
 *	in atomic context, on the submitting CPU in the block layer's
 *	dispatch, and must neither sleep nor take long (else ARC_BLK_DEFER).
 *	With @can_sleep true (from the worker) it may sleep, also while
 *	holding an arc_bvec_map() mapping, and should call cond_resched()
 *	in long loops; arc_might_sleep() marks and checks the points where
 *	it sleeps. Returns an &enum arc_blk_result; with ARC_BLK_DONE it
 *	sets *@status (BLK_STS_OK, or the error)
 * @timeout: blk-mq, optional: a request the owner holds (ARC_BLK_IN_FLIGHT)
 *	has not completed within the disk's timeout. Runs in process
 *	context (the block layer's timeout work). Returns an &enum
 *	arc_blk_timeout; with ARC_BLK_TIMEOUT_END it sets *@status (e.g.
 *	BLK_STS_TIMEOUT) and must make sure it does not complete the
 *	request itself any more. Requests on arc's own completion timer
 *	(arc_blk_complete_after()) never reach it: they complete when the
 *	timer fires. Without it arc logs the first timeout of each disk and
 *	waits on (the owner completes every request it takes)
 * @handle_bio: bio-based: serve @bio whole (any size; arc does not
 *	split) and return its status; arc ends the bio. Runs in the
 *	submitter's context; @can_sleep false for a REQ_NOWAIT bio, which
 *	must then not sleep and gets BLK_STS_AGAIN back when it would have
 *	to (the submitter retries where it may block)
 */
struct arc_blk_ops {
	enum arc_blk_result (*handle)(struct arc_blk_disk *disk,
				      struct request *rq, bool can_sleep,
				      blk_status_t *status);
	enum arc_blk_timeout (*timeout)(struct arc_blk_disk *disk,
					struct request *rq,
					blk_status_t *status);
	blk_status_t (*handle_bio)(struct arc_blk_disk *disk, struct bio *bio,
				   bool can_sleep);
};

/*
 * arc's submit_bio for bio-based disks; only for ARC_BLK_BIO_FOPS (its
 * return type differs between kernels).
 */
ARC_COMPAT_SUBMIT_BIO_TYPE arc_blk_submit_bio(struct bio *bio);

/**
 * ARC_BLK_BIO_FOPS - block_device_operations of a bio-based arc disk
 *
 * The initializer of the owner's &arc_blk_disk_desc.fops for ARC_BLK_BIO:
 * the owner's module (an open disk pins it) and arc's submit_bio, e.g.
 * ``static const struct block_device_operations my_fops = ARC_BLK_BIO_FOPS;``
 */
#define ARC_BLK_BIO_FOPS { .owner = THIS_MODULE, .submit_bio = arc_blk_submit_bio }

/**
 * struct arc_blk_disk_desc - everything needed to create an arc disk
 * @name: disk name as it appears in /dev and /sys/block (at most 31 chars)
 * @fops: the owner's block_device_operations, so that opening the disk
 *	pins the owning module and rmmod of a mounted disk is refused: for
 *	ARC_BLK_MQ only .owner set (THIS_MODULE); for ARC_BLK_BIO exactly
 *	ARC_BLK_BIO_FOPS
 * @ops: the owner's callbacks: &arc_blk_ops.handle for ARC_BLK_MQ,
 *	&arc_blk_ops.handle_bio for ARC_BLK_BIO
 * @mode: an &enum arc_blk_mode
 * @cmd_size: blk-mq: bytes of the owner's own per-request data, at
 *	arc_blk_rq_data(); 0 for none
 * @timeout_ms: blk-mq: how long a request may take before
 *	&arc_blk_ops.timeout is asked; 0: the block layer's default (30 s).
 *	queue/io_timeout in sysfs changes it at run time
 * @private: owner's pointer, returned by arc_blk_disk_private()
 * @groups: extra sysfs attribute groups under /sys/block/NAME, or NULL
 * @capacity: size in 512-byte sectors, a multiple of the logical block size
 * @logical_block_size: 512 to PAGE_SIZE, a power of two
 * @physical_block_size: logical_block_size to PAGE_SIZE, a power of two
 *	(0: same as logical)
 * @nr_hw_queues: blk-mq: hardware queues, 1 to nr_cpu_ids
 * @queue_depth: blk-mq: tags per hardware queue, 1 to BLK_MQ_MAX_DEPTH
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
 * @no_scheduler: blk-mq: start with no I/O scheduler ("none"), as a disk whose
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
	enum arc_blk_mode mode;
	unsigned int cmd_size;
	unsigned int timeout_ms;
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
 * Validates @desc, allocates the tag set (blk-mq) and disk, applies the
 * queue limits and adds the disk (partitions are scanned if allowed). On
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
 * arc_blk_complete() - end a request the owner took (ARC_BLK_IN_FLIGHT)
 * @rq: the request
 * @status: BLK_STS_OK or the error
 *
 * May be called from any context, the handler itself included (then the
 * handler must not touch @rq afterwards). The request ends through the
 * block layer's completion (blk_mq_complete_request()): on the CPU that
 * submitted it, from a softirq or an IPI where that differs from here,
 * as a device's interrupt would. Exactly once per request, and never
 * for one the timeout handler gave up.
 */
void arc_blk_complete(struct request *rq, blk_status_t status);

/**
 * arc_blk_complete_after() - end a request the owner took after a delay
 * @rq: the request
 * @status: BLK_STS_OK or the error
 * @nsec: the delay in nanoseconds (0: as arc_blk_complete())
 *
 * Completes @rq like arc_blk_complete() when a timer of arc's fires,
 * @nsec from now: the latency of an emulated device. Any context. The
 * block layer's timeout leaves such a request alone: arc knows it ends.
 */
void arc_blk_complete_after(struct request *rq, blk_status_t status, u64 nsec);

/**
 * arc_blk_rq_data() - the owner's per-request data
 * @rq: a request of an arc disk
 *
 * Return: &arc_blk_disk_desc.cmd_size bytes for the owner, aligned like
 * a pointer, private to this request while it is the owner's (the
 * contents stay from one use of the tag to the next; arc never touches
 * them).
 */
void *arc_blk_rq_data(struct request *rq);

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
 * enum arc_blk_op - what a request or bio asks for
 * @ARC_BLK_READ: read data
 * @ARC_BLK_WRITE: write data (a write with no data is a flush of a
 *	bio-based disk's cache: nothing to copy)
 * @ARC_BLK_FLUSH: flush the write cache (blk-mq)
 * @ARC_BLK_DISCARD: forget the sectors
 * @ARC_BLK_WRITE_ZEROES: make the sectors read as zeroes
 * @ARC_BLK_OTHER: anything else (BLK_STS_NOTSUPP, unless the owner knows it)
 *
 * The kernel's operation type changed (enum req_opf, then a restricted
 * enum req_op in 6.0): an owner that switches on these instead keeps one
 * function for requests and bios on every kernel.
 */
enum arc_blk_op {
	ARC_BLK_READ,
	ARC_BLK_WRITE,
	ARC_BLK_FLUSH,
	ARC_BLK_DISCARD,
	ARC_BLK_WRITE_ZEROES,
	ARC_BLK_OTHER,
};

/* The kernel's operation (whatever its type) as an &enum arc_blk_op. */
static inline enum arc_blk_op
__arc_blk_op(typeof(req_op((struct request *)NULL)) op)
{
	switch (op) {
	case REQ_OP_READ:
		return ARC_BLK_READ;
	case REQ_OP_WRITE:
		return ARC_BLK_WRITE;
	case REQ_OP_FLUSH:
		return ARC_BLK_FLUSH;
	case REQ_OP_DISCARD:
		return ARC_BLK_DISCARD;
	case REQ_OP_WRITE_ZEROES:
		return ARC_BLK_WRITE_ZEROES;
	default:
		return ARC_BLK_OTHER;
	}
}

/**
 * arc_blk_rq_op() - what a request asks for
 * @rq: the request
 *
 * Return: an &enum arc_blk_op.
 */
static inline enum arc_blk_op arc_blk_rq_op(const struct request *rq)
{
	return __arc_blk_op(req_op(rq));
}

/**
 * arc_blk_bio_op() - what a bio asks for
 * @bio: the bio
 *
 * Return: an &enum arc_blk_op.
 */
static inline enum arc_blk_op arc_blk_bio_op(const struct bio *bio)
{
	return __arc_blk_op(bio_op(bio));
}

/**
 * arc_bvec_map() - map one request segment for copying
 * @bv: the segment (from rq_for_each_segment() or bio_for_each_segment())
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
