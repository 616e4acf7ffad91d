// SPDX-License-Identifier: GPL-2.0
/*
 * arc_minivm: a mini hypervisor in the kernel. /dev/arc_vm's one ioctl,
 * ARCVM_RUN (include/uapi/arc/minivm.h), runs a flat guest image in a
 * KVM virtual machine that ARC_KVM drives from inside the ioctl: real or
 * long mode, a console on port 0xE9 and COM1 streamed to a file
 * descriptor of the caller, a time budget, and why it stopped.
 *
 * Everything a run holds lives in the caller's process and ends with the
 * ioctl: there is no state between runs but two module-wide settings.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <arc/kvm.h>
#include <uapi/arc/minivm.h>
#include <uapi/arc/version.h>

/* COM1's registers after the data register, and what arc's UART shows. */
#define MV_COM1_LAST		(ARCVM_PORT_COM1 + 7)
#define MV_COM1_LSR		(ARCVM_PORT_COM1 + 5)
#define MV_LSR_EMPTY		0x60	/* THRE | TEMT: ready to send */
/* The POST-code port: written by firmware-style code as a delay. */
#define MV_PORT_POST		0x80

#define MV_MEM_MB_MAX		(ARC_KVM_RAM_MAX >> 20)
#define MV_VMS_MAX		256

static unsigned int mv_max_mem_mb = 64;
static unsigned int mv_max_vms = 8;
static atomic_t mv_running = ATOMIC_INIT(0);

