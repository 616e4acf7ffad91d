/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The blocklist's key, and the lookup filter in front of its hash table
 * (see struct fw_filter).
 *
 * Plain C that also builds in userspace: selftests/firewall/filter_test.c
 * checks on the build host that the filter never loses a key, and how
 * many absent keys it lets through for the patterns blocklists have
 * (runs of hosts, of /24s, of /64s, random addresses).
 */
#ifndef _ARC_FIREWALL_FILTER_H
#define _ARC_FIREWALL_FILTER_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>
#endif
#include <arc/pkt.h>

/**
 * struct fw_prefix - an IPv4 or IPv6 prefix, host bits zero
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @plen: prefix length, up to 32 or 128
 * @pad: zero (the struct is a hash key)
 * @addr: address in network order; IPv4 uses the first 4 bytes
 * @addr32: the same address as four words, for masking and comparing
 */
struct fw_prefix {
	u8 family;
	u8 plen;
	u8 pad[2];
	union {
		u8 addr[16];
		__be32 addr32[4];
	};
};

/**
 * struct fw_filter - the keys a set may hold, as a Bloom filter
 * @shift: 64 - log2 of the number of words: a key's word is the top bits
 *	of its hash
 * @rcu: frees the filter after the readers that may use it
 * @words: each key sets two bits of one word
 *
 * Most packets match no entry. The filter answers "no entry with this
 * key" from about one byte per entry, which stays in the caches where a
 * large hash table's buckets do not, and a clear bit saves the hash
 * table probe. A key's hash picks a word by its top bits and two bits of
 * that word by the twelve below. Removing an entry leaves its bits set (a
 * stale bit costs only the probe); the table rebuilds the filter once it
 * holds FW_FILTER_KEYS_PER_WORD keys a word (8 bits a key: about 5% of
 * absent keys get through), with room for twice the keys present then.
 */
struct fw_filter {
	unsigned int shift;
	struct rcu_head rcu;
	u64 words[];
};

#define FW_FILTER_MIN_WORDS	64
#define FW_FILTER_KEYS_PER_WORD	8
/* 2^64 divided by the golden ratio, odd: Fibonacci hashing. */
#define FW_FILTER_MUL		0x61c8864680b583ebULL

/*
 * Unkeyed on purpose: a false positive costs the hash probe every packet
 * would cost without a filter, nothing more. Two rounds of multiplying:
 * with one, runs of consecutive keys (a block of hosts) fall into a few
 * patterns of bits and a quarter to half of the absent keys next to them
 * get through.
 */
static __always_inline u64 fw_filter_hash(const struct fw_prefix *k)
{
	u64 head = k->family | k->plen << 8;
	u64 lo, hi, h;

	if (k->family == ARC_PKT_IPV4) {
		h = ((__force u32)k->addr32[0] | head << 32) * FW_FILTER_MUL;
	} else {
		lo = (u64)(__force u32)k->addr32[0] << 32 |
		     (__force u32)k->addr32[1];
		hi = (u64)(__force u32)k->addr32[2] << 32 |
		     (__force u32)k->addr32[3];
		h = (((lo ^ head) * FW_FILTER_MUL) ^ hi) * FW_FILTER_MUL;
	}
	return (h ^ h >> 32) * FW_FILTER_MUL;
}

static __always_inline u64 fw_filter_mask(const struct fw_filter *f, u64 h)
{
	return BIT_ULL(h >> (f->shift - 6) & 63) |
	       BIT_ULL(h >> (f->shift - 12) & 63);
}

/* False: @k is not in the filter's set. */
static __always_inline bool fw_filter_test(const struct fw_filter *f,
					   const struct fw_prefix *k)
{
	u64 h = fw_filter_hash(k);
	u64 mask = fw_filter_mask(f, h);

	return (READ_ONCE(f->words[h >> f->shift]) & mask) == mask;
}

/* One writer at a time; readers see the word before or after. */
static inline void fw_filter_add(struct fw_filter *f, const struct fw_prefix *p)
{
	u64 h = fw_filter_hash(p);
	u64 *w = &f->words[h >> f->shift];

	WRITE_ONCE(*w, *w | fw_filter_mask(f, h));
}

static inline unsigned long fw_filter_words(const struct fw_filter *f)
{
	return 1UL << (64 - f->shift);
}

/* Keys the filter takes before it is rebuilt. */
static inline u32 fw_filter_capacity(const struct fw_filter *f)
{
	return FW_FILTER_KEYS_PER_WORD * fw_filter_words(f);
}

#endif /* _ARC_FIREWALL_FILTER_H */
