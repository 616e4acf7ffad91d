/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_FIREWALL_TABLE_H
#define _ARC_FIREWALL_TABLE_H

#include <linux/bitmap.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>

#include <arc/pkt.h>

#include "filter.h"

#define FW_MAX_PLEN	128

/** struct fw_counter - packets and bytes, one per CPU */
struct fw_counter {
	u64 packets;
	u64 bytes;
};

/**
 * struct fw_entry - one blocked prefix
 * @node: in &fw_set.ht
 * @key: the prefix
 * @state: FW_E_* phase and flag (counter.c), and in the high bits the
 *	CPU that has dropped all packets so far, or later the number of
 *	the per-CPU counter slot
 * @pcpu: per-CPU counters, NULL until a worker has given them
 * @packets: packets dropped before @pcpu existed
 * @bytes: bytes of those
 * @llnode: on the queue for per-CPU counters, later on the free queue
 *
 * 64 bytes, one cache line on x86-64. Drops count in @packets and @bytes
 * while one CPU has them all, in @pcpu once a worker has given the entry
 * per-CPU counters (after a drop on a second CPU). Readers add both, so
 * every packet is counted exactly once. Nothing is allocated in the
 * packet path (counter.c).
 */
struct fw_entry {
	struct rhash_head node;
	struct fw_prefix key;
	atomic_t state;
	struct fw_counter __percpu *pcpu;
	atomic64_t packets;
	atomic64_t bytes;
	struct llist_node llnode;
};

/**
 * struct fw_set - a blocklist with longest-prefix-match lookup
 * @ht: entries keyed by (family, prefix length, masked address)
 * @filter: every key in @ht has its bits set in it (RCU)
 * @filter_room: keys @filter takes before it is rebuilt (writers only)
 * @lens: per family (0: IPv4, 1: IPv6), bit i set when some entry has
 *	prefix length (max - i): iterating set bits upwards tries the
 *	longest prefixes first
 * @nr_len: per family and prefix length, number of entries
 * @count: entries in @ht
 * @ref: the namespace holds one reference while the set is live, each
 *	running dump one more
 *
 * A lookup costs one filter test per distinct prefix length present, not
 * per entry, and a hash probe for each length the filter lets through.
 * Readers run under RCU; writers hold the namespace's mutex.
 */
struct fw_set {
	struct rhashtable ht;
	struct fw_filter __rcu *filter;
	u32 filter_room;
	DECLARE_BITMAP(lens[2], FW_MAX_PLEN + 1);
	u32 nr_len[2][FW_MAX_PLEN + 1];
	u32 count;
	refcount_t ref;
};

int fw_table_init(void);
void fw_table_exit(void);

struct fw_set *fw_set_new(void);
void fw_set_put(struct fw_set *set);
struct fw_entry *fw_set_lookup(struct fw_set *set, u8 family,
			       const u8 *addr);
struct fw_entry *fw_set_find(struct fw_set *set, const struct fw_prefix *p);
int fw_set_insert(struct fw_set *set, const struct fw_prefix *p);
void fw_set_remove(struct fw_set *set, struct fw_entry *e);
size_t fw_set_filter_bytes(struct fw_set *set);

void fw_entry_free(struct fw_entry *e);

/* counter.c */
void fw_counter_read(struct fw_counter __percpu *c, u64 *packets, u64 *bytes);
void fw_entry_count(struct fw_entry *e, unsigned int bytes);
void fw_entry_read(const struct fw_entry *e, u64 *packets, u64 *bytes);
void fw_entry_retire(struct fw_entry *e, bool rcu);
void fw_counters_init(void);
void fw_counters_exit(void);

unsigned int fw_prefix_max(u8 family);
bool fw_prefix_valid(const struct fw_prefix *p);
bool fw_prefix_contains(const struct fw_prefix *p, u8 family, const u8 *addr);
int fw_prefix_parse(const char *s, struct fw_prefix *p);

#endif /* _ARC_FIREWALL_TABLE_H */
