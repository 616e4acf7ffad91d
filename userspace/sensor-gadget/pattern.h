/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values sensor-gadget puts in its samples, as pure functions of the
 * sequence number, and the encoding of one sample on the wire. Plain C
 * with no state: a test that reads the device computes what it expects
 * for every seq with the same functions (or with the one-line formulas in
 * sensor-gadget.8).
 */
#ifndef SENSOR_GADGET_PATTERN_H
#define SENSOR_GADGET_PATTERN_H

#include <endian.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <arc/usb_sensor.h>

/*
 * --pattern test. For seq k, X is
 *
 *	k % 16 == 0, 1, 2, 3, 4:  -32768, 32767, 0, -1, 1
 *	otherwise:                bits 16..31 of (k * 2654435761) mod 2^32,
 *	                          read as a signed 16-bit number
 *
 * Y is X's value for k + 1 and Z is X's value for k + 2 (seq arithmetic is
 * modulo 2^32), so each axis meets the extremes, zero and +-1 at a
 * different k and the rest of the range in between.
 */
static inline int16_t sensor_test_value(uint32_t k)
{
	static const int16_t special[5] = { -32768, 32767, 0, -1, 1 };

	if (k % 16 < 5)
		return special[k % 16];
	return (int16_t)(uint16_t)((uint32_t)(k * 2654435761u) >> 16);
}

static inline void sensor_test_pattern(uint32_t k, int16_t v[3])
{
	v[0] = sensor_test_value(k);
	v[1] = sensor_test_value(k + 1);
	v[2] = sensor_test_value(k + 2);
}

/*
 * --pattern sine (the default): something that looks like a sensor. X and
 * Y go round a circle of radius 20000 every 1000 samples, Z is a slower
 * sine of amplitude 12000 (period 3700 samples).
 */
static inline void sensor_sine_pattern(uint32_t k, int16_t v[3])
{
	const double two_pi = 6.283185307179586;

	v[0] = (int16_t)lround(20000.0 * sin(two_pi * (k % 1000) / 1000.0));
	v[1] = (int16_t)lround(20000.0 * cos(two_pi * (k % 1000) / 1000.0));
	v[2] = (int16_t)lround(12000.0 * sin(two_pi * (k % 3700) / 3700.0));
}

/* The check byte: XOR of the 14 bytes from x to the end of timestamp_us. */
static inline uint8_t sensor_sample_check(const struct arc_sensor_sample *s)
{
	const uint8_t *p = (const uint8_t *)s;
	uint8_t c = 0;
	size_t i;

	for (i = offsetof(struct arc_sensor_sample, x); i < sizeof(*s); i++)
		c ^= p[i];
	return c;
}

static inline void sensor_sample_encode(struct arc_sensor_sample *s, uint32_t seq,
					const int16_t v[3], uint32_t timestamp_us)
{
	s->magic = ARC_SENSOR_MAGIC;
	s->x = htobe16((uint16_t)v[0]);
	s->y = htobe16((uint16_t)v[1]);
	s->z = htobe16((uint16_t)v[2]);
	s->seq = htobe32(seq);
	s->timestamp_us = htobe32(timestamp_us);
	s->check = sensor_sample_check(s);
}

#endif /* SENSOR_GADGET_PATTERN_H */
