// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_BLOCK: a blk-mq disk from one description (include/arc/block.h).
 *
 * Every arc disk has its own tag set. Its block_device_operations come
 * from the owning module, so that opening the disk pins that module (not
 * arc.ko): rmmod of a mounted RAM disk is refused by the module loader.
 *
 * The queue is not a blocking one: ->queue_rq() serves a request on the
 * submitting CPU under the block layer's RCU read lock, and only what the
 * owner cannot do without sleeping goes to the disk's workqueue.
 */
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <arc/block.h>
#include <compat/blk.h>

/* Workqueue names are cut at 23 characters (WQ_NAME_LEN is private). */
#define ARC_BLK_WQ_NAME_LEN	24

struct arc_blk_disk {
	struct arc_blk_disk_desc desc;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct workqueue_struct *wq;
};

/* Per-request data: the work item that serves it in process context. */
struct arc_blk_cmd {
	struct work_struct work;
};

static void arc_blk_work(struct work_struct *work)
{
	struct arc_blk_cmd *cmd = container_of(work, struct arc_blk_cmd, work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct arc_blk_disk *d = rq->q->queuedata;
	blk_status_t status;

	/* The handler is promised it may sleep here: check that it can. */
	arc_might_sleep();
	status = d->desc.ops->handle(d, rq, true);
	if (status == BLK_STS_AGAIN)
		status = BLK_STS_IOERR;
	blk_mq_end_request(rq, status);
}

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
		status = d->desc.ops->handle(d, rq, false);
	if (status == BLK_STS_AGAIN) {
		struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

		/* Ended by arc_blk_work(); del_gendisk() waits for it. */
		INIT_WORK(&cmd->work, arc_blk_work);
		queue_work(d->wq, &cmd->work);
		return BLK_STS_OK;
	}
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
	if (d->max_sectors &&
	    (d->max_sectors < PAGE_SIZE >> SECTOR_SHIFT ||
	     d->max_sectors & ((d->logical_block_size >> SECTOR_SHIFT) - 1))) {
		arc_err("%s: max_sectors %u: must be 0 or a multiple of the logical block size of at least %lu\n",
			name, d->max_sectors, PAGE_SIZE >> SECTOR_SHIFT);
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
	char wq_name[ARC_BLK_WQ_NAME_LEN];
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

	/*
	 * In the I/O path, so it must make progress under memory pressure.
	 * Unbound: nothing here wants the submitting CPU, and 7.2 warns
	 * about a workqueue that says neither WQ_UNBOUND nor WQ_PERCPU
	 * (which older kernels lack).
	 */
	snprintf(wq_name, sizeof(wq_name), "arc_blk/%s", desc->name);
	d->wq = alloc_workqueue("%s", WQ_UNBOUND | WQ_MEM_RECLAIM, 0, wq_name);
	if (!d->wq) {
		err = -ENOMEM;
		arc_err("%s: cannot allocate workqueue\n", desc->name);
		goto err_free;
	}

	d->tag_set.ops = &arc_blk_mq_ops;
	d->tag_set.nr_hw_queues = desc->nr_hw_queues;
	d->tag_set.queue_depth = desc->queue_depth;
	d->tag_set.numa_node = desc->numa_node;
	d->tag_set.flags = arc_compat_tag_set_flags(desc);
	d->tag_set.cmd_size = sizeof(struct arc_blk_cmd);
	d->tag_set.driver_data = d;
	err = blk_mq_alloc_tag_set(&d->tag_set);
	if (err) {
		arc_err("%s: cannot allocate tag set: %d\n", desc->name, err);
		goto err_wq;
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
err_wq:
	destroy_workqueue(d->wq);
err_free:
	kfree(d);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_ARC(arc_blk_disk_create, ARC_BLOCK);

void arc_blk_disk_destroy(struct arc_blk_disk *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	/* Waits for every request, deferred ones included. */
	del_gendisk(d->disk);
	arc_compat_put_disk(d->disk);
	blk_mq_free_tag_set(&d->tag_set);
	destroy_workqueue(d->wq);
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
