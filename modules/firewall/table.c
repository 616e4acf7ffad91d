// SPDX-License-Identifier: GPL-2.0
/*
 * The blocklist: longest-prefix match over IPv4 and IPv6 prefixes (see
 * struct fw_set in table.h for the data model).
 */
#include <linux/inet.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <arc/arc.h>
#include <arc/memcg.h>
#include "table.h"

static struct kmem_cache *fw_entry_cache;
/*
 * Frees sets and retires tables that packets may have seen, a grace
 * period after they left.
 */
static struct workqueue_struct *fw_set_wq;
/* Sets and entries in memory, module-wide (debugfs: tests see them go). */
static atomic_long_t fw_nr_sets, fw_nr_entries;
/* Replaced tables whose retirement (fw_table_retire_work()) is pending. */
static atomic_t fw_tables_retiring;

#define FW_TABLE_MIN_SLOTS	64

static bool fw_prefix_equal(const struct fw_prefix *a,
			    const struct fw_prefix *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !((a->addr32[0] ^ b->addr32[0]) | (a->addr32[1] ^ b->addr32[1]) |
		 (a->addr32[2] ^ b->addr32[2]) | (a->addr32[3] ^ b->addr32[3]));
}

/*
 * A key's first slot: the filter's hash, keyed with the table's seed and
 * mixed once more. Unlike the filter's word, a slot must not be
 * predictable: a list built to fill one run of slots would make every
 * probe that lands in it walk the whole run.
 */
static __always_inline unsigned long fw_slot_index(const struct fw_table *t,
						   const struct fw_prefix *k)
{
	u64 h = fw_filter_hash(k) ^ t->seed;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return (h ^ h >> 33) >> t->shift;
}

static unsigned long fw_table_slots(const struct fw_table *t)
{
	return 1UL << (64 - t->shift);
}

/*
 * A table for @count entries: between a third and two thirds full, so
 * that it takes about as many inserts again before it is rebuilt.
 */
static struct fw_table *fw_table_alloc(u32 count)
{
	unsigned long n = roundup_pow_of_two(max_t(unsigned long,
						   count + count / 2 + 1,
						   FW_TABLE_MIN_SLOTS));
	size_t bytes = array_size(n, sizeof(struct fw_slot));
	struct fw_table *t = kmalloc(sizeof(*t), FW_GFP);

	if (!t)
		return NULL;
	/* kvmalloc() refuses more than INT_MAX bytes; vmalloc() does not. */
	if (bytes > INT_MAX)
		t->slots = __vmalloc(bytes, FW_GFP | __GFP_ZERO);
	else
		t->slots = kvzalloc(bytes, FW_GFP);
	if (!t->slots) {
		kfree(t);
		return NULL;
	}
	t->shift = 64 - ilog2(n);
	t->seed = get_random_u64();
	return t;
}

static void fw_table_free(struct fw_table *t)
{
	kvfree(t->slots);
	kfree(t);
}

/* The live slot of @k in @t, or NULL. Probes end at a free slot. */
static __always_inline struct fw_slot *fw_table_find(const struct fw_table *t,
						     const struct fw_prefix *k)
{
	unsigned long mask = fw_table_slots(t) - 1;
	unsigned long i = fw_slot_index(t, k);
	struct fw_slot *s;
	u32 state;

	for (;; i = (i + 1) & mask) {
		s = &t->slots[i];
		/* Acquire: pairs with fw_table_place() filling the slot. */
		state = smp_load_acquire(&s->state);
		if (state == FW_SLOT_FREE)
			return NULL;
		if (state == FW_SLOT_LIVE && fw_prefix_equal(&s->key, k))
			return s;
	}
}

/*
 * Give @e the first free slot of its probe sequence (writers only). A
 * free slot was never used, so its counters are zero.
 */
static void fw_table_place(struct fw_table *t, struct fw_entry *e,
			   struct fw_counter __percpu *pcpu, u32 owner)
{
	unsigned long mask = fw_table_slots(t) - 1;
	unsigned long i = fw_slot_index(t, &e->key);
	struct fw_slot *s;

