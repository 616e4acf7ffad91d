// SPDX-License-Identifier: GPL-2.0
/*
 * Block-layer compatibility: disk allocation, queue limits, add_disk and
 * teardown, each in the shape the probes found in the target kernel.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>

#include "blk.h"

unsigned int arc_compat_tag_set_flags(const struct arc_blk_disk_desc *desc)
{
	/*
	 * Not BLK_MQ_F_BLOCKING: handlers do not sleep in ->queue_rq() (what
	 * must sleep goes to a workqueue, see shim/block/disk.c).
	 */
	unsigned int flags = 0;

#ifdef ARC_HAVE_BLK_MQ_F_SHOULD_MERGE
	flags |= BLK_MQ_F_SHOULD_MERGE;
#endif
	/*
	 * Without either flag the block layer gives a disk with one hardware
	 * queue mq-deadline, whose inserts run the queue from kblockd: a
	 * context switch per request.
	 */
	if (desc->no_scheduler) {
#if defined(ARC_HAVE_BLK_MQ_F_NO_SCHED_BY_DEFAULT)
		flags |= BLK_MQ_F_NO_SCHED_BY_DEFAULT;
#elif defined(ARC_HAVE_BLK_MQ_F_NO_SCHED)
		flags |= BLK_MQ_F_NO_SCHED;
#else
#error "arc: no blk-mq flag to start without an I/O scheduler probed"
#endif
	}
	return flags;
}

#ifdef ARC_HAVE_LIM_FEATURES
/* @set NULL: a bio-based disk. */
static struct gendisk *alloc_with_limits(struct blk_mq_tag_set *set,
					 const struct arc_blk_disk_desc *d,
					 void *queuedata)
{
	struct queue_limits lim = {
		.logical_block_size = d->logical_block_size,
		.physical_block_size = d->physical_block_size,
		.io_min = d->physical_block_size,
		.max_hw_discard_sectors = d->max_discard_sectors,
		.discard_granularity = d->max_discard_sectors ?
				       d->physical_block_size : 0,
		.max_write_zeroes_sectors = d->max_write_zeroes_sectors,
		.max_hw_sectors = d->max_sectors,
		.max_segments = d->max_segments,
	};

	if (d->write_cache)
		lim.features |= BLK_FEAT_WRITE_CACHE;
	if (d->write_cache && d->fua)
		lim.features |= BLK_FEAT_FUA;
	if (d->rotational)
		lim.features |= BLK_FEAT_ROTATIONAL;
	if (set)
		return blk_mq_alloc_disk(set, &lim, queuedata);
#ifdef ARC_HAVE_BLK_FEAT_NOWAIT
	lim.features |= BLK_FEAT_NOWAIT;
#endif
	return blk_alloc_disk(&lim, d->numa_node);
}

/* blk-mq turns I/O statistics on whatever the limits asked for. */
static int set_iostats(struct request_queue *q, bool on)
{
	struct queue_limits lim = queue_limits_start_update(q);

	if (on)
		lim.features |= BLK_FEAT_IO_STAT;
	else
		lim.features &= ~BLK_FEAT_IO_STAT;
	return queue_limits_commit_update(q, &lim);
}
#else
/* Limits through the blk_queue_*() setters, after the queue exists. */
static void apply_limits(struct request_queue *q,
			 const struct arc_blk_disk_desc *d)
{
	blk_queue_logical_block_size(q, d->logical_block_size);
	blk_queue_physical_block_size(q, d->physical_block_size);
	blk_queue_io_min(q, d->physical_block_size);
	if (d->max_sectors)
		blk_queue_max_hw_sectors(q, d->max_sectors);
	if (d->max_segments)
		blk_queue_max_segments(q, d->max_segments);
	if (d->max_discard_sectors) {
		blk_queue_max_discard_sectors(q, d->max_discard_sectors);
		q->limits.discard_granularity = d->physical_block_size;
#ifdef ARC_HAVE_QUEUE_FLAG_DISCARD
		blk_queue_flag_set(QUEUE_FLAG_DISCARD, q);
#endif
	}
	blk_queue_max_write_zeroes_sectors(q, d->max_write_zeroes_sectors);
	blk_queue_write_cache(q, d->write_cache, d->write_cache && d->fua);
	if (d->rotational)
		blk_queue_flag_clear(QUEUE_FLAG_NONROT, q);
	else
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	/* Request timings of a memory-backed disk are no entropy source. */
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
}

static int set_iostats(struct request_queue *q, bool on)
{
	if (on)
		blk_queue_flag_set(QUEUE_FLAG_IO_STAT, q);
	else
		blk_queue_flag_clear(QUEUE_FLAG_IO_STAT, q);
	return 0;
}

