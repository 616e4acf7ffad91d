// SPDX-License-Identifier: GPL-2.0
/*
 * Per-entry drop counters, per CPU, and the end of an entry's life.
 *
 * An entry starts with only the two atomics in its slot, the cache line
 * a lookup has just read: while a single CPU drops its packets they are
 * that CPU's counters in all but name, and cost no extra cache miss. The
 * first drop on a second CPU queues the entry for a worker, which gives
 * it a slot of per-CPU counters; once the packet path has copied them
 * into the table's slot, drops touch only the dropping CPU's counters,
 * so CPUs dropping the same prefix never share a counter line. Per-CPU
 * slots come from chunks of FW_CHUNK_SLOTS, one percpu allocation each,
 * so a large list that starts matching does not cost one percpu
 * allocation per entry, and nothing is allocated in the packet path.
 * A chunk is charged to the memory cgroup of the entries it serves (each
 * entry remembers whoever added it): entries of different cgroups never
 * share a chunk, and a chunk goes when its last slot does.
 *
 * @state of an entry (table.h) holds its phase in the low bits:
 *
 *   FW_E_NEW    one CPU has dropped all its packets so far (which one is
 *               the table slot's @owner hint)
 *   FW_E_QUEUED a second CPU dropped one (packet path)
 *   FW_E_SETTLED the worker's verdict: the slot number goes in the high
 *               bits, and @pcpu stays NULL if no slot could be had
 *
 * plus FW_E_DEAD once the entry has left its set. While an entry is
 * QUEUED the worker owns @llnode, so the worker, not the remover, sends a
 * dead queued entry on to be freed. Entries freed while packets may still
 * see them go through fw_free_work, which waits one grace period for a
 * whole batch.
 */
#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <arc/arc.h>
#include <arc/memcg.h>
#include "table.h"

#define FW_E_NEW	0
#define FW_E_QUEUED	1
#define FW_E_SETTLED	2
#define FW_E_PHASE	3
#define FW_E_DEAD	4
#define FW_E_SLOT_SHIFT	3

/*
 * Entries wait this long for their per-CPU counters, so that the worker
 * takes them in batches: a large list starting to match on several CPUs
 * under a flood would otherwise wake it for nearly every packet.
 */
#define FW_PCPU_DELAY	msecs_to_jiffies(10)

/* 4 KiB of counters per CPU per chunk. */
#define FW_CHUNK_SLOTS	(PAGE_SIZE / sizeof(struct fw_counter))
#define FW_MAX_CHUNKS	((U32_MAX >> FW_E_SLOT_SHIFT) / FW_CHUNK_SLOTS)

/**
 * struct fw_chunk - FW_CHUNK_SLOTS per-CPU counter slots
 * @base: the slots
 * @id: index in fw_chunks; slot numbers are @id * FW_CHUNK_SLOTS + i
 * @used: slots handed out
 * @partial: on fw_partial while some slot is free
 * @memcg: the memory cgroup the chunk is charged to, that of every entry
 *	it serves (whose references keep it alive while @used)
 * @map: which slots are handed out
 */
struct fw_chunk {
	struct fw_counter __percpu *base;
	u32 id;
	unsigned int used;
	struct list_head partial;
	struct mem_cgroup *memcg;
	DECLARE_BITMAP(map, FW_CHUNK_SLOTS);
};

static DEFINE_MUTEX(fw_pool_lock);	/* guards the chunks and the numbers */
static DEFINE_XARRAY_ALLOC(fw_chunks);
static LIST_HEAD(fw_partial);
static unsigned int fw_nr_chunks, fw_nr_slots;
static struct dentry *fw_debugfs;

static LLIST_HEAD(fw_pending);	/* entries waiting for per-CPU counters */
static LLIST_HEAD(fw_dead);	/* entries to free after a grace period */

/* A new chunk charged to @memcg, on fw_partial; NULL at its limit. */
static struct fw_chunk *fw_chunk_new(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = arc_memcg_charge_begin(memcg);
	struct fw_chunk *chunk;

	chunk = kzalloc(sizeof(*chunk), FW_GFP);
	if (chunk)
		chunk->base = __alloc_percpu_gfp(FW_CHUNK_SLOTS *
						 sizeof(struct fw_counter),
						 __alignof__(struct fw_counter),
						 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	arc_memcg_charge_end(old);
	if (!chunk || !chunk->base ||
	    xa_alloc(&fw_chunks, &chunk->id, chunk,
		     XA_LIMIT(0, FW_MAX_CHUNKS - 1), GFP_KERNEL)) {
		if (chunk)
			free_percpu(chunk->base);
		kfree(chunk);
		return NULL;
	}
	chunk->memcg = memcg;
	list_add(&chunk->partial, &fw_partial);
	fw_nr_chunks++;
	return chunk;
}

static struct fw_counter __percpu *fw_slot_alloc(struct mem_cgroup *memcg,
						 u32 *slot)
{
	struct fw_counter __percpu *c;
	struct fw_chunk *chunk;
	unsigned int i;
	int cpu;

	lockdep_assert_held(&fw_pool_lock);
	/* At most a partial chunk or two per cgroup: a short walk. */
	list_for_each_entry(chunk, &fw_partial, partial)
		if (chunk->memcg == memcg)
			goto found;
	chunk = fw_chunk_new(memcg);
	if (!chunk)
		return NULL;
found:
	i = find_first_zero_bit(chunk->map, FW_CHUNK_SLOTS);
	__set_bit(i, chunk->map);
	if (++chunk->used == FW_CHUNK_SLOTS)
		list_del_init(&chunk->partial);
	/* A slot freed earlier still holds its last owner's counts. */
	c = chunk->base + i;
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(c, cpu), 0, sizeof(struct fw_counter));
	*slot = chunk->id * FW_CHUNK_SLOTS + i;
	fw_nr_slots++;
	return c;
}