	while (t->slots[i].state != FW_SLOT_FREE)
		i = (i + 1) & mask;
	s = &t->slots[i];
	s->key = e->key;
	s->entry = e;
	s->pcpu = pcpu;
	s->owner = owner;
	/* Release: a reader that sees the slot live sees all of it. */
	smp_store_release(&s->state, FW_SLOT_LIVE);
}

/* Add the counts of @t's slots to their entries, then free @t. */
static void fw_table_fold(struct fw_table *t)
{
	unsigned long i;

	for (i = 0; i < fw_table_slots(t); i++) {
		if (t->slots[i].state == FW_SLOT_LIVE)
			fw_slot_fold(&t->slots[i]);
		if (!(i % 4096))
			cond_resched();
	}
	fw_table_free(t);
}

static void fw_table_retire_work(struct work_struct *work)
{
	struct fw_table *t = container_of(to_rcu_work(work), struct fw_table,
					  retire_work);
	struct fw_set *set = t->set;

	fw_table_fold(t);
	atomic_dec(&fw_tables_retiring);
	fw_set_put(set);
}

/**
 * fw_table_sync() - wait until every table replaced so far is retired
 *
 * After it, the entries hold every count of the tables replaced before
 * the call, and those tables no longer reach them. Returns at once when
 * no retirement is pending, else sleeps for at least a grace period;
 * call it holding no lock.
 */
void fw_table_sync(void)
{
	if (!atomic_read(&fw_tables_retiring))
		return;
	/* The grace period's callback queues the work; then it runs. */
	rcu_barrier();
	flush_workqueue(fw_set_wq);
}

/*
 * Move every entry of @set into a new table sized for its entries (the
 * writers' mutex held): gone slots are dropped, the table grows or
 * shrinks. Packets may go on counting in the old slots until a grace
 * period has passed: a work item adds their counts to the entries after
 * it (fw_table_retire_work()), so no drop is lost and nobody waits for
 * the grace period. The table holds a reference to the set until then,
 * and entries are freed only after pending retirements (counter.c). On
 * failure the old table stays.
 */
static int fw_table_rebuild(struct fw_set *set, u32 count)
{
	struct fw_table *old = rcu_dereference_protected(set->table, true);
	struct fw_table *t = fw_table_alloc(count);
	struct fw_counter __percpu *pcpu;
	unsigned long i;
	struct fw_slot *s;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < fw_table_slots(old); i++) {
		s = &old->slots[i];
		if (s->state == FW_SLOT_LIVE) {
			/* Acquire: pairs with the worker's release. */
			pcpu = smp_load_acquire(&s->entry->pcpu);
			fw_table_place(t, s->entry, pcpu, READ_ONCE(s->owner));
		}
		if (!(i % 4096))
			cond_resched();
	}
	set->used = set->count;
	set->rebuilds++;
	rcu_assign_pointer(set->table, t);
	if (!set->live) {
		/* No packet has seen it: fold now. */
		fw_table_fold(old);
		return 0;
	}
	old->set = set;
	refcount_inc(&set->ref);
	atomic_inc(&fw_tables_retiring);
	INIT_RCU_WORK(&old->retire_work, fw_table_retire_work);
	queue_rcu_work(fw_set_wq, &old->retire_work);
	return 0;
}

/* An empty filter with room for @keys keys. */
static struct fw_filter *fw_filter_alloc(u32 keys)
{
	unsigned long words = DIV_ROUND_UP(keys, FW_FILTER_KEYS_PER_WORD);
	struct fw_filter *f;

	words = roundup_pow_of_two(max_t(unsigned long, words,
					 FW_FILTER_MIN_WORDS));
	f = kvzalloc(struct_size(f, words, words), FW_GFP);
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
	struct fw_table *t = rcu_dereference_protected(set->table, true);
	struct fw_filter *f = fw_filter_alloc(2 * set->count);
	unsigned long i;

