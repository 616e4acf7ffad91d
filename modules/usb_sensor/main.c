// SPDX-License-Identifier: GPL-2.0
/*
 * arc_usb_sensor: a USB bulk sensor as an input device, on ARC_USB and
 * ARC_INPUT.
 *
 * The sensor (1234:5678, a vendor-specific interface with a bulk IN and a
 * bulk OUT endpoint; include/uapi/arc/usb_sensor.h) streams samples of
 * three axes on bulk IN and takes commands on bulk OUT. Each sensor is an
 * input device "USB Sensor" with ABS_X/Y/Z; it streams while someone has
 * that device open, and is left to autosuspend otherwise. The interface's
 * sysfs directory has the sample rate and the counters; see
 * Documentation/usb_sensor.md.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/usb/input.h>

#include <arc/input.h>
#include <arc/usb.h>

#include "parse.h"

#define SENSOR_CMD_TIMEOUT_MS	1000
/* Transfers in a row that go back in sequence before it is taken anew. */
#define SENSOR_RESYNC_AFTER	16

static unsigned int urbs = 4;
static unsigned int urb_bytes = 4096;
static unsigned int retries = ARC_USB_DEFAULT_RETRIES;
static char *ids;

static int sensor_param_range(const char *val, const struct kernel_param *kp,
			      unsigned int min, unsigned int max)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < min || v > max) {
		pr_err("arc_usb_sensor: %s='%s': must be an integer from %u to %u\n",
		       kp->name, val, min, max);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int sensor_set_urbs(const char *val, const struct kernel_param *kp)
{
	return sensor_param_range(val, kp, 1, ARC_USB_MAX_URBS);
}

static int sensor_set_urb_bytes(const char *val, const struct kernel_param *kp)
{
	return sensor_param_range(val, kp, SENSOR_SAMPLE_SIZE, ARC_USB_MAX_BUF);
}

static int sensor_set_retries(const char *val, const struct kernel_param *kp)
{
	return sensor_param_range(val, kp, 1, ARC_USB_MAX_RETRIES);
}

static const struct kernel_param_ops sensor_urbs_ops = {
	.set = sensor_set_urbs,
	.get = param_get_uint,
};

static const struct kernel_param_ops sensor_urb_bytes_ops = {
	.set = sensor_set_urb_bytes,
	.get = param_get_uint,
};

static const struct kernel_param_ops sensor_retries_ops = {
	.set = sensor_set_retries,
	.get = param_get_uint,
};

module_param_cb(urbs, &sensor_urbs_ops, &urbs, 0644);
MODULE_PARM_DESC(urbs, "bulk IN URBs kept in flight per sensor, 1-64 (default 4; a change applies to sensors bound after it)");
module_param_cb(urb_bytes, &sensor_urb_bytes_ops, &urb_bytes, 0644);
MODULE_PARM_DESC(urb_bytes, "bytes per bulk IN URB, 16-65536 (default 4096 = 256 samples; applies to sensors bound after a change)");
module_param_cb(retries, &sensor_retries_ops, &retries, 0644);
MODULE_PARM_DESC(retries, "transient USB errors in a row before a sensor's stream gives up, 1-100 (default 10; applies to sensors bound after a change)");
module_param(ids, charp, 0444);
MODULE_PARM_DESC(ids, "more sensors to bind: VVVV:PPPP[,VVVV:PPPP...] in hex, up to 16 (vendor-specific interface, like 1234:5678)");

/* The counters in sysfs (stats/), beside the stream's own. */
enum sensor_counter {
	SC_SAMPLES,
	SC_TRANSFERS,
	SC_SHORT,
	SC_ODD,
	SC_GARBAGE,
	SC_OUT_OF_SEQ,
	SC_LOST,
	SC_RESYNCS,
	SC_NR
};

/**
 * struct sensor - one bound sensor (device-managed on its interface)
 * @intf: the interface
 * @in: bulk IN endpoint (samples)
 * @out: bulk OUT endpoint (commands)
 * @input: the input device (device-managed too: it goes after @intf's
 *	disconnect, and may still be opened or closed until then)
 * @phys: its physical path
 * @lock: serialises open, close, rate changes, suspend, resume and
 *	disconnect; protects the fields below it
 * @stream: the streaming reader, from probe to disconnect
 * @open: the input device is open
 * @suspended: the interface is suspended
 * @gone: disconnect ran: nothing starts any more
 * @rate: samples per second asked of the device
 * @count_lock: protects @parser, @clock and @count (completion context)
 * @parser: sequence state of the current stream
 * @clock: the device's clock on the host's
 * @oos_in_row: out-of-sequence transfers in a row
 * @count: enum sensor_counter
 */
struct sensor {
	struct usb_interface *intf;
	const struct usb_endpoint_descriptor *in;
	const struct usb_endpoint_descriptor *out;
	struct input_dev *input;
	char phys[64];

	struct mutex lock; /* see above */
	struct arc_usb_stream *stream;
	bool open;
	bool suspended;
	bool gone;
	unsigned int rate;

	spinlock_t count_lock; /* see above */
	struct sensor_parser parser;
	struct sensor_clock clock;
	unsigned int oos_in_row;
	u64 count[SC_NR];
};

static int sensor_command(struct sensor *s, enum arc_sensor_op op, u32 arg)
{
	struct arc_sensor_cmd cmd = {
		.magic = ARC_SENSOR_MAGIC,
		.op = op,
		.arg = cpu_to_be32(arg),
	};
	int err;

	err = arc_usb_write(s->intf, s->out, &cmd, sizeof(cmd),
			    SENSOR_CMD_TIMEOUT_MS);
	if (err)
		dev_err(&s->intf->dev, "command %u (argument %u) failed: %d\n",
			op, arg, err);
	return err;
}

static void sensor_emit(void *ctx, const struct sensor_sample *sample)
{
	struct sensor *s = ctx;
	s64 t = sensor_clock_map(&s->clock, sample->timestamp_us,
				 ktime_get_ns());

	arc_input_report_abs(s->input, ABS_X, sample->x);
	arc_input_report_abs(s->input, ABS_Y, sample->y);
	arc_input_report_abs(s->input, ABS_Z, sample->z);
	arc_input_sync_at(s->input, ns_to_ktime(t), sample->timestamp_us);
}

/* A transfer arrived (URB completion: atomic context). */
static void sensor_data(void *ctx, const void *buf, unsigned int len)
{
	static const enum sensor_counter by_verdict[SENSOR_NR_VERDICTS] = {
		[SENSOR_SHORT] = SC_SHORT,
		[SENSOR_ODD] = SC_ODD,
		[SENSOR_GARBAGE] = SC_GARBAGE,
		[SENSOR_OUT_OF_SEQ] = SC_OUT_OF_SEQ,
	};
	struct sensor *s = ctx;
	enum sensor_verdict v;
	unsigned long flags;
	u64 lost;
	u32 nr;

	spin_lock_irqsave(&s->count_lock, flags);
	v = sensor_parse(&s->parser, buf, len, sensor_emit, s, &nr, &lost);
	s->count[SC_TRANSFERS]++;
	if (v == SENSOR_OK) {
		s->count[SC_SAMPLES] += nr;
		s->count[SC_LOST] += lost;
		s->oos_in_row = 0;
	} else {
		s->count[by_verdict[v]]++;
		if (v != SENSOR_OUT_OF_SEQ) {
			s->oos_in_row = 0;
		} else if (++s->oos_in_row >= SENSOR_RESYNC_AFTER) {
			/* The device started counting anew: follow it. */
			s->parser.have_seq = false;
			s->oos_in_row = 0;
			s->count[SC_RESYNCS]++;
		}
	}
	spin_unlock_irqrestore(&s->count_lock, flags);
}

static void sensor_failed(void *ctx, int err)
{
	struct sensor *s = ctx;

	dev_err(&s->intf->dev, "stopped reading samples (error %d); close and reopen the input device to retry\n",
		err);
}

static const struct arc_usb_stream_ops sensor_stream_ops = {
	.data = sensor_data,
	.failed = sensor_failed,
};

/* Start streaming: our URBs first, then the device. Under @s->lock. */
static int sensor_start(struct sensor *s, gfp_t gfp)
{
	unsigned long flags;
	int err;

	/* A new stream may start counting anew, on a new clock. */
	spin_lock_irqsave(&s->count_lock, flags);
	s->parser.have_seq = false;
	s->clock.synced = false;
	s->clock.last_ns = 0;
	s->oos_in_row = 0;
	spin_unlock_irqrestore(&s->count_lock, flags);
	err = arc_usb_stream_start(s->stream, gfp);
	if (err)
		return err;
	err = sensor_command(s, ARC_SENSOR_OP_SET_RATE, s->rate);
	if (!err)
		err = sensor_command(s, ARC_SENSOR_OP_START, 0);
	if (err)
		arc_usb_stream_stop(s->stream);
	return err;
}

/* Stop streaming (the device too, if it is there). Under @s->lock. */
static void sensor_stop(struct sensor *s, bool tell_device)
{
	if (tell_device)
		sensor_command(s, ARC_SENSOR_OP_STOP, 0);
	arc_usb_stream_stop(s->stream);
}

static int sensor_open(struct input_dev *dev)
{
	struct sensor *s = arc_input_get_drvdata(dev);
	int err;

	/* Wakes the device; outside the lock, which resume takes. */
	err = usb_autopm_get_interface(s->intf);
	if (err)
		return err;
	mutex_lock(&s->lock);
	if (s->gone) {
		err = -ENODEV;
	} else {
		err = sensor_start(s, GFP_KERNEL);
		s->open = !err;
	}
	mutex_unlock(&s->lock);
	if (err)
		usb_autopm_put_interface(s->intf);
	return err;
}

static void sensor_close(struct input_dev *dev)
{
	struct sensor *s = arc_input_get_drvdata(dev);
	bool put;

	mutex_lock(&s->lock);
	/* After disconnect, USB core has dropped our PM references itself. */
	put = s->open && !s->gone;
	if (put)
		sensor_stop(s, !s->suspended);
	s->open = false;
	mutex_unlock(&s->lock);
	if (put)
		usb_autopm_put_interface(s->intf);
}

static int sensor_suspend(struct usb_interface *intf, pm_message_t message)
{
	struct sensor *s = usb_get_intfdata(intf);

	mutex_lock(&s->lock);
	if (s->open)
		arc_usb_stream_stop(s->stream);
	s->suspended = true;
	mutex_unlock(&s->lock);
	return 0;
}

static int sensor_resume(struct usb_interface *intf)
{
	struct sensor *s = usb_get_intfdata(intf);
	int err = 0;

	mutex_lock(&s->lock);
	s->suspended = false;
	/* The device may have lost its state: rate and start again. */
	if (s->open)
		err = sensor_start(s, GFP_NOIO);
	mutex_unlock(&s->lock);
	if (err)
		dev_err(&intf->dev, "cannot resume streaming: %d\n", err);
	return 0;
}

/* A reset keeps the binding: hold the lock across it, as usb-skeleton does. */
static int sensor_pre_reset(struct usb_interface *intf)
{
	struct sensor *s = usb_get_intfdata(intf);

	mutex_lock(&s->lock);
	if (s->open)
		arc_usb_stream_stop(s->stream);
	return 0;
}

static int sensor_post_reset(struct usb_interface *intf)
{
	struct sensor *s = usb_get_intfdata(intf);
	int err = 0;

	if (s->open)
		err = sensor_start(s, GFP_NOIO);
	mutex_unlock(&s->lock);
	if (err)
		dev_err(&intf->dev, "cannot restart streaming after a reset: %d\n",
			err);
	return 0;
}

static ssize_t rate_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct sensor *s = usb_get_intfdata(to_usb_interface(dev));

	return sysfs_emit(buf, "%u\n", READ_ONCE(s->rate));
}

