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

static blk_status_t ramdisk_rw(struct ramdisk *rd, struct request *rq,
			       bool can_sleep)
{
	bool write = op_is_write(req_op(rq));
	struct ramdisk_cursor c;
	struct req_iterator iter;
	struct bio_vec bv;
	int err = 0;

	ramdisk_cursor_start(&c, &rd->store, blk_rq_pos(rq));
	rq_for_each_segment(bv, rq, iter) {
		void *buf = arc_bvec_map(&bv);

		if (write)
			err = ramdisk_store_write(&c, buf, bv.bv_len, can_sleep);
		else
			ramdisk_store_read(&c, buf, bv.bv_len);
		arc_bvec_unmap(buf);
		if (err)
			break;
	}
	ramdisk_cursor_end(&c);
	if (err == -EAGAIN)
		return BLK_STS_AGAIN;	/* again, allowed to sleep */
	if (err)
		return BLK_STS_RESOURCE;
	return BLK_STS_OK;
}

/*
 * The most a DISCARD or WRITE_ZEROES frees on the submitting CPU: 1 MiB,
 * 256 pages, some tens of microseconds. A larger one (up to 4 GiB, a
 * million pages, in one request) goes to the worker, which frees it in
 * batches with a rescheduling point between them.
 */
#define RAMDISK_ZERO_INLINE_SECTORS	(SZ_1M >> SECTOR_SHIFT)

static blk_status_t ramdisk_handle(struct arc_blk_disk *disk,
				   struct request *rq, bool can_sleep)
{
	struct ramdisk *rd = arc_blk_disk_private(disk);

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		if (can_sleep)
			atomic_long_inc(&rd->deferred);
		/* FUA needs nothing more: a completed write is in RAM. */
		return ramdisk_rw(rd, rq, can_sleep);
	case REQ_OP_FLUSH:
		return BLK_STS_OK;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		if (!can_sleep &&
		    blk_rq_sectors(rq) > RAMDISK_ZERO_INLINE_SECTORS)
			return BLK_STS_AGAIN;
		ramdisk_store_zero(&rd->store, blk_rq_pos(rq),
				   blk_rq_sectors(rq), can_sleep);
		return BLK_STS_OK;
	default:
		return BLK_STS_NOTSUPP;
	}
}

static const struct arc_blk_ops ramdisk_ops = {
	.handle = ramdisk_handle,
};

/* Only .owner: an open disk pins this module. */
static const struct block_device_operations ramdisk_fops = {
	.owner = THIS_MODULE,
};

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

static struct attribute *ramdisk_attrs[] = {
	&dev_attr_pages.attr,
	&dev_attr_mem_used_bytes.attr,
	&dev_attr_deferred.attr,
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
		.fops = &ramdisk_fops,
		.ops = &ramdisk_ops,
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
