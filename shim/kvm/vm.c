// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_KVM: one VM with one vCPU, driven through the ioctls of KVM's own
 * files in the calling process (include/arc/kvm.h says why and what that
 * implies).
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include <arc/kvm.h>
#include <compat/compat.h>

#include "internal.h"

/* The vCPU's shared pages: struct kvm_run, then port I/O data. */
#define ARC_KVM_PIO_OFFSET	(KVM_PIO_PAGE_OFFSET * PAGE_SIZE)

/* The argument area: the largest argument is the CPUID table. */
#define ARC_KVM_SCRATCH		(4 * PAGE_SIZE)
#define ARC_KVM_CPUID_MAX	((ARC_KVM_SCRATCH - sizeof(struct kvm_cpuid2)) / \
				 sizeof(struct kvm_cpuid_entry2))

/**
 * struct arc_kvm - a VM, its vCPU and the caller's memory they use
 * @mm: the caller's address space: every mapping below is in it
 * @task: the caller, which runs the vCPU
 * @vm: KVM's VM file (no longer in any file table)
 * @vcpu: KVM's vCPU file
 * @ram: user address of guest RAM (guest physical 0)
 * @ram_size: its size
 * @scratch: user address of ARC_KVM_SCRATCH bytes for ioctl arguments
 * @pages: the vCPU's struct kvm_run page and its port I/O page, held
 * @run: @pages[0] in the kernel's mapping
 * @pio: @pages[1] in the kernel's mapping
 * @timer: the time budget of a run
 * @expired: @timer fired during this run
 * @exits: exits by KVM exit reason
 */
struct arc_kvm {
	struct mm_struct *mm;
	struct task_struct *task;
	struct file *vm;
	struct file *vcpu;
	unsigned long ram;
	u64 ram_size;
	unsigned long scratch;
	struct page *pages[2];
	struct kvm_run *run;
	u8 *pio;
	struct hrtimer timer;
	bool expired;
	u64 exits[ARC_KVM_NR_EXITS];
};

/* The shared anonymous inode: KVM's VM and vCPU files are made on it. */
static struct inode *arc_anon_inode;

static long arc_kvm_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}

/* An ioctl whose argument struct goes in (@in) and/or comes back (@out). */
static long arc_kvm_ioctl_arg(struct arc_kvm *vm, struct file *f,
			      unsigned int cmd, const void *in, void *out,
			      size_t len)
{
	void __user *arg = (void __user *)vm->scratch;
	long ret;

	if (in && copy_to_user(arg, in, len))
		return -EFAULT;
	ret = arc_kvm_ioctl(f, cmd, vm->scratch);
	if (!ret && out && copy_from_user(out, arg, len))
		return -EFAULT;
	return ret;
}

/*
 * Take @fd, just installed by KVM, out of the caller's file table and
 * keep its file. Another thread of the caller may have closed, replaced
 * or duplicated the descriptor meanwhile: the file must be an anonymous
 * inode file called @name (only KVM makes those) that nothing else holds.
 * At worst that is a VM the caller made itself, in its own memory.
 */
static struct file *arc_kvm_take_fd(long fd, const char *name)
{
	struct file *f;

	if (fd < 0)
		return ERR_PTR(fd);
	f = fget(fd);
	close_fd(fd);
	if (!f)
		return ERR_PTR(-EBADF);
	if (file_inode(f) != arc_anon_inode ||
	    strcmp(f->f_path.dentry->d_name.name, name) ||
	    file_count(f) != 1) {
		fput(f);
		return ERR_PTR(-EBUSY);
	}
	return f;
}

/* /dev/kvm, opened with the caller's credentials; it must be KVM's. */
static struct file *arc_kvm_open_dev(void)
{
	struct file *kvm = filp_open("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
	struct inode *inode;

	if (IS_ERR(kvm))
		return PTR_ERR(kvm) == -ENOENT || PTR_ERR(kvm) == -ENXIO ?
		       ERR_PTR(-ENODEV) : kvm;
	inode = file_inode(kvm);
	if (!S_ISCHR(inode->i_mode) || imajor(inode) != MISC_MAJOR ||
	    iminor(inode) != KVM_MINOR || !kvm->f_op->unlocked_ioctl) {
		fput(kvm);
		return ERR_PTR(-ENODEV);
	}
	return kvm;
}

/*
 * The budget's end: make KVM_RUN see a signal without sending one.
 * TIF_NOTIFY_SIGNAL is what task work with TWA_SIGNAL sets (io_uring's
 * way to interrupt a task): KVM's run loop leaves with -EINTR when it is
 * set, at the next exit, and a timer interrupt is one; kick_process()
 * makes a vCPU running on another CPU exit now. No signal is queued and
 * nothing of this module runs later: the caller's return to userspace
 * clears the flag, or arc_kvm_run() does before it returns.
 */
static enum hrtimer_restart arc_kvm_expire(struct hrtimer *timer)
{
	struct arc_kvm *vm = container_of(timer, struct arc_kvm, timer);

