/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_KVM: a virtual machine with one vCPU, driven from the kernel through
 * the stock KVM of the running kernel. Import with ARC_IMPORT_NS(ARC_KVM).
 *
 * kvm.ko exports nothing a module may rely on from one kernel to the
 * next, so arc drives KVM the way userspace does: it opens /dev/kvm and
 * calls the ioctls of the KVM files itself. That fixes how it must be
 * used:
 *
 * - In the calling process, from start to end. KVM ties a VM to the mm
 *   that created it (every ioctl from another mm fails with EIO), copies
 *   ioctl arguments from user memory, and its vCPU must run in a task
 *   with user context (a kthread trips the FPU code). Create, run and
 *   destroy an arc_kvm within one system call of the process it serves,
 *   e.g. one ioctl of the module's character device.
 * - In the caller's memory: the guest's RAM and a page for ioctl
 *   arguments are mappings in the caller's address space, charged to it
 *   like any of its memory. Its other threads can read and write them,
 *   and the vCPU's shared page (struct kvm_run) too: arc reads every
 *   field of it once, checks it, and never trusts it twice. A guest's
 *   RAM is the caller's own memory: nothing in it is trusted either.
 * - The caller needs /dev/kvm: it is opened with the caller's
 *   credentials, so permission is what the caller itself would get.
 *
 * The VM's and vCPU's file descriptors never stay in the caller's table:
 * arc takes each out as soon as KVM has installed it.
 */
#ifndef _ARC_KVM_H
#define _ARC_KVM_H

#include <arc/arc.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct arc_kvm;

/* Guest RAM: a multiple of ARC_KVM_RAM_ALIGN, ARC_KVM_RAM_MIN to _MAX bytes. */
#define ARC_KVM_RAM_ALIGN	SZ_64K
#define ARC_KVM_RAM_MIN		SZ_64K
#define ARC_KVM_RAM_MAX		SZ_1G

/* What long mode takes from the top of RAM: page tables, then the GDT. */
#define ARC_KVM_LONG_RESERVED	(8 * SZ_4K)

/* The per-exit-reason counters: KVM_EXIT_* up to this, then "any other". */
#define ARC_KVM_NR_EXITS	64

/**
 * struct arc_kvm_pio - a port I/O exit, as arc checked it
 * @port: the port
 * @size: bytes per access: 1, 2 or 4
 * @out: true for OUT (guest to device), false for IN
 * @count: accesses (more than one for a REP string instruction)
 * @data: @size * @count bytes: for OUT what the guest wrote, for IN where
 *	the handler puts what it reads (KVM's own page for this vCPU; the
 *	caller's other threads may write there meanwhile, so read each byte
 *	once)
 */
struct arc_kvm_pio {
	u16 port;
	u8 size;
	bool out;
	u32 count;
	u8 *data;
};

/**
 * struct arc_kvm_mmio - an MMIO exit: the guest touched memory that no
 *	memory slot backs
 * @addr: guest physical address
 * @len: bytes, 1 to 8
 * @write: true for a store
 * @data: @len bytes: what was stored, or room for what a load reads
 */
struct arc_kvm_mmio {
	u64 addr;
	u32 len;
	bool write;
	u8 *data;
};

/**
 * struct arc_kvm_exit_ops - what the module does with each exit
 * @pio: port I/O; may be NULL (the run stops with -EOPNOTSUPP)
 * @mmio: MMIO; may be NULL (the run stops with -EFAULT)
 * @hlt: the guest halted (there is no interrupt to wake it); may be NULL
 * @shutdown: a triple fault or shutdown; may be NULL
 * @error: KVM could not run the guest: @reason is KVM_EXIT_INTERNAL_ERROR,
 *	KVM_EXIT_FAIL_ENTRY or an exit reason arc does not dispatch, @detail
 *	its suberror or hardware reason; may be NULL
 *
 * Each returns 0 to run on, a positive value to stop the run (which
 * arc_kvm_run() then returns), or a negative errno (returned too). A
 * NULL @hlt, @shutdown or @error stops the run with 1.
 */
struct arc_kvm_exit_ops {
	int (*pio)(void *ctx, struct arc_kvm_pio *pio);
	int (*mmio)(void *ctx, struct arc_kvm_mmio *mmio);
	int (*hlt)(void *ctx);
	int (*shutdown)(void *ctx);
	int (*error)(void *ctx, u32 reason, u64 detail);
};

/**
 * arc_kvm_create() - a VM with @ram_size bytes of RAM and one vCPU
 * @ram_size: bytes of guest RAM at guest physical address 0: a multiple
 *	of ARC_KVM_RAM_ALIGN from ARC_KVM_RAM_MIN to ARC_KVM_RAM_MAX
 *
 * Call it in the process that will run the VM (see the top of this
 * file); the RAM is a zeroed anonymous mapping of that process.
 *
 * Return: the VM, or an ERR_PTR(): -EINVAL for a bad @ram_size, -ENODEV
 * if the kernel has no usable KVM (no /dev/kvm, or no kvm_amd/kvm_intel),
 * -EACCES if the caller may not open /dev/kvm, -ENOMEM, -EINTR (a fatal
 * signal), or another errno from KVM.
 */