	if (!f)
		return;
	for (i = 0; i < fw_table_slots(t); i++) {
		if (t->slots[i].state == FW_SLOT_LIVE)
			fw_filter_add(f, &t->slots[i].key);
		if (!(i % 4096))
			cond_resched();
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
	struct fw_set *set = kvzalloc(sizeof(*set), FW_GFP);
	struct fw_filter *filter;
	struct fw_table *t;

	if (!set)
		return NULL;
	filter = fw_filter_alloc(0);
	t = fw_table_alloc(0);
	if (!filter || !t) {
		if (t)
			fw_table_free(t);
		kvfree(filter);
		kvfree(set);
		return NULL;
	}
	RCU_INIT_POINTER(set->filter, filter);
	RCU_INIT_POINTER(set->table, t);
	set->filter_room = fw_filter_capacity(filter);
	refcount_set(&set->ref, 1);
	atomic_long_inc(&fw_nr_sets);
	return set;
}

/**
 * fw_entry_free() - return an entry's memory (counter.c decides when)
 * @e: an entry nothing can reach
 */
void fw_entry_free(struct fw_entry *e)
{
	arc_memcg_put(e->memcg);
	kmem_cache_free(fw_entry_cache, e);
	atomic_long_dec(&fw_nr_entries);
}

/**
 * fw_table_objects() - sets and entries in memory, module-wide
 * @sets: set to the number of sets not yet freed
 * @entries: set to the number of entries not yet freed
 */
void fw_table_objects(long *sets, long *entries)
{
	*sets = atomic_long_read(&fw_nr_sets);
	*entries = atomic_long_read(&fw_nr_entries);
}

/**
 * fw_set_put() - drop a reference; the last one frees the set
 * @set: a set no packet can reach any more (callers that took it off the
 *	namespace waited for an RCU grace period first)
 */
void fw_set_put(struct fw_set *set)
{
	struct fw_table *t;
	unsigned long i;

	if (!set || !refcount_dec_and_test(&set->ref))
		return;
	t = rcu_dereference_protected(set->table, true);
	for (i = 0; i < fw_table_slots(t); i++) {
		if (t->slots[i].state == FW_SLOT_LIVE)
			fw_entry_retire(t->slots[i].entry, false);
		if (!(i % 4096))
			cond_resched();
	}
	fw_table_free(t);
	kvfree(rcu_dereference_protected(set->filter, true));
	kvfree(set);
	atomic_long_dec(&fw_nr_sets);
}

static void fw_set_free_work(struct work_struct *work)
{
	fw_set_put(container_of(to_rcu_work(work), struct fw_set, free_work));
}

/**
 * fw_set_put_rcu() - drop a reference once packets can no longer see @set
 * @set: a set just taken off its namespace, or NULL
 *
 * Does not wait: the reference goes from a work item after an RCU grace
 * period, so that no command waits for one (and no lock is held across
 * one).
 */
void fw_set_put_rcu(struct fw_set *set)
{
	if (!set)
		return;
	INIT_RCU_WORK(&set->free_work, fw_set_free_work);
	queue_rcu_work(fw_set_wq, &set->free_work);
}

/**
 * fw_set_lookup() - the longest prefix in @set containing @addr
 * @set: the set, under rcu_read_lock()
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @addr: address, network order
 *
 * Return: the slot of the matching entry, or NULL.
 */
struct fw_slot *fw_set_lookup(struct fw_set *set, u8 family, const u8 *addr)
{
	unsigned int max = fw_prefix_max(family);
	const unsigned long *lens = set->lens[fam_idx(family)];
	const struct fw_filter *f = rcu_dereference(set->filter);
	const struct fw_table *t = rcu_dereference(set->table);
	struct fw_prefix key = { .family = family };
	struct fw_slot *s;
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
			s = fw_table_find(t, &key);
			if (s)
				return s;
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
	struct fw_slot *s = fw_table_find(rcu_dereference_check(set->table,
								true), p);

	return s ? s->entry : NULL;
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
	struct fw_table *t = rcu_dereference_protected(set->table, true);
	int f = fam_idx(p->family);
	struct fw_entry *e;
	int err;

