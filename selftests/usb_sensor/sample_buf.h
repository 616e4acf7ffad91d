/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building sensor samples in the wire format of
 * include/uapi/arc/usb_sensor.h, for the parser's unit tests and fuzzer.
 */
#ifndef _ARC_SAMPLE_BUF_H
#define _ARC_SAMPLE_BUF_H

#include <stdint.h>
#include <string.h>

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* One well-formed 16-byte sample at @p. */
static inline void sample_put(uint8_t *p, int16_t x, int16_t y, int16_t z,
			      uint32_t seq, uint32_t ts)
{
	uint8_t c = 0;
	int i;

	p[0] = ARC_SENSOR_MAGIC;
	put16(p + 2, (uint16_t)x);
	put16(p + 4, (uint16_t)y);
	put16(p + 6, (uint16_t)z);
	put32(p + 8, seq);
	put32(p + 12, ts);
	for (i = 2; i < 16; i++)
		c ^= p[i];
	p[1] = c;
}

#endif /* _ARC_SAMPLE_BUF_H */
