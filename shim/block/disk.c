// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_BLOCK: a disk from one description (include/arc/block.h), blk-mq
 * or bio-based.
 *
 * Every blk-mq arc disk has its own tag set. Its block_device_operations
 * come from the owning module, so that opening the disk pins that module
 * (not arc_block.ko): rmmod of a mounted RAM disk is refused by the
 * module loader. A bio-based disk's are ARC_BLK_BIO_FOPS, the owner's
 * module and arc_blk_submit_bio() below.
 *
 * The blk-mq queue is not a blocking one: ->queue_rq() serves a request
 * on the submitting CPU under the block layer's RCU read lock, and only
 * what the owner cannot do without sleeping goes to the disk's
 * workqueue. Requests the owner takes complete through
 * blk_mq_complete_request() and ->complete.
 */
#include <linux/hrtimer.h>
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
	atomic_t timeouts_logged;
};

/* Where a started blk-mq request is, for the timeout handler. */
enum arc_blk_where {
	ARC_BLK_AT_OWNER,	/* the owner's handler, or held by the owner */
	ARC_BLK_AT_WORKER,	/* queued for, or in, the worker */
	ARC_BLK_AT_TIMER,	/* on arc's completion timer */
};

/*
 * Per-request data: arc's, then the owner's (arc_blk_rq_data()).
 * @work: serves the request in process context (ARC_BLK_DEFER)
 * @timer: arc_blk_complete_after()
 * @status: how the request ends, for ->complete
 * @where: an enum arc_blk_where
 */
struct arc_blk_cmd {
	struct work_struct work;
	struct hrtimer timer;
	blk_status_t status;
	u8 where;
};

#define ARC_BLK_CMD_SIZE	ALIGN(sizeof(struct arc_blk_cmd), sizeof(void *))

void *arc_blk_rq_data(struct request *rq)
{
	return (char *)blk_mq_rq_to_pdu(rq) + ARC_BLK_CMD_SIZE;
}
EXPORT_SYMBOL_ARC(arc_blk_rq_data, ARC_BLOCK);

void arc_blk_complete(struct request *rq, blk_status_t status)
{
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	cmd->status = status;
	blk_mq_complete_request(rq);
}
EXPORT_SYMBOL_ARC(arc_blk_complete, ARC_BLOCK);

static enum hrtimer_restart arc_blk_timer_fn(struct hrtimer *timer)
{
	struct arc_blk_cmd *cmd = container_of(timer, struct arc_blk_cmd, timer);

	blk_mq_complete_request(blk_mq_rq_from_pdu(cmd));
	return HRTIMER_NORESTART;
}

void arc_blk_complete_after(struct request *rq, blk_status_t status, u64 nsec)
{
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	if (!nsec) {
		arc_blk_complete(rq, status);
		return;
	}
	cmd->status = status;
	WRITE_ONCE(cmd->where, ARC_BLK_AT_TIMER);
	/* Not armed: the request's last use ended when its timer fired. */
	arc_compat_hrtimer_setup(&cmd->timer, arc_blk_timer_fn);
	hrtimer_start(&cmd->timer, ns_to_ktime(nsec), HRTIMER_MODE_REL);
}
EXPORT_SYMBOL_ARC(arc_blk_complete_after, ARC_BLOCK);

/* ->complete: on the submitting CPU, after blk_mq_complete_request(). */
static void arc_blk_complete_rq(struct request *rq)
{
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, cmd->status);
}

static void arc_blk_work(struct work_struct *work);

/* What the handler said: end the request, defer it, or leave it. */
static void arc_blk_dispose(struct arc_blk_disk *d, struct request *rq,
			    enum arc_blk_result res, blk_status_t status,
			    bool can_sleep)
{
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	switch (res) {
	case ARC_BLK_IN_FLIGHT:
		return;
	case ARC_BLK_DEFER:
		if (!can_sleep) {
			/* Ended by arc_blk_work(); del_gendisk() waits for it. */
			WRITE_ONCE(cmd->where, ARC_BLK_AT_WORKER);
			INIT_WORK(&cmd->work, arc_blk_work);
			queue_work(d->wq, &cmd->work);
			return;
		}
		arc_err("%s: the handler deferred a request from the worker: I/O error\n",
			d->disk->disk_name);
		status = BLK_STS_IOERR;
		break;
	case ARC_BLK_DONE:
		break;
	default:
		status = BLK_STS_IOERR;
		break;
	}
	blk_mq_end_request(rq, status);
}