	WRITE_ONCE(vm->expired, true);
	set_tsk_thread_flag(vm->task, TIF_NOTIFY_SIGNAL);
	kick_process(vm->task);
	return HRTIMER_NORESTART;
}

/*
 * Take back the flag the budget set, unless task work is pending (whose
 * TWA_SIGNAL needs it too): checked after clearing, so that work queued
 * meanwhile keeps its flag. A real signal has its own flag.
 */
static void arc_kvm_unkick(void)
{
	clear_thread_flag(TIF_NOTIFY_SIGNAL);
	/* Pairs with task_work_add(): the work is queued, then the flag set. */
	smp_mb__after_atomic();
	if (READ_ONCE(current->task_works))
		set_thread_flag(TIF_NOTIFY_SIGNAL);
}

/* Map the vCPU's pages once, hold the two arc reads, and unmap them. */
static int arc_kvm_map_run(struct arc_kvm *vm, struct file *kvm)
{
	long size = arc_kvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	unsigned long addr;
	int n;

	if (size < 0)
		return size;
	if (size < ARC_KVM_PIO_OFFSET + PAGE_SIZE)
		return -ENODEV;
	addr = vm_mmap(vm->vcpu, 0, ARC_KVM_PIO_OFFSET + PAGE_SIZE,
		       PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	n = get_user_pages_fast(addr, 2, FOLL_WRITE, vm->pages);
	vm_munmap(addr, ARC_KVM_PIO_OFFSET + PAGE_SIZE);
	if (n != 2) {
		while (n > 0)
			put_page(vm->pages[--n]);
		vm->pages[0] = NULL;
		return n < 0 ? n : -EFAULT;
	}
	vm->run = page_address(vm->pages[0]);
	vm->pio = page_address(vm->pages[1]);
	return 0;
}

/*
 * The vCPU's CPUID: what this KVM supports, as VMMs do. Newer kernels
 * refuse long mode (EFER.LME) to a vCPU whose CPUID lacks it. The table
 * never leaves the caller's memory: KVM writes it there and reads it back
 * (and checks it) itself. Another thread of the caller may rewrite it in
 * between: KVM then refuses the entry count with E2BIG, which fails the
 * run with EIO, as a forged exit does (E2BIG is the UAPI's answer to a
 * memory size above the cap, which this is not).
 */
static int arc_kvm_set_cpuid(struct arc_kvm *vm, struct file *kvm)
{
	struct kvm_cpuid2 hdr = { .nent = ARC_KVM_CPUID_MAX };
	long ret;

	if (copy_to_user((void __user *)vm->scratch, &hdr, sizeof(hdr)))
		return -EFAULT;
	ret = arc_kvm_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, vm->scratch);
	if (!ret)
		ret = arc_kvm_ioctl(vm->vcpu, KVM_SET_CPUID2, vm->scratch);
	return ret == -E2BIG ? -EIO : ret;
}

static int arc_kvm_setup(struct arc_kvm *vm)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->ram_size,
	};
	struct file *kvm, *f;
	long ret;

	vm->scratch = vm_mmap(NULL, 0, ARC_KVM_SCRATCH, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(vm->scratch)) {
		ret = (long)vm->scratch;
		vm->scratch = 0;
		return ret;
	}
	vm->ram = vm_mmap(NULL, 0, vm->ram_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, 0);
	if (IS_ERR_VALUE(vm->ram)) {
		ret = (long)vm->ram;
		vm->ram = 0;
		return ret;
	}
	region.userspace_addr = vm->ram;

	kvm = arc_kvm_open_dev();
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	f = arc_kvm_take_fd(arc_kvm_ioctl(kvm, KVM_CREATE_VM, 0), "kvm-vm");
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto out;
	}
	vm->vm = f;
	ret = arc_kvm_ioctl_arg(vm, vm->vm, KVM_SET_USER_MEMORY_REGION,
				&region, NULL, sizeof(region));
	if (ret)
		goto out;
	f = arc_kvm_take_fd(arc_kvm_ioctl(vm->vm, KVM_CREATE_VCPU, 0),
			    "kvm-vcpu:0");
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto out;
	}
	vm->vcpu = f;
	ret = arc_kvm_set_cpuid(vm, kvm) ?: arc_kvm_map_run(vm, kvm);
