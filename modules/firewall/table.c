// SPDX-License-Identifier: GPL-2.0
/*
 * The blocklist: longest-prefix match over IPv4 and IPv6 prefixes (see
 * struct fw_set in table.h for the data model).
 */
#include <linux/inet.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <arc/arc.h>
#include "table.h"

static struct kmem_cache *fw_entry_cache;

/*
 * The packet path looks up one key per prefix length present, so hashing
 * and comparing are inlined into it and work on words: an IPv4 key hashes
 * two words (family and length, address), an IPv6 key five.
 */
static __always_inline u32 fw_prefix_hash(const void *data, u32 len,
					  u32 seed)
{
	const struct fw_prefix *p = data;
	u32 head = p->family | p->plen << 8;

	if (p->family == ARC_PKT_IPV4)
		return jhash_2words(head, (__force u32)p->addr32[0], seed);
	return jhash2((const u32 *)p->addr32, 4, seed ^ head);
}

static bool fw_prefix_equal(const struct fw_prefix *a,
			    const struct fw_prefix *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !((a->addr32[0] ^ b->addr32[0]) | (a->addr32[1] ^ b->addr32[1]) |
		 (a->addr32[2] ^ b->addr32[2]) | (a->addr32[3] ^ b->addr32[3]));
}

static int fw_entry_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct fw_entry *e = obj;

	return !fw_prefix_equal(arg->key, &e->key);
}

static const struct rhashtable_params fw_ht_params = {
	.key_len = sizeof(struct fw_prefix),
	.key_offset = offsetof(struct fw_entry, key),
	.head_offset = offsetof(struct fw_entry, node),
	.hashfn = fw_prefix_hash,
	.obj_cmpfn = fw_entry_cmp,
	.automatic_shrinking = true,
};

/* An empty filter with room for @keys keys. */
static struct fw_filter *fw_filter_alloc(u32 keys)
{
	unsigned long words = DIV_ROUND_UP(keys, FW_FILTER_KEYS_PER_WORD);
	struct fw_filter *f;

	words = roundup_pow_of_two(max_t(unsigned long, words,
					 FW_FILTER_MIN_WORDS));
	f = kvzalloc(struct_size(f, words, words), GFP_KERNEL);
	if (f)
		f->shift = 64 - ilog2(words);
	return f;
}

/*
 * A new filter of every key in @set, with room for twice as many. On any
 * failure the old filter stays: it still holds every key, only fuller.
 */
