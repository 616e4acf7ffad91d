// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_BLOCK: a blk-mq disk from one description (include/arc/block.h).
 *
 * Every arc disk has its own tag set. Its block_device_operations come
 * from the owning module, so that opening the disk pins that module (not
 * arc.ko): rmmod of a mounted RAM disk is refused by the module loader.
 */
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <arc/block.h>
#include <compat/blk.h>

struct arc_blk_disk {
	struct arc_blk_disk_desc desc;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

static blk_status_t arc_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				     const struct blk_mq_queue_data *bd)
{
	struct arc_blk_disk *d = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	blk_status_t status;

	blk_mq_start_request(rq);
	/*
	 * The block layer already stops I/O past the end of the disk; this
	 * keeps a handler from ever seeing such a request whatever path
	 * it took (e.g. a capacity change racing with submission). A FLUSH
	 * has no sectors and no meaningful position (it is (sector_t)-1).
	 */
	if (blk_rq_sectors(rq) &&
	    (blk_rq_pos(rq) >= get_capacity(d->disk) ||
	     blk_rq_sectors(rq) > get_capacity(d->disk) - blk_rq_pos(rq)))
		status = BLK_STS_IOERR;
	else
		status = d->desc.ops->handle(d, rq);
	blk_mq_end_request(rq, status);
	return BLK_STS_OK;
}

static const struct blk_mq_ops arc_blk_mq_ops = {
	.queue_rq = arc_blk_queue_rq,
};

static bool pow2_between(unsigned int v, unsigned int lo, unsigned int hi)
{
	return is_power_of_2(v) && v >= lo && v <= hi;
}

static int arc_blk_desc_check(const struct arc_blk_disk_desc *d)
{
	const char *name = d->name ? d->name : "(null)";

	if (!d->name || !*d->name || strlen(d->name) >= DISK_NAME_LEN) {
		arc_err("disk name '%s': must be 1 to %d characters\n", name,
			DISK_NAME_LEN - 1);
		return -EINVAL;
	}
	if (!d->fops || d->fops->submit_bio) {
		arc_err("%s: block_device_operations must be given, with only .owner set\n",
			name);
		return -EINVAL;
	}
	if (!d->ops || !d->ops->handle) {
		arc_err("%s: no request handler\n", name);
		return -EINVAL;
	}
	if (!pow2_between(d->logical_block_size, SECTOR_SIZE, PAGE_SIZE)) {
		arc_err("%s: logical block size %u: must be a power of two from %u to %lu\n",
			name, d->logical_block_size, SECTOR_SIZE, PAGE_SIZE);
		return -EINVAL;
	}
	if (d->physical_block_size &&
	    !pow2_between(d->physical_block_size, d->logical_block_size,
			  PAGE_SIZE)) {
		arc_err("%s: physical block size %u: must be a power of two from %u to %lu\n",
			name, d->physical_block_size, d->logical_block_size,
			PAGE_SIZE);
		return -EINVAL;
	}
	if (!d->capacity ||
	    d->capacity & ((d->logical_block_size >> SECTOR_SHIFT) - 1)) {
		arc_err("%s: capacity %llu sectors: must be a non-zero multiple of the logical block size\n",
			name, (unsigned long long)d->capacity);
		return -EINVAL;
	}
	if (!d->nr_hw_queues || d->nr_hw_queues > nr_cpu_ids) {
		arc_err("%s: %u hardware queues: must be 1 to %u\n", name,
			d->nr_hw_queues, nr_cpu_ids);
		return -EINVAL;
	}
	if (!d->queue_depth || d->queue_depth > BLK_MQ_MAX_DEPTH) {
		arc_err("%s: queue depth %u: must be 1 to %u\n", name,
			d->queue_depth, BLK_MQ_MAX_DEPTH);
		return -EINVAL;
	}
	if (d->fua && !d->write_cache) {
		arc_err("%s: FUA needs a write cache\n", name);
		return -EINVAL;
	}
	return 0;
}

struct arc_blk_disk *arc_blk_disk_create(const struct arc_blk_disk_desc *desc)
{
	struct arc_blk_disk *d;
	struct gendisk *disk;
	int err;

	err = arc_blk_desc_check(desc);
	if (err)
		return ERR_PTR(err);

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->desc = *desc;
	if (!d->desc.physical_block_size)
		d->desc.physical_block_size = d->desc.logical_block_size;

	d->tag_set.ops = &arc_blk_mq_ops;
	d->tag_set.nr_hw_queues = desc->nr_hw_queues;
	d->tag_set.queue_depth = desc->queue_depth;
	d->tag_set.numa_node = desc->numa_node;
	d->tag_set.flags = arc_compat_tag_set_flags();
	d->tag_set.driver_data = d;
	err = blk_mq_alloc_tag_set(&d->tag_set);
	if (err) {
		arc_err("%s: cannot allocate tag set: %d\n", desc->name, err);
		goto err_free;
	}

	disk = arc_compat_alloc_disk(&d->tag_set, &d->desc, d);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		arc_err("%s: cannot allocate disk: %d\n", desc->name, err);
		goto err_tag_set;
	}
	d->disk = disk;
	disk->fops = desc->fops;
	disk->private_data = d;
	strscpy(disk->disk_name, desc->name, DISK_NAME_LEN);
	set_capacity(disk, desc->capacity);

	err = arc_compat_add_disk(disk, desc->groups);
	if (err) {
		arc_err("%s: cannot add disk: %d\n", desc->name, err);
		goto err_disk;
	}
	return d;

err_disk:
	arc_compat_put_disk(disk);
err_tag_set:
	blk_mq_free_tag_set(&d->tag_set);
err_free:
	kfree(d);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_ARC(arc_blk_disk_create, ARC_BLOCK);

void arc_blk_disk_destroy(struct arc_blk_disk *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	del_gendisk(d->disk);
	arc_compat_put_disk(d->disk);
	blk_mq_free_tag_set(&d->tag_set);
	kfree(d);
}
EXPORT_SYMBOL_ARC(arc_blk_disk_destroy, ARC_BLOCK);

void *arc_blk_disk_private(const struct arc_blk_disk *d)
{
	return d->desc.private;
}
EXPORT_SYMBOL_ARC(arc_blk_disk_private, ARC_BLOCK);

const char *arc_blk_disk_name(const struct arc_blk_disk *d)
{
	return d->disk->disk_name;
}
EXPORT_SYMBOL_ARC(arc_blk_disk_name, ARC_BLOCK);

sector_t arc_blk_disk_capacity(const struct arc_blk_disk *d)
{
	return get_capacity(d->disk);
}
EXPORT_SYMBOL_ARC(arc_blk_disk_capacity, ARC_BLOCK);

struct arc_blk_disk *arc_blk_disk_from_dev(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}
EXPORT_SYMBOL_ARC(arc_blk_disk_from_dev, ARC_BLOCK);
