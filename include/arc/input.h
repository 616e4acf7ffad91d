/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_INPUT: input devices from one description (arc_input.ko).
 *
 * A module describes the device (name, phys, ids, absolute axes) and
 * arc allocates, configures and registers it. The device's lifetime is
 * tied to its parent: arc allocates it device-managed, so it is
 * unregistered and freed when the parent (say, a USB interface) is
 * unbound from its driver, after the driver's disconnect, and a driver
 * never frees it itself. Each report carries the time it was measured
 * (arc_input_sync_at()), which evdev gives its readers instead of the
 * time the event was delivered. Import with ARC_IMPORT_NS(ARC_INPUT).
 */
#ifndef _ARC_INPUT_H
#define _ARC_INPUT_H

#include <arc/arc.h>
#include <linux/input.h>
#include <linux/ktime.h>

/**
 * struct arc_input_axis - one absolute axis
 * @code: ABS_X, ABS_Y, ...
 * @min: smallest value
 * @max: largest value
 * @fuzz: noise filter (values that change by less are dropped by the
 *	input core; 0 passes every change)
 * @flat: dead zone around the centre (0 for none)
 * @res: resolution in units per unit of the quantity (0 if unknown)
 */
struct arc_input_axis {
	unsigned int code;
	int min;
	int max;
	int fuzz;
	int flat;
	int res;
};

/**
 * struct arc_input_desc - what arc_input_create() registers
 * @parent: the device it belongs to (a USB interface's &intf->dev); the
 *	input device is unregistered and freed when @parent is unbound
 * @name: shown as the device's name (not copied: must outlive it)
 * @phys: physical path, e.g. from usb_make_path() (not copied)
 * @id: bus type, vendor, product and version
 * @axes: the absolute axes
 * @nr_axes: entries in @axes
 * @msc_timestamp: also report EV_MSC/MSC_TIMESTAMP with each sample
 *	(the device's microseconds, see arc_input_sync_at()), which makes
 *	every report visible even when no axis changed
 * @reports_per_read: how many reports may arrive at once (a batch of
 *	samples in one transfer); sizes evdev's per-reader buffer so that a
 *	reader that keeps up sees no SYN_DROPPED
 * @open: called when the first reader opens the device; may be NULL
 * @close: called when the last reader closes it; may be NULL
 * @drvdata: for @open and @close (arc_input_get_drvdata())
 */
struct arc_input_desc {
	struct device *parent;
	const char *name;
	const char *phys;
	struct input_id id;
	const struct arc_input_axis *axes;
	unsigned int nr_axes;
	bool msc_timestamp;
	unsigned int reports_per_read;
	int (*open)(struct input_dev *dev);
	void (*close)(struct input_dev *dev);
	void *drvdata;
};

/**
 * arc_input_create() - allocate, describe and register an input device
 * @desc: the device; checked (an axis code past ABS_MAX, min > max or a
 *	negative fuzz, flat or resolution is refused with a message)
 *
 * Process context. The device is device-managed on @desc->parent: do not
 * unregister or free it; it goes when the parent is unbound. A driver
 * stops reporting before it returns from its disconnect.
 *
 * Return: the registered device, or an ERR_PTR().
 */
struct input_dev *arc_input_create(const struct arc_input_desc *desc);

/**
 * arc_input_get_drvdata() - @desc->drvdata of an arc input device
 * @dev: a device from arc_input_create()
 *
 * Return: what the creator passed as drvdata.
 */
static inline void *arc_input_get_drvdata(struct input_dev *dev)
{
	return input_get_drvdata(dev);
}

/**
 * arc_input_report_abs() - report the value of one absolute axis
 * @dev: the device
 * @code: ABS_X, ...
 * @value: the value (the input core drops it if it equals the last one)
 */
static inline void arc_input_report_abs(struct input_dev *dev,
					unsigned int code, int value)
{
	input_report_abs(dev, code, value);
}

/**
 * arc_input_sync_at() - end one report, stamped with when it was measured
 * @dev: the device
 * @when: CLOCK_MONOTONIC time of the measurement (the device's clock
 *	mapped onto the host's); evdev gives it to its readers in the
 *	clock each reader chose
 * @device_us: the device's own timestamp in microseconds, reported as
 *	MSC_TIMESTAMP if the device was created with msc_timestamp
 *
 * Any context (a URB completion).
 */
void arc_input_sync_at(struct input_dev *dev, ktime_t when, u32 device_us);

/**
 * arc_input_api_version() - the ARC_INPUT API version of arc_input.ko
 *
 * Return: ARC_API(ARC_INPUT) as arc_input.ko was built.
 */
u32 arc_input_api_version(void);

/**
 * arc_input_api_check() - check the loaded arc_input.ko against this module
 *
 * Call it from the init function of a module that imports ARC_INPUT.
 *
 * Return: 0 if this module may use ARC_INPUT, -EPROTO otherwise.
 */
static inline int arc_input_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_INPUT",
			     arc_input_api_version(), ARC_API(ARC_INPUT));
}

#endif /* _ARC_INPUT_H */
