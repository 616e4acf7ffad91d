/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc core: charging memory to the cgroup that caused it (ARC_CORE).
 *
 * Memory a user makes a module hold belongs in that user's memory cgroup.
 * Allocations made in the user's own context charge it with
 * __GFP_ACCOUNT (GFP_KERNEL_ACCOUNT); these helpers serve the ones a
 * module makes later, from a work item, on the user's behalf: remember
 * the cgroup (arc_memcg_get()) while the user is the caller, and charge
 * to it from the worker (arc_memcg_charge_begin()). On a kernel built
 * without memory cgroups they do nothing and the cgroup is NULL.
 */
#ifndef _ARC_MEMCG_H
#define _ARC_MEMCG_H

#include <arc/arc.h>

struct mem_cgroup;

/**
 * arc_memcg_get() - the memory cgroup of the calling task, referenced
 *
 * Return: the cgroup that the caller's __GFP_ACCOUNT allocations are
 * charged to (the root cgroup for a kernel thread), with a reference for
 * arc_memcg_put(); NULL if the kernel has no memory cgroups.
 */
struct mem_cgroup *arc_memcg_get(void);

/**
 * arc_memcg_put() - drop a reference from arc_memcg_get()
 * @memcg: the cgroup, or NULL
 */
void arc_memcg_put(struct mem_cgroup *memcg);

/**
 * arc_memcg_charge_begin() - charge this task's allocations to a cgroup
 * @memcg: the cgroup that __GFP_ACCOUNT allocations of the calling task
 *	are charged to until arc_memcg_charge_end(); NULL charges them as
 *	usual
 *
 * Process context only (a work item charging on a user's behalf); may
 * nest. It is the kernel's set_active_memcg() for tasks, which not every
 * supported kernel exports in full.
 *
 * Return: the previous target, for arc_memcg_charge_end().
 */
struct mem_cgroup *arc_memcg_charge_begin(struct mem_cgroup *memcg);

/**
 * arc_memcg_charge_end() - end what arc_memcg_charge_begin() began
 * @old: what it returned
 */
void arc_memcg_charge_end(struct mem_cgroup *old);

#endif /* _ARC_MEMCG_H */