static void fw_slot_free(u32 slot)
{
	struct fw_chunk *chunk;

	lockdep_assert_held(&fw_pool_lock);
	chunk = xa_load(&fw_chunks, slot / FW_CHUNK_SLOTS);
	if (WARN_ON_ONCE(!chunk ||
			 !__test_and_clear_bit(slot % FW_CHUNK_SLOTS,
					       chunk->map)))
		return;
	fw_nr_slots--;
	if (chunk->used-- == FW_CHUNK_SLOTS)
		list_add(&chunk->partial, &fw_partial);
	if (chunk->used)
		return;
	list_del(&chunk->partial);
	xa_erase(&fw_chunks, chunk->id);
	free_percpu(chunk->base);
	kfree(chunk);
	fw_nr_chunks--;
}

/* Free @e and its slot now: nothing can reach it any more. */
static void fw_entry_destroy(struct fw_entry *e)
{
	if (e->pcpu) {
		mutex_lock(&fw_pool_lock);
		fw_slot_free((u32)atomic_read(&e->state) >> FW_E_SLOT_SHIFT);
		mutex_unlock(&fw_pool_lock);
	}
	fw_entry_free(e);
}

static void fw_free_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&fw_dead);
	struct fw_entry *e, *tmp;

	/* Everything on @list had left its set before this grace period. */
	synchronize_rcu();
	/*
	 * A table replaced before they left may still have their slots: its
	 * retirement adds their counts to them, so it goes first.
	 */
	fw_table_sync();
	llist_for_each_entry_safe(e, tmp, list, llnode) {
		fw_entry_destroy(e);
		cond_resched();
	}
}

static DECLARE_WORK(fw_free_work, fw_free_work_fn);

static void fw_entry_free_rcu(struct fw_entry *e)
{
	if (llist_add(&e->llnode, &fw_dead))
		queue_work(system_unbound_wq, &fw_free_work);
}

static void fw_pcpu_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&fw_pending);
	struct fw_counter __percpu *c;
	struct fw_entry *e, *tmp;
	u32 slot;
	int old;

	mutex_lock(&fw_pool_lock);
	llist_for_each_entry_safe(e, tmp, list, llnode) {
		if (atomic_read(&e->state) & FW_E_DEAD) {
			fw_entry_free_rcu(e);
			continue;
		}
		slot = 0;
		c = fw_slot_alloc(e->memcg, &slot);
		/*
		 * Release: packets that see @c see it zeroed. Published
		 * before the phase changes, so a remover that sees
		 * FW_E_SETTLED finds the slot. Without a slot the entry
		 * keeps counting in its atomics, exactly, for good.
		 */
		smp_store_release(&e->pcpu, c);
		old = atomic_cmpxchg(&e->state, FW_E_QUEUED,
				     FW_E_SETTLED | slot << FW_E_SLOT_SHIFT);
		if (old != FW_E_QUEUED) {
			/* Removed meanwhile; packets may have seen @c. */
			atomic_set(&e->state, FW_E_SETTLED | FW_E_DEAD |
				   slot << FW_E_SLOT_SHIFT);
			fw_entry_free_rcu(e);
		}
		cond_resched();
	}
	mutex_unlock(&fw_pool_lock);
}

static DECLARE_DELAYED_WORK(fw_pcpu_work, fw_pcpu_work_fn);

/* A drop on a CPU other than the slot's owner: per-CPU counters. */
static void fw_slot_share(struct fw_slot *s)
{
	struct fw_entry *e = s->entry;
	struct fw_counter __percpu *c;

	/* Acquire: pairs with the worker's release of a zeroed slot. */
	c = smp_load_acquire(&e->pcpu);
	if (c) {
		/* Release: passes the zeroed counters on to the next reader. */
		smp_store_release(&s->pcpu, c);
		return;
	}
	if (atomic_read(&e->state) == FW_E_NEW &&
	    atomic_cmpxchg(&e->state, FW_E_NEW, FW_E_QUEUED) == FW_E_NEW &&
	    llist_add(&e->llnode, &fw_pending))
		queue_delayed_work(system_unbound_wq, &fw_pcpu_work,
				   FW_PCPU_DELAY);
}

