// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_USB: the streaming reader (include/arc/usb.h).
 *
 * Every URB is either in flight (anchored), parked (its completion saw a
 * transient error or a halt and left it for a work item to submit
 * again), or idle (the stream is stopped). @lock orders the completion
 * handlers against stop: a completion submits again only while @running
 * is set, and stop clears it under the lock before it kills what is
 * anchored, so nothing it does not kill can be submitted after it.
 */
#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/workqueue.h>

#include <arc/usb.h>

struct arc_usb_stream {
	struct usb_interface *intf;
	struct usb_device *udev;
	unsigned int pipe;
	unsigned int nr_urbs;
	unsigned int buf_len;
	unsigned int max_retries;
	const struct arc_usb_stream_ops *ops;
	void *ctx;

	struct usb_anchor anchor;
	/* Protects everything below, and the submissions of completions. */
	spinlock_t lock;
	bool running;
	bool halted;
	unsigned int errors_in_row;
	int last_err;
	unsigned long parked[BITS_TO_LONGS(ARC_USB_MAX_URBS)];
	struct arc_usb_stream_stats stats;

	struct delayed_work retry_work;
	struct work_struct halt_work;
	struct work_struct fail_work;
	struct arc_usb_slot {
		struct arc_usb_stream *s;
		unsigned int index;
		struct urb *urb;
	} slots[];
};

/* Submit @urb while running; caller holds @s->lock. */
static int arc_usb_submit_locked(struct arc_usb_stream *s, struct urb *urb)
{
	int err;

	usb_anchor_urb(urb, &s->anchor);
	err = usb_submit_urb(urb, GFP_ATOMIC);
	if (err)
		usb_unanchor_urb(urb);
	return err;
}

/*
 * Give up: stop from process context and tell the driver (fail_work).
 * A resubmit refused because the device is going or gone (-ENODEV,
 * -ESHUTDOWN: disconnect disables the endpoints first) is no failure:
 * the stream just stops taking data, and disconnect stops it for good.
 */
static void arc_usb_fail_locked(struct arc_usb_stream *s, int err)
{
	if (!s->running)
		return;
	s->running = false;
	if (err == -ENODEV || err == -ESHUTDOWN) {
		dev_dbg(&s->intf->dev, "endpoint 0x%02x: the device went away (%d)\n",
			usb_pipeendpoint(s->pipe) | USB_DIR_IN, err);
		return;
	}
	s->last_err = err;
	s->stats.failures++;
	schedule_work(&s->fail_work);
}

static void arc_usb_park_locked(struct arc_usb_stream *s, struct urb *urb)
{
	const struct arc_usb_slot *slot = urb->context;

	set_bit(slot->index, s->parked);
}

static void arc_usb_count_error(struct arc_usb_stream *s, int status)
{
	switch (status) {
	case -EPROTO:
		s->stats.err_proto++;
		break;
	case -EILSEQ:
		s->stats.err_ilseq++;
		break;
	case -ETIME:
		s->stats.err_time++;
		break;
	case -EOVERFLOW:
		s->stats.err_overflow++;
		break;
	default:
		s->stats.err_other++;
		break;
	}
}

static void arc_usb_complete(struct urb *urb)
{
	const struct arc_usb_slot *slot = urb->context;
	struct arc_usb_stream *s = slot->s;
	int status = urb->status;
	unsigned long flags;
	unsigned int delay;
	int err;

	switch (status) {
	case 0:
		break;
	case -ENOENT:		/* killed: stop, or a halt being cleared */
	case -ECONNRESET:	/* unlinked */
		spin_lock_irqsave(&s->lock, flags);
		if (s->running && s->halted)
			arc_usb_park_locked(s, urb);
		goto out;
	case -ESHUTDOWN:	/* the device or its controller went away */
	case -ENODEV:
		return;
	default:
		spin_lock_irqsave(&s->lock, flags);
		if (!s->running)
			goto out;
		arc_usb_park_locked(s, urb);
		if (status == -EPIPE) {
			s->stats.halts++;
			if (!s->halted) {
				s->halted = true;
				schedule_work(&s->halt_work);
			}
			goto out;
		}
		arc_usb_count_error(s, status);
		if (++s->errors_in_row > s->max_retries) {
			arc_usb_fail_locked(s, status);
			goto out;
		}
		s->stats.retries++;
		delay = min_t(unsigned int, ARC_USB_RETRY_MAX_MS,
			      ARC_USB_RETRY_MIN_MS << min(s->errors_in_row - 1, 7U));
		/* One pending retry serves every parked URB. */
		if (!delayed_work_pending(&s->retry_work))
			schedule_delayed_work(&s->retry_work, msecs_to_jiffies(delay));
		goto out;
	}

	s->ops->data(s->ctx, urb->transfer_buffer, urb->actual_length);

	spin_lock_irqsave(&s->lock, flags);
	s->stats.transfers++;
	s->stats.bytes += urb->actual_length;
	s->errors_in_row = 0;
	if (!s->running)
		goto out;
	if (s->halted) {
		/* Off the endpoint until its halt is cleared. */
		arc_usb_park_locked(s, urb);
		goto out;
	}
	err = arc_usb_submit_locked(s, urb);
	if (err)
		arc_usb_fail_locked(s, err);
	else
		s->stats.resubmits++;
out:
	spin_unlock_irqrestore(&s->lock, flags);
}

