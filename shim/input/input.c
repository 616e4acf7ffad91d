// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_INPUT: input devices from one description (include/arc/input.h).
 */
#include <linux/device.h>
#include <linux/input.h>

#include <arc/input.h>

/* Events in one report: the axes, MSC_TIMESTAMP, SYN_REPORT. */
static unsigned int arc_input_report_events(const struct arc_input_desc *d)
{
	return d->nr_axes + d->msc_timestamp + 1;
}

static int arc_input_check(const struct arc_input_desc *d)
{
	unsigned int i;

	if (!d->parent || !d->name || !d->nr_axes || !d->axes)
		return -EINVAL;
	for (i = 0; i < d->nr_axes; i++) {
		const struct arc_input_axis *a = &d->axes[i];

		if (a->code > ABS_MAX || a->min > a->max || a->fuzz < 0 ||
		    a->flat < 0 || a->res < 0) {
			dev_err(d->parent, "input axis %u (code %u): bad range %d..%d, fuzz %d, flat %d or resolution %d\n",
				i, a->code, a->min, a->max, a->fuzz, a->flat,
				a->res);
			return -EINVAL;
		}
	}
	/* What evdev's buffer is sized from; it allocates 8 such "packets". */
	if (d->reports_per_read > 4096)
		return -EINVAL;
	return 0;
}

struct input_dev *arc_input_create(const struct arc_input_desc *d)
{
	struct input_dev *dev;
	unsigned int i;
	int err;

	err = arc_input_check(d);
	if (err)
		return ERR_PTR(err);
	/* Device-managed: unregistered and freed when the parent unbinds. */
	dev = devm_input_allocate_device(d->parent);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->name = d->name;
	dev->phys = d->phys;
	dev->id = d->id;
	dev->open = d->open;
	dev->close = d->close;
	input_set_drvdata(dev, d->drvdata);
	for (i = 0; i < d->nr_axes; i++) {
		const struct arc_input_axis *a = &d->axes[i];

		input_set_abs_params(dev, a->code, a->min, a->max, a->fuzz,
				     a->flat);
		input_abs_set_res(dev, a->code, a->res);
	}
	if (d->msc_timestamp)
		input_set_capability(dev, EV_MSC, MSC_TIMESTAMP);
	input_set_events_per_packet(dev, arc_input_report_events(d) *
					 max(d->reports_per_read, 1U));
	err = input_register_device(dev);
	if (err) {
		dev_err(d->parent, "cannot register input device '%s': %d\n",
			d->name, err);
		return ERR_PTR(err);
	}
	return dev;
}
EXPORT_SYMBOL_ARC(arc_input_create, ARC_INPUT);

void arc_input_sync_at(struct input_dev *dev, ktime_t when, u32 device_us)
{
	if (test_bit(MSC_TIMESTAMP, dev->mscbit))
		input_event(dev, EV_MSC, MSC_TIMESTAMP, device_us);
	input_set_timestamp(dev, when);
	input_sync(dev);
}
EXPORT_SYMBOL_ARC(arc_input_sync_at, ARC_INPUT);

u32 arc_input_api_version(void)
{
	return ARC_API(ARC_INPUT);
}
EXPORT_SYMBOL_ARC(arc_input_api_version, ARC_INPUT);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_INPUT (input devices)");
MODULE_VERSION(ARC_API_STRING(ARC_INPUT));
