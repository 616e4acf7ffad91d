// SPDX-License-Identifier: GPL-2.0
/*
 * arc_usb_sensor: the transfer parser and the device clock (parse.h).
 * Plain C: also built in userspace for the unit tests and the fuzzer.
 */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#endif

#include "parse.h"

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static bool sample_ok(const u8 *s)
{
	u8 x = 0;
	unsigned int i;

	if (s[0] != ARC_SENSOR_MAGIC)
		return false;
	for (i = 2; i < SENSOR_SAMPLE_SIZE; i++)
		x ^= s[i];
	return x == s[1];
}

static void sample_decode(const u8 *s, struct sensor_sample *out)
{
	out->x = (s16)get16(s + 2);
	out->y = (s16)get16(s + 4);
	out->z = (s16)get16(s + 6);
	out->seq = get32(s + 8);
	out->timestamp_us = get32(s + 12);
}

/* Whether @seq comes after @prev, modulo 2^32. */
static bool seq_after(u32 seq, u32 prev)
{
	return (s32)(seq - prev) > 0;
}

enum sensor_verdict sensor_parse(struct sensor_parser *p, const u8 *buf,
				 u32 len, sensor_emit_t emit, void *ctx,
				 u32 *nr, u64 *lost)
{
	u32 n = len / SENSOR_SAMPLE_SIZE, i, seq, prev = 0;
	struct sensor_sample s;
	u64 gap = 0;

	*nr = 0;
	*lost = 0;
	if (len < SENSOR_SAMPLE_SIZE)
		return SENSOR_SHORT;
	if (len % SENSOR_SAMPLE_SIZE)
		return SENSOR_ODD;
	/* Everything is checked before anything is delivered. */
	for (i = 0; i < n; i++) {
		const u8 *b = buf + i * SENSOR_SAMPLE_SIZE;

		if (!sample_ok(b))
			return SENSOR_GARBAGE;
		seq = get32(b + 8);
		if (i == 0) {
			/*
			 * After the last sample delivered (next_seq - 1), as
			 * inside a transfer: half the sequence space away
			 * from it is neither after nor before.
			 */
			if (p->have_seq && seq != p->next_seq) {
				if (!seq_after(seq, p->next_seq - 1))
					return SENSOR_OUT_OF_SEQ;
				gap += seq - p->next_seq;
			}
		} else {
			if (!seq_after(seq, prev))
				return SENSOR_OUT_OF_SEQ;
			gap += seq - prev - 1;
		}
		prev = seq;
	}
	for (i = 0; i < n; i++) {
		sample_decode(buf + i * SENSOR_SAMPLE_SIZE, &s);
		emit(ctx, &s);
	}
	p->have_seq = true;
	p->next_seq = prev + 1;
	*nr = n;
	*lost = gap;
	return SENSOR_OK;
}

#define NSEC_PER_USEC_S	1000LL
#define RESYNC_NS	1000000000LL

s64 sensor_clock_map(struct sensor_clock *c, u32 ts_us, s64 now_ns)
{
	s64 t;

	if (c->synced) {
		/* Forward by the wrapping difference; backwards steps count as 0. */
		s32 step = (s32)(ts_us - c->last_us);

		if (step > 0)
			c->dev_us += (u32)step;
	} else {
		c->dev_us = ts_us;
	}
	c->last_us = ts_us;
	t = (s64)c->dev_us * NSEC_PER_USEC_S;
	if (!c->synced || t + c->offset_ns > now_ns ||
	    t + c->offset_ns < now_ns - RESYNC_NS) {
		c->offset_ns = now_ns - t;
		c->synced = true;
	}
	t += c->offset_ns;
	if (t < c->last_ns)
		t = c->last_ns;
	c->last_ns = t;
	return t;
}