static int mv_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v, max = kp->arg == &mv_max_vms ? MV_VMS_MAX :
			      MV_MEM_MB_MAX;

	if (kstrtouint(val, 0, &v) || !v || v > max) {
		arc_err("%s='%.*s': must be 1 to %u\n", kp->name,
			(int)strcspn(val, "\n"), val, max);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops mv_param_ops = {
	.set = mv_param_set,
	.get = param_get_uint,
};

module_param_cb(max_mem_mb, &mv_param_ops, &mv_max_mem_mb, 0644);
MODULE_PARM_DESC(max_mem_mb, "Largest guest RAM a run may ask for, 1 to 1024 MiB (default 64); charged to the caller's memory like its own");
module_param_cb(max_vms, &mv_param_ops, &mv_max_vms, 0644);
MODULE_PARM_DESC(max_vms, "VMs that may run at once, all callers together, 1 to 256 (default 8); one more gets EBUSY");

/**
 * struct mv_run - one ARCVM_RUN in progress
 * @req: the request, then the reply
 * @console: where the console goes
 * @deadline: when the time budget ends
 * @used: bytes in @buf
 * @buf: console bytes not written yet
 */
struct mv_run {
	struct arcvm_run req;
	struct file *console;
	ktime_t deadline;
	u32 used;
	u8 buf[256];
};

/*
 * Write what the guest printed to the caller's descriptor, as write(2)
 * would: at the file position, unless it is a stream (pipe, socket).
 */
static int mv_flush(struct mv_run *r)
{
	struct file *f = r->console;
	u32 done = 0;
	ssize_t n;
	loff_t pos;

	while (done < r->used) {
		pos = f->f_pos;
		n = kernel_write(f, r->buf + done, r->used - done, &pos);
		if (n <= 0) {
			r->used = 0;
			return n ? n : -EIO;
		}
		if (!(f->f_mode & FMODE_STREAM))
			f->f_pos = pos;
		done += n;
		r->req.console_bytes += n;
	}
	r->used = 0;
	return 0;
}

/* A console write failed: interrupted by the budget's end, a signal, or not. */
static int mv_console_failed(struct mv_run *r, int err)
{
	if (err == -ERESTARTSYS || err == -EINTR) {
		if (ktime_after(ktime_get(), r->deadline))
			return ARCVM_STOP_TIMEOUT;
		return ARCVM_STOP_SIGNAL;
	}
	r->req.stop_info = err;
	return ARCVM_STOP_CONSOLE;
}

static int mv_console_put(struct mv_run *r, u8 c)
{
	int err;

	r->buf[r->used++] = c;
	if (c != '\n' && r->used < sizeof(r->buf))
		return 0;
	err = mv_flush(r);
	return err ? mv_console_failed(r, err) : 0;
}

static int mv_pio(void *ctx, struct arc_kvm_pio *pio)
{
	struct mv_run *r = ctx;
	u32 i, n = pio->size * pio->count;
	int stop;

	if (pio->port == ARCVM_PORT_DEBUG || pio->port == ARCVM_PORT_COM1) {
		if (!pio->out) {
			memset(pio->data, 0, n);	/* no input */
			return 0;
		}
		/* Each access sends its low byte, as a UART's would. */
		for (i = 0; i < pio->count; i++) {
			stop = mv_console_put(r, pio->data[i * pio->size]);
			if (stop)
				return stop;
		}
		return 0;
	}
	if (pio->port > ARCVM_PORT_COM1 && pio->port <= MV_COM1_LAST) {
		if (!pio->out)
			memset(pio->data, pio->port == MV_COM1_LSR ?
			       MV_LSR_EMPTY : 0, n);
		return 0;	/* the UART's settings change nothing */
	}
	if (pio->port == MV_PORT_POST && pio->out)
		return 0;
	r->req.stop_addr = pio->port;
	return ARCVM_STOP_IO;
}

static int mv_mmio(void *ctx, struct arc_kvm_mmio *mmio)
{
	struct mv_run *r = ctx;

	r->req.stop_addr = mmio->addr;
	r->req.stop_info = mmio->write;
	return ARCVM_STOP_MMIO;
}

static int mv_hlt(void *ctx)
{
	return ARCVM_STOP_HLT;
}

static int mv_shutdown(void *ctx)
{
	return ARCVM_STOP_SHUTDOWN;
}

static int mv_error(void *ctx, u32 reason, u64 detail)
{
	struct mv_run *r = ctx;

	r->req.stop_info = reason;
	r->req.stop_addr = detail;
	return ARCVM_STOP_ERROR;
}

static const struct arc_kvm_exit_ops mv_exit_ops = {
	.pio = mv_pio,
	.mmio = mv_mmio,
	.hlt = mv_hlt,
	.shutdown = mv_shutdown,
	.error = mv_error,
};

/* The request as the caller may make it; EINVAL otherwise. */
static int mv_check(const struct arcvm_run *q)
{
	u64 top = q->mem_size, cap = (u64)READ_ONCE(mv_max_mem_mb) << 20;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(q->reserved); i++)
		if (q->reserved[i])
			return -EINVAL;
	if (q->flags || q->stop || q->stop_info || q->stop_addr ||
	    q->console_bytes || q->run_ns || memchr_inv(q->exits, 0,
							sizeof(q->exits)))
		return -EINVAL;
	if (q->mode != ARCVM_MODE_REAL && q->mode != ARCVM_MODE_LONG)
		return -EINVAL;
	if (!q->timeout_ms || q->timeout_ms > ARCVM_TIMEOUT_MAX_MS)
		return -EINVAL;
	if (q->mem_size < ARCVM_MEM_MIN || q->mem_size % ARCVM_MEM_ALIGN)
		return -EINVAL;
	if (q->mem_size > cap)
		return -E2BIG;
	if (q->mode == ARCVM_MODE_LONG) {
		if (q->mem_size < ARCVM_MEM_MIN + ARCVM_LONG_RESERVED)
			return -EINVAL;
		top -= ARCVM_LONG_RESERVED;
	}
	if (!q->image_len || q->image_len > top - ARCVM_LOAD_ADDR)
		return -EINVAL;
	return 0;
}

/* The exits by arcvm's kinds; "other" is every KVM reason not named. */
static void mv_count_exits(struct mv_run *r, struct arc_kvm *vm)
{
	static const u32 kvm_reason[ARCVM_NR_EXITS] = {
		[ARCVM_EXIT_IO] = KVM_EXIT_IO,
		[ARCVM_EXIT_MMIO] = KVM_EXIT_MMIO,
		[ARCVM_EXIT_HLT] = KVM_EXIT_HLT,
		[ARCVM_EXIT_SHUTDOWN] = KVM_EXIT_SHUTDOWN,
		[ARCVM_EXIT_INTR] = KVM_EXIT_INTR,
	};
	u64 *exits = r->req.exits;
	u32 reason;
	int i;

	for (reason = 0; reason < ARC_KVM_NR_EXITS; reason++) {
		u64 n = arc_kvm_exits(vm, reason);

		for (i = 0; i < ARCVM_EXIT_ERROR; i++)
			if (kvm_reason[i] == reason)
				break;
		if (i == ARCVM_EXIT_ERROR)
			i = reason == KVM_EXIT_INTERNAL_ERROR ||
			    reason == KVM_EXIT_FAIL_ENTRY ?
			    ARCVM_EXIT_ERROR : ARCVM_EXIT_OTHER;
		exits[i] += n;
	}
}