static ssize_t rate_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct usb_interface *intf = to_usb_interface(dev);
	struct sensor *s = usb_get_intfdata(intf);
	unsigned int v;
	int err;

	if (kstrtouint(buf, 0, &v) || v < ARC_SENSOR_RATE_MIN ||
	    v > ARC_SENSOR_RATE_MAX)
		return -EINVAL;
	err = usb_autopm_get_interface(intf);
	if (err)
		return err;
	mutex_lock(&s->lock);
	if (s->gone)
		err = -ENODEV;
	else if (s->open)
		err = sensor_command(s, ARC_SENSOR_OP_SET_RATE, v);
	if (!err)
		WRITE_ONCE(s->rate, v);
	mutex_unlock(&s->lock);
	usb_autopm_put_interface(intf);
	return err ?: count;
}
static DEVICE_ATTR_RW(rate);

static ssize_t streaming_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct sensor *s = usb_get_intfdata(to_usb_interface(dev));

	return sysfs_emit(buf, "%d\n", READ_ONCE(s->open));
}
static DEVICE_ATTR_RO(streaming);

static struct attribute *sensor_attrs[] = {
	&dev_attr_rate.attr,
	&dev_attr_streaming.attr,
	NULL
};

static const struct attribute_group sensor_group = {
	.attrs = sensor_attrs,
};