static void arc_blk_work(struct work_struct *work)
{
	struct arc_blk_cmd *cmd = container_of(work, struct arc_blk_cmd, work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct arc_blk_disk *d = rq->q->queuedata;
	blk_status_t status = BLK_STS_IOERR;
	enum arc_blk_result res;

	/* The handler is promised it may sleep here: check that it can. */
	arc_might_sleep();
	WRITE_ONCE(cmd->where, ARC_BLK_AT_OWNER);
	res = d->desc.ops->handle(d, rq, true, &status);
	arc_blk_dispose(d, rq, res, status, true);
}

static blk_status_t arc_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				     const struct blk_mq_queue_data *bd)
{
	struct arc_blk_disk *d = hctx->queue->queuedata;
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(bd->rq);
	struct request *rq = bd->rq;
	blk_status_t status = BLK_STS_IOERR;
	enum arc_blk_result res;

	blk_mq_start_request(rq);
	/*
	 * The block layer already stops I/O past the end of the disk; this
	 * keeps a handler from ever seeing such a request whatever path
	 * it took (e.g. a capacity change racing with submission). A FLUSH
	 * has no sectors and no meaningful position (it is (sector_t)-1).
	 */
	if (blk_rq_sectors(rq) &&
	    (blk_rq_pos(rq) >= get_capacity(d->disk) ||
	     blk_rq_sectors(rq) > get_capacity(d->disk) - blk_rq_pos(rq))) {
		blk_mq_end_request(rq, BLK_STS_IOERR);
		return BLK_STS_OK;
	}
	WRITE_ONCE(cmd->where, ARC_BLK_AT_OWNER);
	res = d->desc.ops->handle(d, rq, false, &status);
	arc_blk_dispose(d, rq, res, status, false);
	return BLK_STS_OK;
}

/*
 * A started request has not ended within the queue's timeout. Only one
 * the owner holds is the owner's business: one on arc's timer or in the
 * worker will end by itself.
 */
enum blk_eh_timer_return arc_blk_timeout(struct request *rq)
{
	struct arc_blk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct arc_blk_disk *d = rq->q->queuedata;
	blk_status_t status = BLK_STS_TIMEOUT;

	if (READ_ONCE(cmd->where) != ARC_BLK_AT_OWNER)
		return BLK_EH_RESET_TIMER;
	if (!d->desc.ops->timeout) {
		if (atomic_inc_return(&d->timeouts_logged) == 1)
			arc_warn("%s: a request timed out (sector %llu, %u bytes); waiting for it (no timeout handler)\n",
				 d->disk->disk_name,
				 (unsigned long long)blk_rq_pos(rq),
				 blk_rq_bytes(rq));
		return BLK_EH_RESET_TIMER;
	}
	if (d->desc.ops->timeout(d, rq, &status) == ARC_BLK_TIMEOUT_WAIT)
		return BLK_EH_RESET_TIMER;
	arc_blk_complete(rq, status);
	return BLK_EH_DONE;
}

static const struct blk_mq_ops arc_blk_mq_ops = {
	.queue_rq = arc_blk_queue_rq,
	.complete = arc_blk_complete_rq,
	.timeout = arc_compat_timeout,
};

/*
 * A bio-based disk's submit_bio (ARC_BLK_BIO_FOPS, through
 * arc_blk_submit_bio() in compat/blk.c): the owner serves the bio whole,
 * in the submitter's context, and arc ends it.
 */
