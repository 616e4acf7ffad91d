// SPDX-License-Identifier: GPL-2.0
/*
 * One RAM disk: the request handler that moves data between a request's
 * segments and the store, and the sysfs view of the memory it uses
 * (/sys/block/arcramN/ramdisk/).
 */
#include <linux/device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "ramdisk.h"

/* Copy one bio's segments between memory and the store. */
static int ramdisk_copy_bio(struct ramdisk_cursor *c, struct bio *bio,
			    bool write, bool can_sleep)
{
	struct bvec_iter iter;
	struct bio_vec bv;
	int err = 0;

	bio_for_each_segment(bv, bio, iter) {
		void *buf = arc_bvec_map(&bv);

		if (write)
			err = ramdisk_store_write(c, buf, bv.bv_len, can_sleep);
		else
			ramdisk_store_read(c, buf, bv.bv_len);
		arc_bvec_unmap(buf);
		if (err)
			break;
	}
	return err;
}

/*
 * The most a DISCARD or WRITE_ZEROES frees where it cannot sleep: 1 MiB,
 * 256 pages, some tens of microseconds. A larger one (up to 4 GiB, a
 * million pages, in one request) is left to a caller that may sleep,
 * which frees it in batches with a rescheduling point between them.
 */
#define RAMDISK_ZERO_INLINE_SECTORS	(SZ_1M >> SECTOR_SHIFT)

/*
 * Serve one operation on @nr sectors at @pos: the bios of a request, or
 * one bio. -EAGAIN: not without sleeping (only when @can_sleep is false);
 * -ENOMEM: no page for a write; -EOPNOTSUPP: not an operation of a RAM
 * disk.
 */
static int ramdisk_serve(struct ramdisk *rd, enum arc_blk_op op, sector_t pos,
			 sector_t nr, struct bio *bios, bool can_sleep)
{
	bool write = op == ARC_BLK_WRITE;
	struct ramdisk_cursor c;
	struct bio *bio;
	int err = 0;

	switch (op) {
	case ARC_BLK_READ:
	case ARC_BLK_WRITE:
		/*
		 * Called to sleep only after a try that could not: counted
		 * (large discards always need it and are not).
		 */
		if (can_sleep)
			atomic_long_inc(&rd->deferred);
		/* FUA needs nothing more: a completed write is in RAM. */
		ramdisk_cursor_start(&c, &rd->store, pos);
		for (bio = bios; bio && !err; bio = bio->bi_next)
			err = ramdisk_copy_bio(&c, bio, write, can_sleep);
		ramdisk_cursor_end(&c);
		return err;
	case ARC_BLK_FLUSH:
		return 0;
	case ARC_BLK_DISCARD:
	case ARC_BLK_WRITE_ZEROES:
		if (!can_sleep && nr > RAMDISK_ZERO_INLINE_SECTORS)
			return -EAGAIN;
		ramdisk_store_zero(&rd->store, pos, nr, can_sleep);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static blk_status_t ramdisk_status(int err)
{
	switch (err) {
	case 0:
		return BLK_STS_OK;
	case -EAGAIN:
		return BLK_STS_AGAIN;
	case -EOPNOTSUPP:
		return BLK_STS_NOTSUPP;
	default:
		return BLK_STS_RESOURCE;
	}
}

/* A request served with @status: end it as the completion mode says. */
static enum arc_blk_result ramdisk_finish(struct ramdisk *rd,
					  struct request *rq,
					  blk_status_t status,
					  blk_status_t *out)
{
	struct ramdisk_rq *r = arc_blk_rq_data(rq);
	unsigned int every = rd->cfg->hold_every;

	/* Test only: keep this write until the block layer's timeout. */
	if (every && arc_blk_rq_op(rq) == ARC_BLK_WRITE &&
	    atomic_long_inc_return(&rd->served) % every == 0) {
		r->status = status;
		WRITE_ONCE(r->held, true);
		atomic_long_inc(&rd->held);
		return ARC_BLK_IN_FLIGHT;
	}
	switch (rd->cfg->completion) {
	case RAMDISK_COMPLETE_SOFTIRQ:
		arc_blk_complete(rq, status);
		return ARC_BLK_IN_FLIGHT;
	case RAMDISK_COMPLETE_TIMER:
		arc_blk_complete_after(rq, status, rd->cfg->completion_nsec);
		return ARC_BLK_IN_FLIGHT;
	default:
		*out = status;
		return ARC_BLK_DONE;
	}
}

static enum arc_blk_result ramdisk_handle(struct arc_blk_disk *disk,
					  struct request *rq, bool can_sleep,
					  blk_status_t *status)
{
	struct ramdisk *rd = arc_blk_disk_private(disk);
	int err;

	err = ramdisk_serve(rd, arc_blk_rq_op(rq), blk_rq_pos(rq),
			    blk_rq_sectors(rq), rq->bio, can_sleep);
	if (err == -EAGAIN && !can_sleep)
		return ARC_BLK_DEFER;	/* again, allowed to sleep */
	return ramdisk_finish(rd, rq, ramdisk_status(err), status);
}

/*
 * The block layer's timeout: a request held by hold_every was served
 * already; it ends now, with the status it was served with, and is
 * counted. Any other request is on its way (a timer, the worker).
 */
static enum arc_blk_timeout ramdisk_timeout(struct arc_blk_disk *disk,
					    struct request *rq,
					    blk_status_t *status)
{
	struct ramdisk *rd = arc_blk_disk_private(disk);
	struct ramdisk_rq *r = arc_blk_rq_data(rq);

	if (!READ_ONCE(r->held))
		return ARC_BLK_TIMEOUT_WAIT;
	WRITE_ONCE(r->held, false);
	atomic_long_inc(&rd->timeouts);
	*status = r->status;
	return ARC_BLK_TIMEOUT_END;
}

/*
 * queue_mode=bio: the whole bio, in the submitter's context. First
 * without sleeping, like a request; what needs more is done again by a
 * submitter that may sleep, and refused with BLK_STS_AGAIN to one that
 * may not (REQ_NOWAIT: it retries where it can block).
 */
static blk_status_t ramdisk_handle_bio(struct arc_blk_disk *disk,
				       struct bio *bio, bool can_sleep)
{
	struct ramdisk *rd = arc_blk_disk_private(disk);
	sector_t pos = bio->bi_iter.bi_sector, nr = bio_sectors(bio);
	enum arc_blk_op op = arc_blk_bio_op(bio);
	int err;

	/* A submitted bio is alone: its bi_next is NULL. */
	err = ramdisk_serve(rd, op, pos, nr, bio, false);
	if (err == -EAGAIN && can_sleep)
		err = ramdisk_serve(rd, op, pos, nr, bio, true);
	return ramdisk_status(err);
}

static const struct arc_blk_ops ramdisk_ops = {
	.handle = ramdisk_handle,
	.timeout = ramdisk_timeout,
	.handle_bio = ramdisk_handle_bio,
};

/* Only .owner: an open disk pins this module. */
static const struct block_device_operations ramdisk_fops = {
	.owner = THIS_MODULE,
};

/* queue_mode=bio: this module, and arc's submit_bio. */
static const struct block_device_operations ramdisk_bio_fops = ARC_BLK_BIO_FOPS;

static struct ramdisk *dev_to_ramdisk(struct device *dev)
{
	return arc_blk_disk_private(arc_blk_disk_from_dev(dev));
}

static ssize_t pages_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lu\n",
			  ramdisk_store_pages(&dev_to_ramdisk(dev)->store));
}
static DEVICE_ATTR_RO(pages);