/* stats/: one counter per file; @idx picks ours or the stream's. */
struct sensor_stat_attr {
	struct device_attribute attr;
	int idx;
};

#define STREAM_STAT(field) \
	(SC_NR + offsetof(struct arc_usb_stream_stats, field) / sizeof(u64))

static ssize_t sensor_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct sensor_stat_attr *sa =
		container_of(attr, struct sensor_stat_attr, attr);
	struct sensor *s = usb_get_intfdata(to_usb_interface(dev));
	struct arc_usb_stream_stats st;
	unsigned long flags;
	u64 v;

	if (sa->idx < SC_NR) {
		spin_lock_irqsave(&s->count_lock, flags);
		v = s->count[sa->idx];
		spin_unlock_irqrestore(&s->count_lock, flags);
	} else {
		arc_usb_stream_stats(s->stream, &st);
		v = ((const u64 *)&st)[sa->idx - SC_NR];
	}
	return sysfs_emit(buf, "%llu\n", v);
}

#define SENSOR_STAT(name, index) \
	static struct sensor_stat_attr stat_##name = { \
		.attr = __ATTR(name, 0444, sensor_stat_show, NULL), \
		.idx = index, \
	}

SENSOR_STAT(samples, SC_SAMPLES);
SENSOR_STAT(transfers, SC_TRANSFERS);
SENSOR_STAT(short, SC_SHORT);
SENSOR_STAT(odd, SC_ODD);
SENSOR_STAT(garbage, SC_GARBAGE);
SENSOR_STAT(out_of_sequence, SC_OUT_OF_SEQ);
SENSOR_STAT(lost, SC_LOST);
SENSOR_STAT(resyncs, SC_RESYNCS);
SENSOR_STAT(resubmits, STREAM_STAT(resubmits));
SENSOR_STAT(retries, STREAM_STAT(retries));
SENSOR_STAT(err_proto, STREAM_STAT(err_proto));
SENSOR_STAT(err_ilseq, STREAM_STAT(err_ilseq));
SENSOR_STAT(err_time, STREAM_STAT(err_time));
SENSOR_STAT(err_overflow, STREAM_STAT(err_overflow));
SENSOR_STAT(err_other, STREAM_STAT(err_other));
SENSOR_STAT(halts, STREAM_STAT(halts));
SENSOR_STAT(halts_cleared, STREAM_STAT(halts_cleared));
SENSOR_STAT(failures, STREAM_STAT(failures));

