/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_FIREWALL_TABLE_H
#define _ARC_FIREWALL_TABLE_H

#include <linux/bitmap.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

#include <arc/pkt.h>

#include "filter.h"

#define FW_MAX_PLEN	128

/*
 * Memory a namespace's user makes the module hold is charged to their
 * memory cgroup; at its limit a request fails with ENOMEM (no OOM kill,
 * no warning: the user asked for too much).
 */
#define FW_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/** struct fw_counter - packets and bytes, one per CPU */
struct fw_counter {
	u64 packets;
	u64 bytes;
};

/**
 * struct fw_entry - one blocked prefix, where it lives longer than a slot
 * @key: the prefix
 * @state: FW_E_* phase and flag (counter.c), and in the high bits the
 *	number of the per-CPU counter slot
 * @pcpu: per-CPU counters, NULL until a worker has given them
 * @memcg: the memory cgroup of whoever added the entry (referenced): the
 *	worker charges its per-CPU counters there
 * @packets: drops counted in the slots of tables since replaced (added
 *	by the worker that retires a replaced table)
 * @bytes: bytes of those
 * @llnode: on the queue for per-CPU counters, later on the free queue
 *
 * A hit reads its slot only (struct fw_slot); the packet path comes to
 * the entry only when a second CPU drops its packets (counter.c). An
 * entry holds what must outlive a slot, which moves each time the table
 * is rebuilt.
 */
struct fw_entry {
	struct fw_prefix key;
	atomic_t state;
	struct fw_counter __percpu *pcpu;
	struct mem_cgroup *memcg;
	atomic64_t packets;
	atomic64_t bytes;
	struct llist_node llnode;
};

/**
 * struct fw_slot - an entry's place in the table, with the counters of
 *	the drops it has seen
 * @key: a copy of the entry's prefix, compared here by a lookup
 * @state: FW_SLOT_FREE, FW_SLOT_LIVE or FW_SLOT_GONE
 * @owner: the CPU (plus one) that has dropped packets counted in @packets
 *	so far, 0 before the first drop: a hint only
 * @entry: the entry
 * @pcpu: the entry's per-CPU counters once the packet path has seen them
 * @packets: drops counted in this slot
 * @bytes: bytes of those
 *
 * One cache line: a lookup that hits reads this line and nothing else
 * of the table, nor of the entry. Drops count in @packets and @bytes
 * while one CPU has them all, in @pcpu once the entry has per-CPU
 * counters (counter.c). An entry's count is the sum of its slot's, its
 * per-CPU counters and its own (earlier slots').
 */
struct fw_slot {
	struct fw_prefix key;
	u32 state;
	u32 owner;
	struct fw_entry *entry;
	struct fw_counter __percpu *pcpu;
	atomic64_t packets;
	atomic64_t bytes;
} __aligned(64);

#define FW_SLOT_FREE	0
#define FW_SLOT_LIVE	1
#define FW_SLOT_GONE	2

/**
 * struct fw_table - open addressing over slots, probed linearly
 * @shift: 64 - log2 of the number of slots: a key's first slot is the
 *	top bits of its hash
 * @seed: keys the slot a key starts its probe at
 * @slots: the slots; a free slot ends a probe, a gone one does not
 * @set: once replaced, the set it belonged to (referenced until the
 *	table is retired)
 * @retire_work: retires a replaced table a grace period later
 */
struct fw_table {
	unsigned int shift;
	u64 seed;
	struct fw_slot *slots;
	struct fw_set *set;
	struct rcu_work retire_work;
};

/**
 * struct fw_set - a blocklist with longest-prefix-match lookup
 * @table: the slots of every entry (RCU)
 * @filter: every key in @table has its bits set in it (RCU)
 * @filter_room: keys @filter takes before it is rebuilt (writers only)
 * @used: slots of @table not free, live or gone (writers only)
 * @rebuilds: tables @set has had before @table (writers only)
 * @live: packets may see the set: a rebuilt table's old slots may still
 *	count drops for a grace period (writers only)
 * @lens: per family (0: IPv4, 1: IPv6), bit i set when some entry has
 *	prefix length (max - i): iterating set bits upwards tries the
 *	longest prefixes first
 * @nr_len: per family and prefix length, number of entries
 * @count: entries in @table
 * @ref: the namespace holds one reference while the set is live
 * @free_work: drops the namespace's reference a grace period after the
 *	set stopped being live (fw_set_put_rcu())
 *
 * A lookup costs one filter test per distinct prefix length present, not
 * per entry, and a table probe for each length the filter lets through.
 * Readers run under RCU; writers hold the namespace's mutex. Slots are
 * never reused in place: an insert takes a free slot, a removal leaves a
 * gone one, and a table with too few free slots is rebuilt into a new
 * one.
 */
struct fw_set {
	struct fw_table __rcu *table;
	struct fw_filter __rcu *filter;
	u32 filter_room;
	u32 used;
	u32 rebuilds;
	bool live;
	DECLARE_BITMAP(lens[2], FW_MAX_PLEN + 1);
	u32 nr_len[2][FW_MAX_PLEN + 1];
	u32 count;
	refcount_t ref;
	struct rcu_work free_work;
};

/**
 * struct fw_walk - a walk over a set's slots that may span mutex holds
 * @rebuilds: the set's @rebuilds when the walk was last in it
 * @pos: the next slot to look at
 * @started: the walk has looked at a slot
 * @restarted: the table was rebuilt under the walk, which began again
 */
struct fw_walk {
	u32 rebuilds;
	unsigned long pos;
	bool started;
	bool restarted;
};

int fw_table_init(void);
void fw_table_exit(void);

struct fw_set *fw_set_new(void);
void fw_set_put(struct fw_set *set);
void fw_set_put_rcu(struct fw_set *set);
struct fw_slot *fw_set_lookup(struct fw_set *set, u8 family,
			      const u8 *addr);
struct fw_entry *fw_set_find(struct fw_set *set, const struct fw_prefix *p);
int fw_set_insert(struct fw_set *set, const struct fw_prefix *p);
void fw_set_remove(struct fw_set *set, struct fw_entry *e);
size_t fw_set_filter_bytes(struct fw_set *set);
size_t fw_set_table_bytes(struct fw_set *set);
struct fw_slot *fw_walk_peek(struct fw_set *set, struct fw_walk *w);
void fw_table_sync(void);

void fw_entry_free(struct fw_entry *e);
void fw_table_objects(long *sets, long *entries);

/* counter.c */
void fw_counter_read(struct fw_counter __percpu *c, u64 *packets, u64 *bytes);
void fw_slot_count(struct fw_slot *s, unsigned int bytes);
void fw_slot_read(const struct fw_slot *s, u64 *packets, u64 *bytes);
void fw_slot_fold(const struct fw_slot *s);
void fw_entry_retire(struct fw_entry *e, bool rcu);
void fw_counters_init(void);
void fw_counters_exit(void);

unsigned int fw_prefix_max(u8 family);
bool fw_prefix_valid(const struct fw_prefix *p);
bool fw_prefix_contains(const struct fw_prefix *p, u8 family, const u8 *addr);
int fw_prefix_parse(const char *s, struct fw_prefix *p);

#endif /* _ARC_FIREWALL_TABLE_H */