static ssize_t mem_used_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	unsigned long pages = ramdisk_store_pages(&dev_to_ramdisk(dev)->store);

	return sysfs_emit(buf, "%llu\n", (unsigned long long)pages << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(mem_used_bytes);

static ssize_t deferred_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n",
			  atomic_long_read(&dev_to_ramdisk(dev)->deferred));
}
static DEVICE_ATTR_RO(deferred);

static ssize_t timeouts_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n",
			  atomic_long_read(&dev_to_ramdisk(dev)->timeouts));
}
static DEVICE_ATTR_RO(timeouts);

static ssize_t held_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%ld\n",
			  atomic_long_read(&dev_to_ramdisk(dev)->held));
}
static DEVICE_ATTR_RO(held);

static struct attribute *ramdisk_attrs[] = {
	&dev_attr_pages.attr,
	&dev_attr_mem_used_bytes.attr,
	&dev_attr_deferred.attr,
	&dev_attr_timeouts.attr,
	&dev_attr_held.attr,
	NULL,
};

static const struct attribute_group ramdisk_group = {
	.name = "ramdisk",
	.attrs = ramdisk_attrs,
};

static const struct attribute_group *ramdisk_groups[] = {
	&ramdisk_group,
	NULL,
};

/**
 * ramdisk_create() - create /dev/arcram@index
 * @index: device number
 * @cfg: validated module configuration
 *
 * Return: the new RAM disk or an ERR_PTR.
 */
struct ramdisk *ramdisk_create(unsigned int index,
			       const struct ramdisk_config *cfg)
{
	struct arc_blk_disk_desc desc = {
		.fops = cfg->bio ? &ramdisk_bio_fops : &ramdisk_fops,
		.ops = &ramdisk_ops,
		.mode = cfg->bio ? ARC_BLK_BIO : ARC_BLK_MQ,
		.cmd_size = sizeof(struct ramdisk_rq),
		.groups = ramdisk_groups,
		.capacity = (sector_t)cfg->size_mb << (20 - SECTOR_SHIFT),
		.logical_block_size = SECTOR_SIZE,
		.physical_block_size = PAGE_SIZE,
		.nr_hw_queues = cfg->hw_queues,
		.queue_depth = cfg->queue_depth,
		/* 1 MiB requests, page aligned: one per 1 MiB I/O. */
		.max_sectors = SZ_1M >> SECTOR_SHIFT,
		.max_segments = 512,
		.max_discard_sectors = UINT_MAX >> SECTOR_SHIFT,
		.max_write_zeroes_sectors = UINT_MAX >> SECTOR_SHIFT,
		.write_cache = true,
		.fua = true,
		/* No seeks to sort or merge for: like brd, no scheduler. */
		.no_scheduler = true,
		.partitions = true,
		.iostats = cfg->iostats,
		.numa_node = NUMA_NO_NODE,
	};
	struct ramdisk *rd;
	char name[16];

	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return ERR_PTR(-ENOMEM);
	ramdisk_store_init(&rd->store, cfg->reserve_pages, cfg->alloc_nowait,
			   cfg->sleep_ms);

	rd->cfg = cfg;
	snprintf(name, sizeof(name), "arcram%u", index);
	desc.name = name;
	desc.private = rd;
	rd->disk = arc_blk_disk_create(&desc);
	if (IS_ERR(rd->disk)) {
		long err = PTR_ERR(rd->disk);

		kfree(rd);
		return ERR_PTR(err);
	}
	return rd;
}

/**
 * ramdisk_destroy() - remove a RAM disk and free its memory
 * @rd: the disk
 */
void ramdisk_destroy(struct ramdisk *rd)
{
	arc_blk_disk_destroy(rd->disk);
	ramdisk_store_destroy(&rd->store);
	kfree(rd);
}
