// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for arc's packet parser: any byte string, read only
 * through a bounds-checked callback, must parse or be refused without an
 * out-of-bounds read (ASan) or undefined behaviour (UBSan), and what it
 * reports must be consistent with the input. The addresses-only parser
 * must agree with the full one (include/arc/pkt.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arc/pkt.h>

#include "pkt_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = { data, size > 0xffff ? 0xffff : (uint32_t)size };
	struct arc_pkt k, a;
	int err = arc_pkt_parse(&k, rd, &b, b.len);
	int aerr = arc_pkt_parse_addrs(&a, rd, &b, b.len);

	if (aerr != (err == ARC_PKT_EEXTHDR ? ARC_PKT_OK : err))
		abort();
	if (!aerr && (a.family != k.family || a.flags & ARC_PKT_L4 ||
		      memcmp(a.saddr, k.saddr, 16) || memcmp(a.daddr, k.daddr, 16)))
		abort();
	if (err != ARC_PKT_OK)
		return 0;
	if (k.family != ARC_PKT_IPV4 && k.family != ARC_PKT_IPV6)
		abort();
	if ((k.flags & ARC_PKT_L4) && (k.flags & (ARC_PKT_LATER_FRAG | ARC_PKT_TRUNCATED)))
		abort();
	if ((k.flags & ARC_PKT_L4) && k.l4_offset >= b.len)
		abort();
	return 0;
}
