/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc_usb_sensor: the wire format of the USB sensor (VID 0x1234, PID
 * 0x5678, one vendor-specific interface with a bulk IN and a bulk OUT
 * endpoint). Shared by the driver and userspace/sensor-gadget, the
 * FunctionFS device that emulates it. Documentation/usb_sensor.md
 * describes the protocol in prose.
 *
 * Bulk IN: each transfer carries one or more samples, back to back, and
 * nothing else: its length is a non-zero multiple of
 * sizeof(struct arc_sensor_sample). All multi-byte fields are big-endian.
 *
 * Bulk OUT: one command per transfer, exactly
 * sizeof(struct arc_sensor_cmd) bytes.
 */
#ifndef _UAPI_ARC_USB_SENSOR_H
#define _UAPI_ARC_USB_SENSOR_H

#include <linux/types.h>

#define ARC_SENSOR_VID		0x1234
#define ARC_SENSOR_PID		0x5678

/* First byte of every sample and of every command. */
#define ARC_SENSOR_MAGIC	0xa5

/**
 * struct arc_sensor_sample - one measurement, 16 bytes
 * @magic: ARC_SENSOR_MAGIC
 * @check: XOR of the 14 bytes from @x to the end of @timestamp_us, so
 *	that a sample whose bytes were damaged or made up is recognised
 * @x: X axis, signed
 * @y: Y axis, signed
 * @z: Z axis, signed
 * @seq: sequence number, one more than the previous sample's (modulo
 *	2^32); a larger step means samples were lost on the device
 * @timestamp_us: when it was measured, in microseconds of the device's
 *	own clock (free running, wraps after 2^32 us, about 71 minutes)
 */
struct arc_sensor_sample {
	__u8 magic;
	__u8 check;
	__be16 x;
	__be16 y;
	__be16 z;
	__be32 seq;
	__be32 timestamp_us;
};

/* Commands on the bulk OUT endpoint (struct arc_sensor_cmd's @op). */
enum arc_sensor_op {
	ARC_SENSOR_OP_START = 1,	/* start streaming samples */
	ARC_SENSOR_OP_STOP = 2,		/* stop streaming */
	ARC_SENSOR_OP_SET_RATE = 3,	/* @arg: samples per second */
};

/* The sample rates a device must accept, in samples per second. */
#define ARC_SENSOR_RATE_MIN	1
#define ARC_SENSOR_RATE_MAX	100000
#define ARC_SENSOR_RATE_DEFAULT	1000

/**
 * struct arc_sensor_cmd - one command, 8 bytes
 * @magic: ARC_SENSOR_MAGIC
 * @op: enum arc_sensor_op
 * @reserved: zero
 * @arg: the operation's argument (zero if it takes none)
 */
struct arc_sensor_cmd {
	__u8 magic;
	__u8 op;
	__be16 reserved;
	__be32 arg;
};

#endif /* _UAPI_ARC_USB_SENSOR_H */