/**
 * fw_slot_count() - count one dropped packet against a slot's entry
 * @s: the matching slot (under RCU, softirq context)
 * @bytes: the packet's length
 */
void fw_slot_count(struct fw_slot *s, unsigned int bytes)
{
	struct fw_counter __percpu *c;
	u32 mine, owner;

	/* Acquire: pairs with fw_slot_share()'s release. */
	c = smp_load_acquire(&s->pcpu);
	if (likely(c)) {
		this_cpu_inc(c->packets);
		this_cpu_add(c->bytes, bytes);
		return;
	}
	atomic64_inc(&s->packets);
	atomic64_add(bytes, &s->bytes);
	/* Only a hint of who counts: exact on whichever CPU this ends. */
	mine = raw_smp_processor_id() + 1;
	owner = READ_ONCE(s->owner);
	if (likely(owner == mine))
		return;
	/*
	 * The first drop claims the slot. A CPU that loses that race has
	 * seen a second CPU drop and shares now: the winner may never drop
	 * again, and the loser's next drop may never come.
	 */
	if (!owner)
		owner = cmpxchg(&s->owner, 0, mine);
	if (owner && owner != mine)
		fw_slot_share(s);
}

/**
 * fw_counter_read() - the sum of per-CPU counters over every CPU
 * @c: the counters
 * @packets: their packets
 * @bytes: their bytes
 */
void fw_counter_read(struct fw_counter __percpu *c, u64 *packets, u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct fw_counter *p = per_cpu_ptr(c, cpu);

		*packets += READ_ONCE(p->packets);
		*bytes += READ_ONCE(p->bytes);
	}
}

/**
 * fw_slot_read() - the counters of a slot's entry
 * @s: the slot, in its set's current table (the writer's mutex held, so
 *	that the table stays); drops that packets counted in a table
 *	replaced less than a grace period ago join once it is retired
 *	(fw_table_sync())
 * @packets: packets dropped
 * @bytes: bytes dropped
 */
void fw_slot_read(const struct fw_slot *s, u64 *packets, u64 *bytes)
{
	const struct fw_entry *e = s->entry;
	struct fw_counter __percpu *c;

	/* Acquire: pairs with the worker's release of a zeroed slot. */
	c = smp_load_acquire(&e->pcpu);
	if (c)
		fw_counter_read(c, packets, bytes);
	else
		*packets = *bytes = 0;
	*packets += atomic64_read(&e->packets) + atomic64_read(&s->packets);
	*bytes += atomic64_read(&e->bytes) + atomic64_read(&s->bytes);
}

/**
 * fw_slot_fold() - keep the counts of a slot its table no longer has
 * @s: a slot of a replaced table that no packet can reach any more
 */
void fw_slot_fold(const struct fw_slot *s)
{
	atomic64_add(atomic64_read(&s->packets), &s->entry->packets);
	atomic64_add(atomic64_read(&s->bytes), &s->entry->bytes);
}

/**
 * fw_entry_retire() - an entry has left its set: free it
 * @e: the entry
 * @rcu: packets may still see @e (it was just unlinked), so wait for a
 *	grace period; false when the set is being destroyed after one
 *
 * An entry queued for per-CPU counters is freed by the worker instead.
 */
void fw_entry_retire(struct fw_entry *e, bool rcu)
{
	int old = atomic_fetch_or(FW_E_DEAD, &e->state);

	if ((old & FW_E_PHASE) == FW_E_QUEUED)
		return;
	if (rcu)
		fw_entry_free_rcu(e);
	else
		fw_entry_destroy(e);
}

static int fw_slots_show(struct seq_file *m, void *v)
{
	long sets, entries;

	fw_table_objects(&sets, &entries);
	seq_printf(m, "sets %ld\nentries %ld\n", sets, entries);
	mutex_lock(&fw_pool_lock);
	seq_printf(m, "entries_with_percpu_counters %u\nchunks %u\nbytes_per_cpu %lu\n",
		   fw_nr_slots, fw_nr_chunks, fw_nr_chunks * PAGE_SIZE);
	mutex_unlock(&fw_pool_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fw_slots);

/**
 * fw_counters_init() - publish the slot numbers in debugfs
 *
 * /sys/kernel/debug/arc_firewall/counters, module-wide. debugfs is a
 * diagnostic: failing to create it does not stop the module.
 */
void fw_counters_init(void)
{
	fw_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0444, fw_debugfs, NULL,
			    &fw_slots_fops);
}

/**
 * fw_counters_exit() - wait until every retired entry is freed
 *
 * Called after every set is gone, so nothing queues new work.
 */
void fw_counters_exit(void)
{
	debugfs_remove_recursive(fw_debugfs);
	flush_delayed_work(&fw_pcpu_work);
	flush_work(&fw_free_work);
	WARN_ON(!xa_empty(&fw_chunks));
	xa_destroy(&fw_chunks);
}
