/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc_usb_sensor: what a bulk IN transfer of the sensor says, and the
 * device's clock on the host's. Plain C, no kernel calls: it builds into
 * the module and into userspace (selftests/usb_sensor/parse_test and the
 * fuzzer), which pass u8, u16, s16, u32, s32, u64, s64 and bool.
 */
#ifndef _ARC_USB_SENSOR_PARSE_H
#define _ARC_USB_SENSOR_PARSE_H

#include <uapi/arc/usb_sensor.h>

#define SENSOR_SAMPLE_SIZE	16

/* One decoded sample. */
struct sensor_sample {
	s16 x, y, z;
	u32 seq;
	u32 timestamp_us;
};

/*
 * What became of one transfer. Only SENSOR_OK delivers samples: a
 * transfer with anything wrong in it is skipped whole, so a damaged one
 * never yields half its samples.
 */
enum sensor_verdict {
	SENSOR_OK,
	SENSOR_SHORT,		/* shorter than one sample (empty included) */
	SENSOR_ODD,		/* not a multiple of the sample size */
	SENSOR_GARBAGE,		/* a sample with a bad magic or check byte */
	SENSOR_OUT_OF_SEQ,	/* a sequence number not after the last one */
	SENSOR_NR_VERDICTS
};

/**
 * struct sensor_parser - the sequence state between transfers
 * @have_seq: a sample was delivered, @next_seq is meaningful
 * @next_seq: the sequence number the next sample should carry
 */
struct sensor_parser {
	bool have_seq;
	u32 next_seq;
};

typedef void (*sensor_emit_t)(void *ctx, const struct sensor_sample *s);

/**
 * sensor_parse() - check one transfer, then deliver its samples in order
 * @p: the stream's state; advanced only on SENSOR_OK
 * @buf: the transfer
 * @len: its length in bytes
 * @emit: called for each sample of a good transfer
 * @ctx: passed to @emit
 * @nr: set to the samples delivered
 * @lost: set to the samples the sequence numbers say are missing
 *	before and between them (0 for the first transfer of a stream)
 *
 * Sequence numbers count modulo 2^32: one is "after" another if it is
 * less than 2^31 ahead.
 *
 * Return: the verdict.
 */
enum sensor_verdict sensor_parse(struct sensor_parser *p, const u8 *buf,
				 u32 len, sensor_emit_t emit, void *ctx,
				 u32 *nr, u64 *lost);

/**
 * struct sensor_clock - the device's clock mapped onto the host's
 * @synced: @offset_ns and @dev_us are set
 * @last_us: the device's last timestamp (32 bits, wrapping)
 * @dev_us: the device's time in microseconds, extended to 64 bits
 * @offset_ns: host time minus device time
 * @last_ns: the last host time handed out
 */
struct sensor_clock {
	bool synced;
	u32 last_us;
	u64 dev_us;
	s64 offset_ns;
	s64 last_ns;
};

/**
 * sensor_clock_map() - host time of a sample measured at @ts_us
 * @c: the clock
 * @ts_us: the sample's device timestamp
 * @now_ns: the host's time now (CLOCK_MONOTONIC)
 *
 * The first sample, and any sample the mapping would put in the future
 * (the device's clock runs fast) or more than a second in the past (it
 * runs slow, or was reset), re-anchors the mapping at @now_ns. The
 * result never decreases and is never after @now_ns.
 *
 * Return: the host time in nanoseconds.
 */
s64 sensor_clock_map(struct sensor_clock *c, u32 ts_us, s64 now_ns);

#endif /* _ARC_USB_SENSOR_PARSE_H */