static struct attribute *sensor_stat_attrs[] = {
	&stat_samples.attr.attr,
	&stat_transfers.attr.attr,
	&stat_short.attr.attr,
	&stat_odd.attr.attr,
	&stat_garbage.attr.attr,
	&stat_out_of_sequence.attr.attr,
	&stat_lost.attr.attr,
	&stat_resyncs.attr.attr,
	&stat_resubmits.attr.attr,
	&stat_retries.attr.attr,
	&stat_err_proto.attr.attr,
	&stat_err_ilseq.attr.attr,
	&stat_err_time.attr.attr,
	&stat_err_overflow.attr.attr,
	&stat_err_other.attr.attr,
	&stat_halts.attr.attr,
	&stat_halts_cleared.attr.attr,
	&stat_failures.attr.attr,
	NULL
};

static const struct attribute_group sensor_stat_group = {
	.name = "stats",
	.attrs = sensor_stat_attrs,
};

static const struct attribute_group *sensor_groups[] = {
	&sensor_group,
	&sensor_stat_group,
	NULL
};

static const struct arc_input_axis sensor_axes[] = {
	{ .code = ABS_X, .min = S16_MIN, .max = S16_MAX },
	{ .code = ABS_Y, .min = S16_MIN, .max = S16_MAX },
	{ .code = ABS_Z, .min = S16_MIN, .max = S16_MAX },
};

/* evdev's buffer is sized for this many samples arriving at once. */
#define SENSOR_MAX_BATCH	256