out:
	fput(kvm);
	return ret;
}

struct arc_kvm *arc_kvm_create(u64 ram_size)
{
	struct arc_kvm *vm;
	int err;

	if (!IS_ALIGNED(ram_size, ARC_KVM_RAM_ALIGN) ||
	    ram_size < ARC_KVM_RAM_MIN || ram_size > ARC_KVM_RAM_MAX)
		return ERR_PTR(-EINVAL);
	if (!current->mm || (current->flags & PF_KTHREAD))
		return ERR_PTR(-EINVAL);
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->mm = current->mm;
	vm->task = current;
	vm->ram_size = ram_size;
	arc_compat_hrtimer_setup(&vm->timer, arc_kvm_expire);
	err = arc_kvm_setup(vm);
	if (err) {
		arc_kvm_destroy(vm);
		/* KVM_CREATE_VM without kvm_amd/kvm_intel behind it. */
		return ERR_PTR(err == -ENOTTY ? -ENODEV : err);
	}
	return vm;
}
EXPORT_SYMBOL_ARC(arc_kvm_create, ARC_KVM);

void arc_kvm_destroy(struct arc_kvm *vm)
{
	if (IS_ERR_OR_NULL(vm))
		return;
	if (vm->pages[0]) {
		put_page(vm->pages[0]);
		put_page(vm->pages[1]);
	}
	if (vm->vcpu)
		fput(vm->vcpu);
	if (vm->vm)
		fput(vm->vm);
	/* Only the process that made them can unmap them. */
	if (current->mm == vm->mm) {
		if (vm->ram)
			vm_munmap(vm->ram, vm->ram_size);
		if (vm->scratch)
			vm_munmap(vm->scratch, ARC_KVM_SCRATCH);
	}
	kfree(vm);
}
EXPORT_SYMBOL_ARC(arc_kvm_destroy, ARC_KVM);

int arc_kvm_load_user(struct arc_kvm *vm, u64 gpa, const void __user *src,
		      size_t len)
{
	u8 *buf;
	size_t n;
	int err = 0;

	if (gpa > vm->ram_size || len > vm->ram_size - gpa)
		return -EINVAL;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (; len; len -= n, gpa += n, src += n) {
		n = min_t(size_t, len, PAGE_SIZE);
		if (copy_from_user(buf, src, n) ||
		    copy_to_user((void __user *)(vm->ram + gpa), buf, n)) {
			err = -EFAULT;
			break;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
	}
	kfree(buf);
	return err;
}
EXPORT_SYMBOL_ARC(arc_kvm_load_user, ARC_KVM);

static int arc_kvm_set_state(struct arc_kvm *vm, struct kvm_sregs *sregs,
			     const struct kvm_regs *regs)
{
	long ret;

	ret = arc_kvm_ioctl_arg(vm, vm->vcpu, KVM_SET_SREGS, sregs, NULL,
				sizeof(*sregs));
	if (!ret)
		ret = arc_kvm_ioctl_arg(vm, vm->vcpu, KVM_SET_REGS, regs, NULL,
					sizeof(*regs));
	return ret;
}

int arc_kvm_setup_real(struct arc_kvm *vm, u16 ip, u16 sp)
{
	struct kvm_regs regs = { .rip = ip, .rsp = sp, .rflags = 2 };
	struct kvm_sregs sregs;
	long ret;

	if (ip >= vm->ram_size)
		return -EINVAL;
	ret = arc_kvm_ioctl_arg(vm, vm->vcpu, KVM_GET_SREGS, NULL, &sregs,
				sizeof(sregs));
	if (ret)
		return ret;
	/* Reset state has CS at 0xf000:0xfff0; the rest is base 0 already. */
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	return arc_kvm_set_state(vm, &sregs, &regs);
}
EXPORT_SYMBOL_ARC(arc_kvm_setup_real, ARC_KVM);

/* Long mode's tables, page by page from the reserved area's start. */
#define ARC_KVM_PML4		0
#define ARC_KVM_PDPT		1
#define ARC_KVM_PD		2	/* four: 0-4 GiB */
#define ARC_KVM_GDT		6
#define ARC_KVM_TABLES		7

#define ARC_KVM_PTE_P		0x001ull
#define ARC_KVM_PTE_RW		0x002ull
#define ARC_KVM_PTE_PS		0x080ull

/* Flat segments: 64-bit code (L, P, DPL 0, type 0xa) and data (0x2). */
#define ARC_KVM_GDT_CODE	0x00af9a000000ffffull
#define ARC_KVM_GDT_DATA	0x00cf92000000ffffull

#define ARC_KVM_CR0		(X86_CR0_PG | X86_CR0_AM | X86_CR0_WP | \
				 X86_CR0_NE | X86_CR0_ET | X86_CR0_MP | \
				 X86_CR0_PE)

