// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_CORE: charging memory to the cgroup that caused it
 * (include/arc/memcg.h).
 */
#include <linux/memcontrol.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

#include <arc/memcg.h>

struct mem_cgroup *arc_memcg_get(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}
EXPORT_SYMBOL_ARC(arc_memcg_get, ARC_CORE);

void arc_memcg_put(struct mem_cgroup *memcg)
{
	mem_cgroup_put(memcg);
}
EXPORT_SYMBOL_ARC(arc_memcg_put, ARC_CORE);

/*
 * set_active_memcg() also serves interrupt context through a per-CPU
 * variable that 5.10 does not export, so a module calling it cannot load
 * there. Tasks need only their own field.
 */
struct mem_cgroup *arc_memcg_charge_begin(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *old = current->active_memcg;

	if (WARN_ON_ONCE(!in_task()))
		return NULL;
	current->active_memcg = memcg;
	return old;
#else
	return NULL;
#endif
}
EXPORT_SYMBOL_ARC(arc_memcg_charge_begin, ARC_CORE);

void arc_memcg_charge_end(struct mem_cgroup *old)
{
#ifdef CONFIG_MEMCG
	if (in_task())
		current->active_memcg = old;
#endif
}
EXPORT_SYMBOL_ARC(arc_memcg_charge_end, ARC_CORE);