/* A bio-based disk and its queue. */
static struct gendisk *alloc_bio_disk(const struct arc_blk_disk_desc *d)
{
	struct gendisk *disk;

#if defined(ARC_HAVE_BLK_ALLOC_DISK_LIM)
	disk = blk_alloc_disk(NULL, d->numa_node);
#elif defined(ARC_HAVE_BLK_ALLOC_DISK)
	disk = blk_alloc_disk(d->numa_node);
	if (!disk)
		return ERR_PTR(-ENOMEM);
#elif defined(ARC_HAVE_BLK_ALLOC_QUEUE_NODE)
	struct request_queue *q = blk_alloc_queue(d->numa_node);

	if (!q)
		return ERR_PTR(-ENOMEM);
	disk = alloc_disk_node(0, d->numa_node);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
#else
#error "arc: no bio-based disk allocation shape probed"
#endif
	if (IS_ERR(disk))
		return disk;
#ifdef ARC_HAVE_QUEUE_FLAG_NOWAIT
	blk_queue_flag_set(QUEUE_FLAG_NOWAIT, disk->queue);
#endif
	return disk;
}

static struct gendisk *alloc_mq_disk(struct blk_mq_tag_set *set,
				     void *queuedata)
{
	struct gendisk *disk;

#if defined(ARC_HAVE_BLK_MQ_ALLOC_DISK_LIM)
	disk = blk_mq_alloc_disk(set, NULL, queuedata);
#elif defined(ARC_HAVE_BLK_MQ_ALLOC_DISK)
	disk = blk_mq_alloc_disk(set, queuedata);
#elif defined(ARC_HAVE_BLK_MQ_INIT_QUEUE)
	struct request_queue *q = blk_mq_init_queue_data(set, queuedata);

	if (IS_ERR(q))
		return ERR_CAST(q);
	disk = alloc_disk_node(0, set->numa_node);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
#else
#error "arc: no blk-mq disk allocation shape probed"
#endif
	return disk;
}

/* @set NULL: a bio-based disk. */
static struct gendisk *alloc_with_limits(struct blk_mq_tag_set *set,
					 const struct arc_blk_disk_desc *d,
					 void *queuedata)
{
	struct gendisk *disk = set ? alloc_mq_disk(set, queuedata) :
				     alloc_bio_disk(d);

	if (IS_ERR(disk))
		return disk;
	apply_limits(disk->queue, d);
	return disk;
}
#endif

struct gendisk *arc_compat_alloc_disk(struct blk_mq_tag_set *set,
				      const struct arc_blk_disk_desc *desc,
				      void *queuedata)
{
	struct gendisk *disk = alloc_with_limits(set, desc, queuedata);
	int err;

	if (IS_ERR(disk))
		return disk;
	err = set_iostats(disk->queue, desc->iostats);
	if (err) {
		arc_compat_put_disk(disk);
		return ERR_PTR(err);
	}
	/*
	 * major 0 and minors 0: the whole disk and its partitions get
	 * dynamic numbers from the extended dev_t range.
	 */
	disk->major = 0;
	disk->first_minor = 0;
	disk->minors = 0;
#ifdef ARC_HAVE_GENHD_FL_EXT_DEVT
	disk->flags |= GENHD_FL_EXT_DEVT;
#endif
	if (!desc->partitions) {
#if defined(ARC_HAVE_GENHD_FL_NO_PART)
		disk->flags |= GENHD_FL_NO_PART;
#elif defined(ARC_HAVE_GENHD_FL_NO_PART_SCAN)
		disk->flags |= GENHD_FL_NO_PART_SCAN;
#endif
	}
	return disk;
}

int arc_compat_add_disk(struct gendisk *disk,
			const struct attribute_group **groups)
{
#ifdef ARC_HAVE_ADD_DISK_INT
	return device_add_disk(NULL, disk, groups);
#else
	device_add_disk(NULL, disk, groups);
	return 0;
#endif
}

void arc_compat_put_disk(struct gendisk *disk)
{
#if defined(ARC_HAVE_BLK_CLEANUP_DISK)
	blk_cleanup_disk(disk);
#elif defined(ARC_HAVE_BLK_MQ_INIT_QUEUE)
	blk_cleanup_queue(disk->queue);
	put_disk(disk);
#else
	put_disk(disk);
#endif
}

ARC_COMPAT_SUBMIT_BIO_TYPE arc_blk_submit_bio(struct bio *bio)
{
	arc_blk_serve_bio(bio);
#ifndef ARC_HAVE_SUBMIT_BIO_VOID
	return BLK_QC_T_NONE;
#endif
}
EXPORT_SYMBOL_ARC(arc_blk_submit_bio, ARC_BLOCK);

#if defined(ARC_HAVE_BLK_MQ_TIMEOUT_RQ)
enum blk_eh_timer_return arc_compat_timeout(struct request *rq)
#else
enum blk_eh_timer_return arc_compat_timeout(struct request *rq, bool reserved)
#endif
{
	return arc_blk_timeout(rq);
}