static int arc_kvm_write_tables(struct arc_kvm *vm, u64 base)
{
	u64 *page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i, j;
	int err = 0;

	if (!page)
		return -ENOMEM;
	for (i = 0; i < ARC_KVM_TABLES && !err; i++) {
		memset(page, 0, PAGE_SIZE);
		if (i == ARC_KVM_PML4) {
			page[0] = (base + ARC_KVM_PDPT * PAGE_SIZE) |
				  ARC_KVM_PTE_P | ARC_KVM_PTE_RW;
		} else if (i == ARC_KVM_PDPT) {
			for (j = 0; j < 4; j++)
				page[j] = (base + (ARC_KVM_PD + j) * PAGE_SIZE) |
					  ARC_KVM_PTE_P | ARC_KVM_PTE_RW;
		} else if (i == ARC_KVM_GDT) {
			page[1] = ARC_KVM_GDT_CODE;
			page[2] = ARC_KVM_GDT_DATA;
		} else {
			for (j = 0; j < 512; j++)
				page[j] = ((u64)(i - ARC_KVM_PD) << 30 |
					   (u64)j << 21) | ARC_KVM_PTE_P |
					  ARC_KVM_PTE_RW | ARC_KVM_PTE_PS;
		}
		if (copy_to_user((void __user *)(vm->ram + base +
						 i * PAGE_SIZE),
				 page, PAGE_SIZE))
			err = -EFAULT;
	}
	kfree(page);
	return err;
}

int arc_kvm_setup_long(struct arc_kvm *vm, u64 rip)
{
	u64 base = vm->ram_size - ARC_KVM_LONG_RESERVED;
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = 16, .type = 3,
		.present = 1, .s = 1, .db = 1, .g = 1,
	};
	struct kvm_regs regs = { .rip = rip, .rsp = base, .rflags = 2 };
	struct kvm_sregs sregs;
	long ret;

	if (vm->ram_size < ARC_KVM_LONG_RESERVED + ARC_KVM_RAM_MIN ||
	    rip >= base)
		return -EINVAL;
	ret = arc_kvm_write_tables(vm, base);
	if (ret)
		return ret;
	ret = arc_kvm_ioctl_arg(vm, vm->vcpu, KVM_GET_SREGS, NULL, &sregs,
				sizeof(sregs));
	if (ret)
		return ret;
	sregs.cs = code;
	sregs.ds = data;
	sregs.es = data;
	sregs.fs = data;
	sregs.gs = data;
	sregs.ss = data;
	sregs.gdt.base = base + ARC_KVM_GDT * PAGE_SIZE;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = base + ARC_KVM_PML4 * PAGE_SIZE;
	sregs.cr4 = X86_CR4_PAE;
	sregs.cr0 = ARC_KVM_CR0;
	sregs.efer = EFER_LME | EFER_LMA;
	return arc_kvm_set_state(vm, &sregs, &regs);
}
EXPORT_SYMBOL_ARC(arc_kvm_setup_long, ARC_KVM);

/*
 * kvm_run lives in a page the caller can write too (another thread may
 * have mapped it): every field is read once into arc's own copy and
 * checked before use.
 */
static int arc_kvm_do_pio(struct arc_kvm *vm,
			  const struct arc_kvm_exit_ops *ops, void *ctx)
{
	struct kvm_run *run = vm->run;
	struct arc_kvm_pio pio = {
		.port = READ_ONCE(run->io.port),
		.size = READ_ONCE(run->io.size),
		.out = READ_ONCE(run->io.direction) == KVM_EXIT_IO_OUT,
		.count = READ_ONCE(run->io.count),
		.data = vm->pio,
	};
	u64 offset = READ_ONCE(run->io.data_offset);

	if ((pio.size != 1 && pio.size != 2 && pio.size != 4) ||
	    !pio.count || pio.count > PAGE_SIZE / pio.size ||
	    offset != ARC_KVM_PIO_OFFSET)
		return -EIO;
	return ops->pio ? ops->pio(ctx, &pio) : -EOPNOTSUPP;
}