void arc_blk_serve_bio(struct bio *bio)
{
	struct gendisk *disk = arc_compat_bio_disk(bio);
	struct arc_blk_disk *d = disk->private_data;
	sector_t cap = get_capacity(disk), pos = bio->bi_iter.bi_sector;
	struct arc_compat_bio_acct acct;

	/* As for requests: never a bio past the end (a FLUSH has none). */
	if (bio_sectors(bio) &&
	    (pos >= cap || bio_sectors(bio) > cap - pos)) {
		bio_io_error(bio);
		return;
	}
	arc_compat_bio_acct_start(disk, bio, &acct);
	bio->bi_status = d->desc.ops->handle_bio(d, bio,
						 !(bio->bi_opf & REQ_NOWAIT));
	arc_compat_bio_acct_end(bio, &acct);
	bio_endio(bio);
}

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
	if (d->mode != ARC_BLK_MQ && d->mode != ARC_BLK_BIO) {
		arc_err("%s: unknown mode %d\n", name, d->mode);
		return -EINVAL;
	}
	if (d->mode == ARC_BLK_MQ && (!d->fops || d->fops->submit_bio)) {
		arc_err("%s: block_device_operations must be given, with only .owner set\n",
			name);
		return -EINVAL;
	}
	if (d->mode == ARC_BLK_BIO &&
	    (!d->fops || d->fops->submit_bio != arc_blk_submit_bio)) {
		arc_err("%s: a bio-based disk's block_device_operations must be ARC_BLK_BIO_FOPS\n",
			name);
		return -EINVAL;
	}
	if (!d->ops || (d->mode == ARC_BLK_MQ ? !d->ops->handle : !d->ops->handle_bio)) {
		arc_err("%s: no %s handler\n", name,
			d->mode == ARC_BLK_MQ ? "request" : "bio");
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
	/* The rest describes a blk-mq queue. */
	if (d->mode == ARC_BLK_BIO)
		goto common;
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
	if (d->cmd_size > PAGE_SIZE) {
		arc_err("%s: %u bytes of request data: at most %lu\n", name,
			d->cmd_size, PAGE_SIZE);
		return -EINVAL;
	}
common:
	if (d->fua && !d->write_cache) {
		arc_err("%s: FUA needs a write cache\n", name);
		return -EINVAL;
	}
	return 0;
}

/* A blk-mq disk's worker and tag set. */
static int arc_blk_mq_setup(struct arc_blk_disk *d)
{
	const struct arc_blk_disk_desc *desc = &d->desc;
	char wq_name[ARC_BLK_WQ_NAME_LEN];
	int err;

	/*
	 * In the I/O path, so it must make progress under memory pressure.
	 * Unbound: nothing here wants the submitting CPU, and 7.2 warns
	 * about a workqueue that says neither WQ_UNBOUND nor WQ_PERCPU
	 * (which older kernels lack).
	 */
	snprintf(wq_name, sizeof(wq_name), "arc_blk/%s", desc->name);
	d->wq = alloc_workqueue("%s", WQ_UNBOUND | WQ_MEM_RECLAIM, 0, wq_name);
	if (!d->wq) {
		arc_err("%s: cannot allocate workqueue\n", desc->name);
		return -ENOMEM;
	}

	d->tag_set.ops = &arc_blk_mq_ops;
	d->tag_set.nr_hw_queues = desc->nr_hw_queues;
	d->tag_set.queue_depth = desc->queue_depth;
	d->tag_set.numa_node = desc->numa_node;
	d->tag_set.flags = arc_compat_tag_set_flags(desc);
	d->tag_set.cmd_size = ARC_BLK_CMD_SIZE + desc->cmd_size;
	d->tag_set.timeout = msecs_to_jiffies(desc->timeout_ms);
	d->tag_set.driver_data = d;
	err = blk_mq_alloc_tag_set(&d->tag_set);
	if (err) {
		arc_err("%s: cannot allocate tag set: %d\n", desc->name, err);
		destroy_workqueue(d->wq);
	}
	return err;
}

static void arc_blk_mq_teardown(struct arc_blk_disk *d)
{
	blk_mq_free_tag_set(&d->tag_set);
	destroy_workqueue(d->wq);
}

struct arc_blk_disk *arc_blk_disk_create(const struct arc_blk_disk_desc *desc)
{
	bool mq = desc->mode == ARC_BLK_MQ;
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

	if (mq) {
		err = arc_blk_mq_setup(d);
		if (err)
			goto err_free;
	}
	disk = arc_compat_alloc_disk(mq ? &d->tag_set : NULL, &d->desc, d);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		arc_err("%s: cannot allocate disk: %d\n", desc->name, err);
		goto err_mq;
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
err_mq:
	if (mq)
		arc_blk_mq_teardown(d);
err_free:
	kfree(d);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_ARC(arc_blk_disk_create, ARC_BLOCK);

void arc_blk_disk_destroy(struct arc_blk_disk *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	/*
	 * Waits for every request (deferred ones, those the owner holds and
	 * those on arc's timer included) and every bio.
	 */
	del_gendisk(d->disk);
	arc_compat_put_disk(d->disk);
	if (d->desc.mode == ARC_BLK_MQ)
		arc_blk_mq_teardown(d);
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