struct arc_kvm *arc_kvm_create(u64 ram_size);

/**
 * arc_kvm_destroy() - tear down a VM and everything it held
 * @vm: from arc_kvm_create(), in the same process; may be an ERR_PTR or
 *	NULL
 *
 * Unmaps the RAM and arc's pages from the caller and releases KVM's VM
 * and vCPU.
 */
void arc_kvm_destroy(struct arc_kvm *vm);

/**
 * arc_kvm_load_user() - copy bytes from the caller into guest RAM
 * @vm: the VM
 * @gpa: guest physical address
 * @src: the caller's buffer
 * @len: bytes
 *
 * Return: 0, -EINVAL if [@gpa, @gpa + @len) is not inside RAM, or
 * -EFAULT if @src cannot be read.
 */
int arc_kvm_load_user(struct arc_kvm *vm, u64 gpa, const void __user *src,
		      size_t len);

/**
 * arc_kvm_setup_real() - start the vCPU in 16-bit real mode
 * @vm: the VM
 * @ip: where it starts: CS 0, IP @ip (below 64 KiB)
 * @sp: SS 0, SP @sp
 *
 * Every segment has base 0 and a 64 KiB limit, as at reset after a far
 * jump to 0:@ip; interrupts are off.
 *
 * Return: 0, -EINVAL for an @ip or @sp beyond 64 KiB, or an errno from
 * KVM.
 */
int arc_kvm_setup_real(struct arc_kvm *vm, u16 ip, u16 sp);

/**
 * arc_kvm_setup_long() - start the vCPU in 64-bit long mode
 * @vm: the VM; its RAM must be at least ARC_KVM_LONG_RESERVED plus 64 KiB
 * @rip: where it starts
 *
 * arc writes page tables that identity-map the first 4 GiB of guest
 * physical memory with 2 MiB pages, and a GDT with a flat 64-bit code and
 * a data segment, into the top ARC_KVM_LONG_RESERVED bytes of RAM; paging
 * and long mode are on, interrupts off, and RSP is the start of that
 * reserved area (the stack grows down from there). The guest may not use
 * SSE (CR4.OSFXSR is clear): build it with -mgeneral-regs-only.
 *
 * Return: 0, -EINVAL if RAM is too small or @rip is outside it, or an
 * errno from KVM.
 */
int arc_kvm_setup_long(struct arc_kvm *vm, u64 rip);

/**
 * arc_kvm_run() - run the vCPU until a handler or the clock stops it
 * @vm: the VM, set up with arc_kvm_setup_real() or arc_kvm_setup_long()
 * @ops: the exit handlers
 * @ctx: passed to each handler
 * @budget_ns: wall-clock time the run may take; 0 for no limit
 *
 * A signal (e.g. the caller's SIGINT, or SIGKILL) ends the run at the
 * next exit; so does the end of @budget_ns, whatever the guest does: a
 * guest that spins without ever exiting is interrupted all the same. The
 * run may be continued by calling arc_kvm_run() again.
 *
 * Return: the positive value a handler returned to stop the run; -ETIME
 * when @budget_ns ran out; -EINTR on a signal; -EOPNOTSUPP or -EFAULT
 * for port I/O or MMIO without a handler; or a negative errno (from a
 * handler, or from KVM: then the VM cannot run on).
 */
int arc_kvm_run(struct arc_kvm *vm, const struct arc_kvm_exit_ops *ops,
		void *ctx, u64 budget_ns);

/**
 * arc_kvm_exits() - how many exits of one KVM exit reason the VM had
 * @vm: the VM
 * @reason: a KVM_EXIT_* number; anything from ARC_KVM_NR_EXITS - 1 on
 *	counts together
 *
 * Return: the count since arc_kvm_create(), over every arc_kvm_run().
 */
u64 arc_kvm_exits(const struct arc_kvm *vm, u32 reason);

/**
 * arc_kvm_api_version() - the ARC_KVM API version of the loaded arc_kvm.ko
 *
 * Return: ARC_API(ARC_KVM) as arc_kvm.ko was built.
 */
u32 arc_kvm_api_version(void);

/**
 * arc_kvm_api_check() - check the loaded arc_kvm.ko against this module
 *
 * Call it from the init function of a module that imports ARC_KVM.
 *
 * Return: 0 if this module may use ARC_KVM, -EPROTO otherwise.
 */
static inline int arc_kvm_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_KVM",
			     arc_kvm_api_version(), ARC_API(ARC_KVM));
}

#endif /* _ARC_KVM_H */