	if (fw_table_find(t, p))
		return -EEXIST;
	/* At most three quarters used: probes stay short and end. */
	if ((set->used + 1) * 4ULL > fw_table_slots(t) * 3ULL) {
		err = fw_table_rebuild(set, set->count + 1);
		if (err)
			return err;
		t = rcu_dereference_protected(set->table, true);
	}
	e = kmem_cache_zalloc(fw_entry_cache, FW_GFP);
	if (!e)
		return -ENOMEM;
	atomic_long_inc(&fw_nr_entries);
	e->memcg = arc_memcg_get();
	e->key = *p;
	/* The bits go in first: a reader that can find the entry passes. */
	if (!set->filter_room)
		fw_filter_rebuild(set);
	if (set->filter_room)
		set->filter_room--;
	fw_filter_add(rcu_dereference_protected(set->filter, true), p);
	fw_table_place(t, e, NULL, 0);
	set->used++;
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
 *
 * A set left mostly empty by removals moves to a smaller table.
 */
void fw_set_remove(struct fw_set *set, struct fw_entry *e)
{
	struct fw_table *t = rcu_dereference_protected(set->table, true);
	struct fw_slot *s = fw_table_find(t, &e->key);
	int f = fam_idx(e->key.family);

	if (WARN_ON_ONCE(!s || s->entry != e))
		return;
	/* Packets still in the slot may count it: the entry goes later. */
	WRITE_ONCE(s->state, FW_SLOT_GONE);
	if (!--set->nr_len[f][e->key.plen])
		clear_bit(fw_prefix_max(e->key.family) - e->key.plen,
			  set->lens[f]);
	WRITE_ONCE(set->count, set->count - 1);
	fw_entry_retire(e, true);
	/* A failed shrink costs only memory: the table stays as it is. */
	if (fw_table_slots(t) > FW_TABLE_MIN_SLOTS &&
	    set->count < fw_table_slots(t) / 8)
		fw_table_rebuild(set, set->count);
}

/**
 * fw_walk_peek() - the slot a walk over @set is at
 * @set: the set (the writer's mutex held)
 * @w: the walk, zeroed to start at the first slot; the caller moves it on
 *	with ``w->pos++`` once it has used the slot
 *
 * A walk that finds the set in a table rebuilt since it last looked
 * starts again at the first slot of the new one, and sets @w->restarted:
 * it may see entries twice but misses none.
 *
 * Return: the next live slot, or NULL at the end of the set.
 */
struct fw_slot *fw_walk_peek(struct fw_set *set, struct fw_walk *w)
{
	struct fw_table *t = rcu_dereference_protected(set->table, true);

	if (w->started && w->rebuilds != set->rebuilds) {
		w->restarted = true;
		w->pos = 0;
	}
	w->started = true;
	w->rebuilds = set->rebuilds;
	for (; w->pos < fw_table_slots(t); w->pos++)
		if (t->slots[w->pos].state == FW_SLOT_LIVE)
			return &t->slots[w->pos];
	return NULL;
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

/**
 * fw_set_table_bytes() - memory of a set's table
 * @set: the set, under rcu_read_lock() or the writer's mutex
 *
 * Return: the size of the table's slots in bytes.
 */
size_t fw_set_table_bytes(struct fw_set *set)
{
	const struct fw_table *t = rcu_dereference_check(set->table, true);

	return fw_table_slots(t) * sizeof(struct fw_slot);
}

int fw_table_init(void)
{
	/* A hit reads one cache line. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct fw_slot) > 64);
	/* Entries are charged to the memory cgroup of whoever adds them. */
	fw_entry_cache = KMEM_CACHE(fw_entry, SLAB_ACCOUNT);
	if (!fw_entry_cache)
		return -ENOMEM;
	/* Unbound: 7.2 warns about one that says neither it nor WQ_PERCPU. */
	fw_set_wq = alloc_workqueue("arc_firewall_sets", WQ_UNBOUND, 0);
	if (!fw_set_wq) {
		kmem_cache_destroy(fw_entry_cache);
		return -ENOMEM;
	}
	fw_counters_init();
	return 0;
}

void fw_table_exit(void)
{
	/* Sets waiting for a grace period: their entries go to counter.c. */
	rcu_barrier();
	destroy_workqueue(fw_set_wq);
	/* Entries removed one by one may still wait for a grace period. */
	fw_counters_exit();
	kmem_cache_destroy(fw_entry_cache);
}