static int arc_kvm_do_mmio(struct arc_kvm *vm,
			   const struct arc_kvm_exit_ops *ops, void *ctx)
{
	struct kvm_run *run = vm->run;
	u8 data[sizeof(run->mmio.data)];
	struct arc_kvm_mmio mmio = {
		.addr = READ_ONCE(run->mmio.phys_addr),
		.len = READ_ONCE(run->mmio.len),
		.write = READ_ONCE(run->mmio.is_write),
		.data = data,
	};
	int ret;

	if (!mmio.len || mmio.len > sizeof(data))
		return -EIO;
	if (!ops->mmio)
		return -EFAULT;
	memcpy(data, run->mmio.data, sizeof(data));
	if (!mmio.write)
		memset(data, 0, sizeof(data));
	ret = ops->mmio(ctx, &mmio);
	if (!ret && !mmio.write)
		memcpy(run->mmio.data, data, sizeof(data));
	return ret;
}

static int arc_kvm_dispatch(struct arc_kvm *vm,
			    const struct arc_kvm_exit_ops *ops, void *ctx)
{
	struct kvm_run *run = vm->run;
	u32 reason = READ_ONCE(run->exit_reason);
	u64 detail;

	vm->exits[min_t(u32, reason, ARC_KVM_NR_EXITS - 1)]++;
	switch (reason) {
	case KVM_EXIT_IO:
		return arc_kvm_do_pio(vm, ops, ctx);
	case KVM_EXIT_MMIO:
		return arc_kvm_do_mmio(vm, ops, ctx);
	case KVM_EXIT_HLT:
		return ops->hlt ? ops->hlt(ctx) : 1;
	case KVM_EXIT_SHUTDOWN:
		return ops->shutdown ? ops->shutdown(ctx) : 1;
	case KVM_EXIT_INTERNAL_ERROR:
		detail = READ_ONCE(run->internal.suberror);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		detail = READ_ONCE(run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		detail = 0;
		break;
	}
	return ops->error ? ops->error(ctx, reason, detail) : 1;
}

int arc_kvm_run(struct arc_kvm *vm, const struct arc_kvm_exit_ops *ops,
		void *ctx, u64 budget_ns)
{
	long ret;
	int stop;

	if (current != vm->task)
		return -EINVAL;
	WRITE_ONCE(vm->expired, false);
	if (budget_ns)
		hrtimer_start(&vm->timer, ns_to_ktime(budget_ns),
			      HRTIMER_MODE_REL);
	do {
		ret = arc_kvm_ioctl(vm->vcpu, KVM_RUN, 0);
		if (ret == -EINTR) {
			vm->exits[KVM_EXIT_INTR]++;
			stop = READ_ONCE(vm->expired) ? -ETIME : -EINTR;
		} else if (ret) {
			stop = ret;
		} else {
			stop = arc_kvm_dispatch(vm, ops, ctx);
		}
	} while (!stop);
	if (budget_ns)
		hrtimer_cancel(&vm->timer);
	if (READ_ONCE(vm->expired))
		arc_kvm_unkick();
	return stop;
}
EXPORT_SYMBOL_ARC(arc_kvm_run, ARC_KVM);

u64 arc_kvm_exits(const struct arc_kvm *vm, u32 reason)
{
	return vm->exits[min_t(u32, reason, ARC_KVM_NR_EXITS - 1)];
}
EXPORT_SYMBOL_ARC(arc_kvm_exits, ARC_KVM);

static const struct file_operations arc_anon_fops = {
	.owner = THIS_MODULE,
};

/**
 * arc_kvm_vm_init() - learn the anonymous inode KVM's files are made on
 *
 * Return: 0 or a negative errno.
 */
int arc_kvm_vm_init(void)
{
	struct file *f = anon_inode_getfile("arc-kvm", &arc_anon_fops, NULL,
					    O_RDONLY);

	if (IS_ERR(f))
		return PTR_ERR(f);
	arc_anon_inode = file_inode(f);
	fput(f);
	return 0;
}
