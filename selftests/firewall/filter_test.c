// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall's lookup filter (modules/firewall/filter.h), built and run
 * on the host: every key added is found again, and of the keys next to
 * them that were not added, no more get through than a filter as full as
 * the kernel lets it get should let through (about 5% at 8 keys a word;
 * the test allows 8%). Key patterns: runs of IPv4 hosts, of /24s, of IPv6
 * hosts and /64s, and random addresses, 100 to 200,000 keys. With a single
 * multiplication in the hash, runs of hosts let up to 60% through.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint32_t __be32;
#define __force
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define BIT_ULL(n) (1ULL << (n))
struct rcu_head { void *next, *func; };

#include "../../modules/firewall/filter.h"

#include "kselftest_harness.h"

enum pattern { V4_HOSTS, V4_24S, V6_HOSTS, V6_64S, V4_RANDOM, V6_RANDOM };

static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352d;
	x ^= x >> 15;
	x *= 0x846ca68b;
	return x ^ x >> 16;
}

/* Key @i of a pattern: the test adds the even ones only. */
static void key(struct fw_prefix *k, enum pattern p, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->family = p == V4_HOSTS || p == V4_24S || p == V4_RANDOM ?
		    ARC_PKT_IPV4 : ARC_PKT_IPV6;
	k->plen = k->family == ARC_PKT_IPV4 ? 32 : 128;
	switch (p) {
	case V4_HOSTS:
		k->addr32[0] = htonl(0x0a000000 + i);
		break;
	case V4_24S:
		k->plen = 24;
		k->addr32[0] = htonl(0x0a000000 + (i << 8));
		break;
	case V4_RANDOM:
		k->addr32[0] = mix32(i);
		break;
	case V6_HOSTS:
		k->addr32[0] = htonl(0x20010db8);
		k->addr32[3] = htonl(i);
		break;
	case V6_64S:
		k->plen = 64;
		k->addr32[0] = htonl(0x20010db8);
		k->addr32[1] = htonl(i);
		break;
	case V6_RANDOM:
		k->addr32[0] = htonl(0x20010db8);
		k->addr32[1] = mix32(i);
		k->addr32[2] = mix32(i ^ 0x55555555);
		k->addr32[3] = mix32(i ^ 0xaaaaaaaa);
		break;
	}
}

/*
 * @n keys of @p into the smallest filter the kernel would hold them in
 * (8 keys a word at most): returns the share of the @n absent keys that
 * got through, or -1 if an added key was lost.
 */
static double run(enum pattern p, uint32_t n)
{
	unsigned int bits = 6;
	struct fw_filter *f;
	struct fw_prefix k;
	uint32_t i, through = 0;

	while ((FW_FILTER_KEYS_PER_WORD << bits) < n)
		bits++;
	f = calloc(1, sizeof(*f) + (sizeof(u64) << bits));
	if (!f)
		return -1;
	f->shift = 64 - bits;
	for (i = 0; i < n; i++) {
		key(&k, p, 2 * i);
		fw_filter_add(f, &k);
	}
	for (i = 0; i < n; i++) {
		key(&k, p, 2 * i);
		if (!fw_filter_test(f, &k)) {
			free(f);
			return -1;
		}
		key(&k, p, 2 * i + 1);
		through += fw_filter_test(f, &k);
	}
	free(f);
	return (double)through / n;
}

static void check(struct __test_metadata *_metadata, enum pattern p)
{
	static const uint32_t sizes[] = { 100, 1000, 3000, 10000, 200000 };
	unsigned int i;
	double r;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		r = run(p, sizes[i]);
		TH_LOG("%u keys: %.1f%% of absent keys get through",
		       sizes[i], 100 * r);
		ASSERT_GE(r, 0) TH_LOG("an added key was lost");
		ASSERT_LT(r, 0.08);
	}
}

TEST(ipv4_hosts) { check(_metadata, V4_HOSTS); }
TEST(ipv4_slash24s) { check(_metadata, V4_24S); }
TEST(ipv4_random) { check(_metadata, V4_RANDOM); }
TEST(ipv6_hosts) { check(_metadata, V6_HOSTS); }
TEST(ipv6_slash64s) { check(_metadata, V6_64S); }
TEST(ipv6_random) { check(_metadata, V6_RANDOM); }

/* Two families, or two lengths, of the same address are different keys. */
TEST(family_and_length_count)
{
	struct fw_prefix a = { .family = ARC_PKT_IPV4, .plen = 32 };
	struct fw_prefix b = a;

	b.family = ARC_PKT_IPV6;
	ASSERT_NE(fw_filter_hash(&a), fw_filter_hash(&b));
	b = a;
	b.plen = 31;
	ASSERT_NE(fw_filter_hash(&a), fw_filter_hash(&b));
}

TEST_HARNESS_MAIN