static void fw_filter_rebuild(struct fw_set *set)
{
	struct fw_filter *f = fw_filter_alloc(2 * set->count);
	struct rhashtable_iter iter;
	struct fw_entry *e;
	u32 n = 0;

	if (!f)
		return;
	rhashtable_walk_enter(&set->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((e = rhashtable_walk_next(&iter))) {
		/* -EAGAIN: the table was resized, the walk starts over. */
		if (IS_ERR(e)) {
			if (PTR_ERR(e) == -EAGAIN)
				continue;
			break;
		}
		fw_filter_add(f, &e->key);
		if (!(++n % 4096)) {
			/* Writers are out (the mutex): nothing is missed. */
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	/* A walk that ended early or came short would lose keys. */
	if (e || n < set->count) {
		kvfree(f);
		return;
	}
	set->filter_room = fw_filter_capacity(f) - set->count;
	f = rcu_replace_pointer(set->filter, f, true);
	kvfree_rcu(f, rcu);
}

static int fam_idx(u8 family)
{
	return family == ARC_PKT_IPV6;
}

unsigned int fw_prefix_max(u8 family)
{
	return family == ARC_PKT_IPV4 ? 32 : 128;
}

/* The first @bits (0 to 32) bits of a word in network order. */
static __be32 fw_mask32(unsigned int bits)
{
	return bits ? htonl(~0U << (32 - bits)) : 0;
}

/* @dst = the first @plen bits of the address @src, the rest zero. */
static __always_inline void fw_mask(__be32 *dst, const __be32 *src,
				    unsigned int plen)
{
	unsigned int i, bits;

	for (i = 0; i < 4; i++, plen -= bits) {
		bits = min(plen, 32U);
		dst[i] = src[i] & fw_mask32(bits);
	}
}

/* Copy a packet's address into whole words, zero-padded for IPv4. */
static __always_inline void fw_load_addr(__be32 *dst, u8 family,
					 const u8 *addr)
{
	memset(dst, 0, 16);
	if (family == ARC_PKT_IPV4)
		memcpy(dst, addr, 4);
	else
		memcpy(dst, addr, 16);
}

bool fw_prefix_contains(const struct fw_prefix *p, u8 family, const u8 *addr)
{
	struct fw_prefix k = { .family = family, .plen = p->plen };
	__be32 a[4];

	if (p->family != family)
		return false;
	fw_load_addr(a, family, addr);
	fw_mask(k.addr32, a, p->plen);
	return fw_prefix_equal(&k, p);
}

bool fw_prefix_valid(const struct fw_prefix *p)
{
	if (p->family != ARC_PKT_IPV4 && p->family != ARC_PKT_IPV6)
		return false;
	if (p->plen > fw_prefix_max(p->family) || p->pad[0] || p->pad[1])
		return false;
	/* Host bits zero (and for IPv4 the unused 12 bytes too). */
	return fw_prefix_contains(p, p->family, p->addr);
}

/**
 * fw_prefix_parse() - parse "ADDR" or "ADDR/LEN", IPv4 or IPv6
 * @s: the text, NUL-terminated
 * @p: the result; host bits must be zero
 *
 * Return: 0, or -EINVAL for anything else.
 */
int fw_prefix_parse(const char *s, struct fw_prefix *p)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? slash - s : strlen(s);
	const char *end;
	unsigned int plen;

	memset(p, 0, sizeof(*p));
	if (in4_pton(s, alen, p->addr, -1, &end) && end == s + alen)
		p->family = ARC_PKT_IPV4;
	else if (in6_pton(s, alen, p->addr, -1, &end) && end == s + alen)
		p->family = ARC_PKT_IPV6;
	else
		return -EINVAL;
	plen = fw_prefix_max(p->family);
	if (slash && (kstrtouint(slash + 1, 10, &plen) ||
		      plen > fw_prefix_max(p->family)))
		return -EINVAL;
	p->plen = plen;
	return fw_prefix_valid(p) ? 0 : -EINVAL;
}

struct fw_set *fw_set_new(void)
{
	struct fw_set *set = kvzalloc(sizeof(*set), GFP_KERNEL);
	struct fw_filter *filter;

	if (!set)
		return NULL;
	filter = fw_filter_alloc(0);
	if (!filter || rhashtable_init(&set->ht, &fw_ht_params)) {
		kvfree(filter);
		kvfree(set);
		return NULL;
	}
	RCU_INIT_POINTER(set->filter, filter);
	set->filter_room = fw_filter_capacity(filter);
	refcount_set(&set->ref, 1);
	return set;
}

/**
 * fw_entry_free() - return an entry's memory (counter.c decides when)
 * @e: an entry nothing can reach
 */
void fw_entry_free(struct fw_entry *e)
{
	kmem_cache_free(fw_entry_cache, e);
}

static void fw_entry_free_ht(void *ptr, void *arg)
{
	fw_entry_retire(ptr, false);
}

/**
 * fw_set_put() - drop a reference; the last one frees the set
 * @set: a set no packet can reach any more (callers that took it off the
 *	namespace waited for an RCU grace period first)
 */
void fw_set_put(struct fw_set *set)
{
	if (!set || !refcount_dec_and_test(&set->ref))
		return;
	rhashtable_free_and_destroy(&set->ht, fw_entry_free_ht, NULL);
	kvfree(rcu_dereference_protected(set->filter, true));
	kvfree(set);
}

/**
 * fw_set_lookup() - the longest prefix in @set containing @addr
 * @set: the set, under rcu_read_lock()
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @addr: address, network order
 *
 * Return: the matching entry or NULL.
 */
struct fw_entry *fw_set_lookup(struct fw_set *set, u8 family, const u8 *addr)
{
	unsigned int max = fw_prefix_max(family);
	const unsigned long *lens = set->lens[fam_idx(family)];
	const struct fw_filter *f = rcu_dereference(set->filter);
	struct fw_prefix key = { .family = family };
	struct fw_entry *e;
	unsigned int w;
	__be32 a[4];

	fw_load_addr(a, family, addr);
	/*
	 * The set bits upwards (longest prefix first), a word at a time, so
	 * no call per length: IPv4's 33 bits are one word. Writers flip bits
	 * atomically, so a word read once is a consistent view of its bits.
	 */
	for (w = 0; w <= max / BITS_PER_LONG; w++) {
		unsigned long bits = READ_ONCE(lens[w]);

		while (bits) {
			key.plen = max - (w * BITS_PER_LONG + __ffs(bits));
			bits &= bits - 1;
			if (family == ARC_PKT_IPV4)	/* the rest stays zero */
				key.addr32[0] = a[0] & fw_mask32(key.plen);
			else
				fw_mask(key.addr32, a, key.plen);
			if (!fw_filter_test(f, &key))
				continue;
			e = rhashtable_lookup(&set->ht, &key, fw_ht_params);
			if (e)
				return e;
		}
	}
	return NULL;
}

/**
 * fw_set_find() - the entry for exactly this prefix
 * @set: the set (RCU or the writer's mutex)
 * @p: a valid prefix
 *
 * Return: the entry or NULL.
 */
struct fw_entry *fw_set_find(struct fw_set *set, const struct fw_prefix *p)
{
	return rhashtable_lookup_fast(&set->ht, p, fw_ht_params);
}

/**
 * fw_set_insert() - add a prefix (writer's mutex held)
 * @set: the set
 * @p: a valid prefix
 *
 * Return: 0, -EEXIST if it is there already, -ENOMEM.
 */
int fw_set_insert(struct fw_set *set, const struct fw_prefix *p)
{
	int f = fam_idx(p->family);
	struct fw_entry *e;
	int err;

	e = kmem_cache_zalloc(fw_entry_cache, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->key = *p;
	/* The bits go in first: a reader that can find the entry passes. */
	if (!set->filter_room)
		fw_filter_rebuild(set);
	if (set->filter_room)
		set->filter_room--;
	fw_filter_add(rcu_dereference_protected(set->filter, true), p);
	err = rhashtable_lookup_insert_fast(&set->ht, &e->node, fw_ht_params);
	if (err) {
		kmem_cache_free(fw_entry_cache, e);
		return err;
	}
	if (!set->nr_len[f][p->plen]++)
		set_bit(fw_prefix_max(p->family) - p->plen, set->lens[f]);
	/* Read locklessly by the packet path (fw_hook()). */
	WRITE_ONCE(set->count, set->count + 1);
	return 0;
}

/**
 * fw_set_remove() - remove an entry (writer's mutex held)
 * @set: the set
 * @e: an entry of @set; freed after an RCU grace period
 */
void fw_set_remove(struct fw_set *set, struct fw_entry *e)
{
	int f = fam_idx(e->key.family);

	if (rhashtable_remove_fast(&set->ht, &e->node, fw_ht_params))
		return;
	if (!--set->nr_len[f][e->key.plen])
		clear_bit(fw_prefix_max(e->key.family) - e->key.plen,
			  set->lens[f]);
	WRITE_ONCE(set->count, set->count - 1);
	fw_entry_retire(e, true);
}

/**
 * fw_set_filter_bytes() - memory of a set's filter
 * @set: the set, under rcu_read_lock() or the writer's mutex
 *
 * Return: the filter's size in bytes.
 */
size_t fw_set_filter_bytes(struct fw_set *set)
{
	const struct fw_filter *f = rcu_dereference_check(set->filter, true);

	return struct_size(f, words, fw_filter_words(f));
}

int fw_table_init(void)
{
	/* Lookups touch one cache line per entry. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct fw_entry) > 64);
	fw_entry_cache = KMEM_CACHE(fw_entry, SLAB_HWCACHE_ALIGN);
	if (!fw_entry_cache)
		return -ENOMEM;
	fw_counters_init();
	return 0;
}

void fw_table_exit(void)
{
	/* Entries removed one by one may still wait for a grace period. */
	fw_counters_exit();
	kmem_cache_destroy(fw_entry_cache);
}