/* Submit every parked URB again, unless the stream stopped meanwhile. */
static void arc_usb_resubmit_parked(struct arc_usb_stream *s)
{
	unsigned long flags;
	unsigned int i;
	int err;

	spin_lock_irqsave(&s->lock, flags);
	for_each_set_bit(i, s->parked, s->nr_urbs) {
		if (!s->running || s->halted)
			break;
		clear_bit(i, s->parked);
		err = arc_usb_submit_locked(s, s->slots[i].urb);
		if (err) {
			arc_usb_fail_locked(s, err);
			break;
		}
		s->stats.resubmits++;
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static void arc_usb_retry_work(struct work_struct *work)
{
	struct arc_usb_stream *s = container_of(to_delayed_work(work),
						struct arc_usb_stream, retry_work);

	arc_usb_resubmit_parked(s);
}

static void arc_usb_halt_work(struct work_struct *work)
{
	struct arc_usb_stream *s = container_of(work, struct arc_usb_stream,
						halt_work);
	unsigned long flags;
	int err;

	/*
	 * Every URB must be off the endpoint before its halt is cleared
	 * (the data toggle restarts). The others complete with the halt's
	 * error or with data meanwhile, and are parked; what is still in
	 * flight after a moment is killed, and parked too.
	 */
	if (!usb_wait_anchor_empty_timeout(&s->anchor, 100))
		usb_kill_anchored_urbs(&s->anchor);
	err = usb_clear_halt(s->udev, s->pipe);
	spin_lock_irqsave(&s->lock, flags);
	s->halted = false;
	if (err) {
		dev_err(&s->intf->dev, "cannot clear the halt of endpoint 0x%02x: %d\n",
			usb_pipeendpoint(s->pipe) | USB_DIR_IN, err);
		arc_usb_fail_locked(s, err);
	} else {
		s->stats.halts_cleared++;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (!err)
		arc_usb_resubmit_parked(s);
}

/*
 * Kill every URB and wait for every completion, with @s->running clear.
 * usb_kill_anchored_urbs() takes what is in flight; a URB whose
 * completion is running at that moment has already left the anchor,
 * and usb_kill_urb() on each waits for that completion to return.
 */
static void arc_usb_kill_all(struct arc_usb_stream *s)
{
	unsigned int i;

	usb_kill_anchored_urbs(&s->anchor);
	for (i = 0; i < s->nr_urbs; i++)
		usb_kill_urb(s->slots[i].urb);
	bitmap_zero(s->parked, ARC_USB_MAX_URBS);
}

static void arc_usb_fail_work(struct work_struct *work)
{
	struct arc_usb_stream *s = container_of(work, struct arc_usb_stream,
						fail_work);

	cancel_delayed_work_sync(&s->retry_work);
	cancel_work_sync(&s->halt_work);
	arc_usb_kill_all(s);
	dev_err(&s->intf->dev, "stream on endpoint 0x%02x stopped: %d\n",
		usb_pipeendpoint(s->pipe) | USB_DIR_IN, s->last_err);
	if (s->ops->failed)
		s->ops->failed(s->ctx, s->last_err);
}

struct arc_usb_stream *arc_usb_stream_create(const struct arc_usb_stream_desc *d)
{
	struct usb_device *udev;
	struct arc_usb_stream *s;
	unsigned int maxp, i;

	if (!d->intf || !d->epd || !d->ops || !d->ops->data ||
	    !usb_endpoint_dir_in(d->epd) ||
	    !(usb_endpoint_xfer_bulk(d->epd) || usb_endpoint_xfer_int(d->epd)) ||
	    !d->nr_urbs || d->nr_urbs > ARC_USB_MAX_URBS ||
	    !d->buf_len || d->buf_len > ARC_USB_MAX_BUF ||
	    d->max_retries > ARC_USB_MAX_RETRIES)
		return ERR_PTR(-EINVAL);
	maxp = usb_endpoint_maxp(d->epd);
	if (!maxp)
		return ERR_PTR(-EINVAL);

	s = kzalloc(struct_size(s, slots, d->nr_urbs), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	udev = usb_get_dev(interface_to_usbdev(d->intf));
	s->intf = d->intf;
	s->udev = udev;
	s->nr_urbs = d->nr_urbs;
	s->buf_len = min_t(unsigned int, roundup(d->buf_len, maxp),
			   rounddown(ARC_USB_MAX_BUF, maxp));
	s->max_retries = d->max_retries ?: ARC_USB_DEFAULT_RETRIES;
	s->ops = d->ops;
	s->ctx = d->ctx;
	if (usb_endpoint_xfer_int(d->epd))
		s->pipe = usb_rcvintpipe(udev, usb_endpoint_num(d->epd));
	else
		s->pipe = usb_rcvbulkpipe(udev, usb_endpoint_num(d->epd));
	init_usb_anchor(&s->anchor);
	spin_lock_init(&s->lock);
	INIT_DELAYED_WORK(&s->retry_work, arc_usb_retry_work);
	INIT_WORK(&s->halt_work, arc_usb_halt_work);
	INIT_WORK(&s->fail_work, arc_usb_fail_work);

	for (i = 0; i < s->nr_urbs; i++) {
		struct urb *urb = usb_alloc_urb(0, GFP_KERNEL);
		void *buf;

		if (!urb)
			goto err;
		s->slots[i].s = s;
		s->slots[i].index = i;
		s->slots[i].urb = urb;
		buf = usb_alloc_coherent(udev, s->buf_len, GFP_KERNEL,
					 &urb->transfer_dma);
		if (!buf)
			goto err;
		if (usb_endpoint_xfer_int(d->epd))
			usb_fill_int_urb(urb, udev, s->pipe, buf, s->buf_len,
					 arc_usb_complete, &s->slots[i],
					 d->epd->bInterval);
		else
			usb_fill_bulk_urb(urb, udev, s->pipe, buf, s->buf_len,
					  arc_usb_complete, &s->slots[i]);
		urb->transfer_flags |= URB_NO_TRANSFER_DMA_MAP;
	}
	return s;

err:
	arc_usb_stream_destroy(s);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_ARC(arc_usb_stream_create, ARC_USB);

void arc_usb_stream_stop(struct arc_usb_stream *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->running = false;
	spin_unlock_irqrestore(&s->lock, flags);
	/*
	 * Nothing submits once running is clear and these are done: the
	 * works check it under the lock, and a completion that already
	 * submitted anchored its URB before we took the lock.
	 */
	cancel_work_sync(&s->fail_work);
	cancel_delayed_work_sync(&s->retry_work);
	cancel_work_sync(&s->halt_work);
	arc_usb_kill_all(s);
	s->halted = false;
	s->errors_in_row = 0;
}
EXPORT_SYMBOL_ARC(arc_usb_stream_stop, ARC_USB);

int arc_usb_stream_start(struct arc_usb_stream *s, gfp_t gfp)
{
	unsigned int i;
	int err = 0;

	/* A stream that gave up is fully stopped before it starts again. */
	arc_usb_stream_stop(s);
	spin_lock_irq(&s->lock);
	s->running = true;
	spin_unlock_irq(&s->lock);
	for (i = 0; i < s->nr_urbs; i++) {
		struct urb *urb = s->slots[i].urb;

		usb_anchor_urb(urb, &s->anchor);
		err = usb_submit_urb(urb, gfp);
		if (err) {
			usb_unanchor_urb(urb);
			dev_err(&s->intf->dev, "cannot submit URB %u of %u: %d\n",
				i + 1, s->nr_urbs, err);
			arc_usb_stream_stop(s);
			break;
		}
	}
	return err;
}
EXPORT_SYMBOL_ARC(arc_usb_stream_start, ARC_USB);

void arc_usb_stream_destroy(struct arc_usb_stream *s)
{
	unsigned int i;

	if (!s)
		return;
	arc_usb_stream_stop(s);
	for (i = 0; i < s->nr_urbs; i++) {
		struct urb *urb = s->slots[i].urb;

		if (!urb)
			continue;
		if (urb->transfer_buffer)
			usb_free_coherent(s->udev, s->buf_len,
					  urb->transfer_buffer, urb->transfer_dma);
		usb_free_urb(urb);
	}
	usb_put_dev(s->udev);
	kfree(s);
}
EXPORT_SYMBOL_ARC(arc_usb_stream_destroy, ARC_USB);

void arc_usb_stream_stats(struct arc_usb_stream *s,
			  struct arc_usb_stream_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	*st = s->stats;
	spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_ARC(arc_usb_stream_stats, ARC_USB);