/* Set up the VM @r asks for and run it; fills in @r->req's results. */
static int mv_run_vm(struct mv_run *r)
{
	const struct arcvm_run *q = &r->req;
	struct arc_kvm *vm;
	ktime_t start;
	int ret;

	vm = arc_kvm_create(q->mem_size);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = arc_kvm_load_user(vm, ARCVM_LOAD_ADDR, u64_to_user_ptr(q->image),
				q->image_len);
	if (!ret)
		ret = q->mode == ARCVM_MODE_REAL ?
		      arc_kvm_setup_real(vm, ARCVM_LOAD_ADDR, 0xfff0) :
		      arc_kvm_setup_long(vm, ARCVM_LOAD_ADDR);
	if (ret)
		goto out;

	start = ktime_get();
	r->deadline = ktime_add_ms(start, q->timeout_ms);
	ret = arc_kvm_run(vm, &mv_exit_ops, r,
			  (u64)q->timeout_ms * NSEC_PER_MSEC);
	r->req.run_ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (ret > 0)
		r->req.stop = ret;
	else if (ret == -ETIME)
		r->req.stop = ARCVM_STOP_TIMEOUT;
	else if (ret == -EINTR)
		r->req.stop = ARCVM_STOP_SIGNAL;
	else
		r->req.stop = ARCVM_STOP_ERROR;
	if (ret < 0 && r->req.stop == ARCVM_STOP_ERROR)
		r->req.stop_info = ret;
	/* What cannot be written now is not in console_bytes. */
	mv_flush(r);
	mv_count_exits(r, vm);
	ret = 0;
out:
	arc_kvm_destroy(vm);
	return ret;
}

static long mv_ioctl_run(struct arcvm_run __user *arg)
{
	struct mv_run *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(&r->req, arg, sizeof(r->req)))
		goto free;
	ret = mv_check(&r->req);
	if (ret)
		goto free;
	r->console = fget(r->req.console_fd);
	ret = -EBADF;
	if (!r->console || !(r->console->f_mode & FMODE_WRITE))
		goto put;
	/*
	 * kernel_write() takes files with ->write_iter and without ->write
	 * (else it refuses, with a warning in the log each time): pipes,
	 * sockets, regular files; not /dev/null, nor a tty before 5.11.
	 */
	ret = -EINVAL;
	if (!r->console->f_op->write_iter || r->console->f_op->write)
		goto put;
	ret = -EBUSY;
	if (atomic_inc_return(&mv_running) > READ_ONCE(mv_max_vms)) {
		atomic_dec(&mv_running);
		goto put;
	}
	ret = mv_run_vm(r);
	atomic_dec(&mv_running);
	if (!ret && copy_to_user(arg, &r->req, sizeof(r->req)))
		ret = -EFAULT;
put:
	if (r->console)
		fput(r->console);
free:
	kfree(r);
	return ret;
}

static long mv_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case ARCVM_RUN:
		return mv_ioctl_run((struct arcvm_run __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mv_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = mv_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* 0660: who may run VMs is the group udev gives it (kvm, like /dev/kvm). */
static struct miscdevice mv_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "arc_vm",
	.fops = &mv_fops,
	.mode = 0660,
};

static int __init mv_init(void)
{
	int err;

	err = arc_core_api_check() ?: arc_kvm_api_check();
	if (err)
		return err;
	err = misc_register(&mv_dev);
	if (err) {
		arc_err("cannot register /dev/%s: %d\n", mv_dev.name, err);
		return err;
	}
	arc_info("loaded: /dev/%s, guests up to %u MiB, %u at once\n",
		 mv_dev.name, mv_max_mem_mb, mv_max_vms);
	return 0;
}

static void __exit mv_exit(void)
{
	misc_deregister(&mv_dev);
	arc_info("unloaded\n");
}

module_init(mv_init);
module_exit(mv_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc example: a mini hypervisor driving KVM from the kernel (/dev/arc_vm)");
MODULE_VERSION(ARC_RELEASE);
ARC_IMPORT_NS(ARC_CORE);
ARC_IMPORT_NS(ARC_KVM);
