/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block-layer calls whose shape differs between kernels. Used only by
 * shim/block/; see include/arc/block.h for the API built on them.
 */
#ifndef _ARC_COMPAT_BLK_H
#define _ARC_COMPAT_BLK_H

#include <arc/block.h>

unsigned int arc_compat_tag_set_flags(const struct arc_blk_disk_desc *desc);
/* With @set NULL, a bio-based disk (&arc_blk_disk_desc.mode ARC_BLK_BIO). */
struct gendisk *arc_compat_alloc_disk(struct blk_mq_tag_set *set,
				      const struct arc_blk_disk_desc *desc,
				      void *queuedata);
int arc_compat_add_disk(struct gendisk *disk,
			const struct attribute_group **groups);
void arc_compat_put_disk(struct gendisk *disk);

/* shim/block/disk.c: what arc_blk_submit_bio() does. */
void arc_blk_serve_bio(struct bio *bio);

/* shim/block/disk.c: what arc_compat_timeout() does. */
enum blk_eh_timer_return arc_blk_timeout(struct request *rq);

/* blk_mq_ops.timeout: the reserved flag went away in 6.0. */
#if defined(ARC_HAVE_BLK_MQ_TIMEOUT_RQ)
enum blk_eh_timer_return arc_compat_timeout(struct request *rq);
#elif defined(ARC_HAVE_BLK_MQ_TIMEOUT_RESERVED)
enum blk_eh_timer_return arc_compat_timeout(struct request *rq, bool reserved);
#else
#error "arc: no blk_mq_ops.timeout shape probed"
#endif

/* The disk a bio was submitted to. */
static inline struct gendisk *arc_compat_bio_disk(struct bio *bio)
{
#if defined(ARC_HAVE_BIO_BI_BDEV)
	return bio->bi_bdev->bd_disk;
#elif defined(ARC_HAVE_BIO_BI_DISK)
	return bio->bi_disk;
#else
#error "arc: no way from a bio to its disk probed"
#endif
}

/*
 * I/O statistics of a bio-based disk are the driver's to keep, where the
 * kernel lets it (bio_start_io_acct(), 5.8): when queue/iostats is on.
 */
struct arc_compat_bio_acct {
	unsigned long start;
	bool on;
};

static inline void arc_compat_bio_acct_start(struct gendisk *disk,
					     struct bio *bio,
					     struct arc_compat_bio_acct *a)
{
#ifdef ARC_HAVE_BIO_IO_ACCT
	a->on = blk_queue_io_stat(disk->queue);
	if (a->on)
		a->start = bio_start_io_acct(bio);
#else
	a->on = false;
#endif
}

static inline void arc_compat_bio_acct_end(struct bio *bio,
					   const struct arc_compat_bio_acct *a)
{
#ifdef ARC_HAVE_BIO_IO_ACCT
	if (a->on)
		bio_end_io_acct(bio, a->start);
#endif
}

#endif /* _ARC_COMPAT_BLK_H */