static int sensor_probe(struct usb_interface *intf,
			const struct usb_device_id *id)
{
	struct usb_device *udev = interface_to_usbdev(intf);
	struct arc_usb_stream_desc sdesc = {
		.intf = intf,
		.nr_urbs = READ_ONCE(urbs),
		.buf_len = READ_ONCE(urb_bytes),
		.max_retries = READ_ONCE(retries),
		.ops = &sensor_stream_ops,
	};
	struct arc_input_desc idesc = {
		.parent = &intf->dev,
		.name = "USB Sensor",
		.axes = sensor_axes,
		.nr_axes = ARRAY_SIZE(sensor_axes),
		.msc_timestamp = true,
		.open = sensor_open,
		.close = sensor_close,
	};
	struct sensor *s;
	int err;

	s = devm_kzalloc(&intf->dev, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	{
		const struct arc_usb_ep_want want[] = {
			{ .what = "sample IN", .dir_in = true, .bulk = true,
			  .min_maxp = 1, .found = &s->in },
			{ .what = "command OUT", .dir_in = false, .bulk = true,
			  .min_maxp = sizeof(struct arc_sensor_cmd),
			  .found = &s->out },
		};

		err = arc_usb_find_endpoints(intf, want, ARRAY_SIZE(want));
		if (err)
			return err;
	}
	s->intf = intf;
	s->rate = ARC_SENSOR_RATE_DEFAULT;
	mutex_init(&s->lock);
	spin_lock_init(&s->count_lock);
	usb_make_path(udev, s->phys, sizeof(s->phys));
	strlcat(s->phys, "/input0", sizeof(s->phys));

	sdesc.epd = s->in;
	sdesc.ctx = s;
	s->stream = arc_usb_stream_create(&sdesc);
	if (IS_ERR(s->stream)) {
		err = PTR_ERR(s->stream);
		dev_err(&intf->dev, "cannot set up %u URBs of %u bytes: %d\n",
			sdesc.nr_urbs, sdesc.buf_len, err);
		return err;
	}
	usb_set_intfdata(intf, s);

	idesc.phys = s->phys;
	usb_to_input_id(udev, &idesc.id);
	idesc.reports_per_read = min_t(unsigned int, SENSOR_MAX_BATCH,
				       sdesc.buf_len / SENSOR_SAMPLE_SIZE);
	idesc.drvdata = s;
	s->input = arc_input_create(&idesc);
	if (IS_ERR(s->input)) {
		err = PTR_ERR(s->input);
		usb_set_intfdata(intf, NULL);
		arc_usb_stream_destroy(s->stream);
		return err;
	}
	dev_info(&intf->dev, "USB Sensor %04x:%04x on %s: samples on endpoint %d IN, commands on %d OUT, %u URBs of %u bytes\n",
		 idesc.id.vendor, idesc.id.product, s->phys,
		 usb_endpoint_num(s->in), usb_endpoint_num(s->out),
		 sdesc.nr_urbs, sdesc.buf_len);
	return 0;
}

static void sensor_disconnect(struct usb_interface *intf)
{
	struct sensor *s = usb_get_intfdata(intf);
	bool present = interface_to_usbdev(intf)->state != USB_STATE_NOTATTACHED;

	mutex_lock(&s->lock);
	s->gone = true;
	/* Unbound while still plugged in (rmmod, unbind): stop the device. */
	if (s->open)
		sensor_stop(s, present && !s->suspended);
	/* No report after this: the input device goes after we return. */
	arc_usb_stream_destroy(s->stream);
	s->stream = NULL;
	mutex_unlock(&s->lock);
	usb_set_intfdata(intf, NULL);
	dev_info(&intf->dev, "USB Sensor %s\n",
		 present ? "unbound" : "disconnected");
}

static const struct usb_device_id sensor_ids[] = {
	{ USB_DEVICE_INTERFACE_CLASS(ARC_SENSOR_VID, ARC_SENSOR_PID,
				     USB_CLASS_VENDOR_SPEC) },
	{ }
};
MODULE_DEVICE_TABLE(usb, sensor_ids);

static struct arc_usb_driver sensor_driver = {
	.driver = {
		.probe = sensor_probe,
		.disconnect = sensor_disconnect,
		.suspend = sensor_suspend,
		.resume = sensor_resume,
		.reset_resume = sensor_resume,
		.pre_reset = sensor_pre_reset,
		.post_reset = sensor_post_reset,
		.dev_groups = sensor_groups,
		.supports_autosuspend = 1,
		/* URBs are ours to stop: disconnect also stops the device. */
		.soft_unbind = 1,
	},
	.ids = sensor_ids,
};

static int __init sensor_init(void)
{
	int err;

	err = arc_core_api_check() ?: arc_usb_api_check() ?:
	      arc_input_api_check();
	if (err)
		return err;
	sensor_driver.extra_ids = ids;
	return arc_usb_register(&sensor_driver);
}

static void __exit sensor_exit(void)
{
	arc_usb_deregister(&sensor_driver);
}

module_init(sensor_init);
module_exit(sensor_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc example: USB bulk sensor (1234:5678) as an input device");
MODULE_VERSION(ARC_RELEASE);
ARC_IMPORT_NS(ARC_CORE);
ARC_IMPORT_NS(ARC_USB);
ARC_IMPORT_NS(ARC_INPUT);
