/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc_minivm: run a small guest in a KVM virtual machine driven from the
 * kernel, through the character device /dev/arc_vm.
 *
 * One ioctl, ARCVM_RUN, does everything: it creates a VM in the calling
 * process (KVM's VMs belong to a process), gives it @mem_size bytes of
 * RAM, loads a flat image at ARCVM_LOAD_ADDR, sets up one vCPU in 16-bit
 * real mode or 64-bit long mode, runs it until it stops, and tears it all
 * down again. Whatever the guest writes to its console (port 0xE9, and a
 * polled 16550 UART at COM1, port 0x3f8) goes to the file descriptor
 * @console_fd as it comes, like a write(2) by the caller. The ioctl
 * returns 0 whenever the guest ran, whatever stopped it: @stop says what.
 *
 * Errors (the ioctl's return value and errno): EINVAL for a request that
 * names a mode, a size, a flag or a reserved field it should not; EFAULT
 * for an image address that cannot be read; EBADF if @console_fd is not
 * open for writing, EINVAL if the kernel cannot write to it (a pipe, a
 * socket or a regular file can be; /dev/null and, before 5.11, a
 * terminal cannot); E2BIG for a memory size above the module's cap
 * (max_mem_mb); ENODEV if the kernel has no usable KVM (kvm_amd or
 * kvm_intel not loaded, or no hardware virtualization); ENOMEM; and
 * EINTR only when a signal arrived before the guest ran at all.
 */
#ifndef _UAPI_ARC_MINIVM_H
#define _UAPI_ARC_MINIVM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ARCVM_DEVICE		"/dev/arc_vm"

/* Where the image is loaded and where the vCPU starts, in either mode. */
#define ARCVM_LOAD_ADDR		0x1000

/* Guest RAM sizes: a multiple of 64 KiB; the cap is a module parameter. */
#define ARCVM_MEM_MIN		(64u << 10)
#define ARCVM_MEM_ALIGN		(64u << 10)

/* Console ports: QEMU's debug port (the brief's "Hi") and COM1. */
#define ARCVM_PORT_DEBUG	0xe9
#define ARCVM_PORT_COM1		0x3f8

/**
 * enum arcvm_mode - how the vCPU starts
 * @ARCVM_MODE_REAL: 16-bit real mode, CS:IP 0:ARCVM_LOAD_ADDR, all
 *	segments at base 0 (the image may use the first 64 KiB as is)
 * @ARCVM_MODE_LONG: 64-bit long mode, paging on, the first 4 GiB of
 *	guest physical memory identity-mapped with 2 MiB pages, RIP at
 *	ARCVM_LOAD_ADDR, RSP at the end of RAM below arc's page tables
 *	(the top ARCVM_LONG_RESERVED bytes of RAM), interrupts off
 */
enum arcvm_mode {
	ARCVM_MODE_REAL = 1,
	ARCVM_MODE_LONG = 2,
};

/* What long mode takes from the top of RAM: page tables and GDT. */
#define ARCVM_LONG_RESERVED	(8u << 12)

/**
 * enum arcvm_stop - why the guest stopped
 * @ARCVM_STOP_NONE: not stopped (never in a reply)
 * @ARCVM_STOP_HLT: the guest executed HLT
 * @ARCVM_STOP_SHUTDOWN: the guest shut down (a triple fault)
 * @ARCVM_STOP_TIMEOUT: the time budget ran out
 * @ARCVM_STOP_SIGNAL: a signal arrived (the caller's, e.g. SIGINT)
 * @ARCVM_STOP_MMIO: the guest touched memory outside its RAM;
 *	&arcvm_run.stop_addr is the address
 * @ARCVM_STOP_IO: the guest used a port arc does not emulate;
 *	&arcvm_run.stop_addr is the port
 * @ARCVM_STOP_CONSOLE: writing the console to @console_fd failed;
 *	&arcvm_run.stop_info is the negative errno
 * @ARCVM_STOP_ERROR: KVM could not run the guest (an internal error or
 *	a failed entry); &arcvm_run.stop_info is KVM's exit reason and
 *	&arcvm_run.stop_addr its detail (suberror or hardware reason)
 * @__ARCVM_STOP_MAX: one past the last value
 */
enum arcvm_stop {
	ARCVM_STOP_NONE,
	ARCVM_STOP_HLT,
	ARCVM_STOP_SHUTDOWN,
	ARCVM_STOP_TIMEOUT,
	ARCVM_STOP_SIGNAL,
	ARCVM_STOP_MMIO,
	ARCVM_STOP_IO,
	ARCVM_STOP_CONSOLE,
	ARCVM_STOP_ERROR,
	__ARCVM_STOP_MAX,
};

/**
 * enum arcvm_exit - the exits counted in &arcvm_run.exits
 * @ARCVM_EXIT_IO: port I/O
 * @ARCVM_EXIT_MMIO: memory-mapped I/O
 * @ARCVM_EXIT_HLT: HLT
 * @ARCVM_EXIT_SHUTDOWN: shutdown
 * @ARCVM_EXIT_INTR: KVM_RUN interrupted (a signal or the time budget)
 * @ARCVM_EXIT_ERROR: internal error or failed entry
 * @ARCVM_EXIT_OTHER: any other exit reason
 * @ARCVM_NR_EXITS: the number of counters
 */
enum arcvm_exit {
	ARCVM_EXIT_IO,
	ARCVM_EXIT_MMIO,
	ARCVM_EXIT_HLT,
	ARCVM_EXIT_SHUTDOWN,
	ARCVM_EXIT_INTR,
	ARCVM_EXIT_ERROR,
	ARCVM_EXIT_OTHER,
	ARCVM_NR_EXITS,
};

/**
 * struct arcvm_run - ARCVM_RUN's argument
 * @image: user address of the flat guest image
 * @image_len: its length: at least 1 byte, and it must fit in RAM above
 *	ARCVM_LOAD_ADDR (in long mode, below ARCVM_LONG_RESERVED)
 * @mode: an &enum arcvm_mode
 * @mem_size: guest RAM in bytes: a multiple of ARCVM_MEM_ALIGN, at least
 *	ARCVM_MEM_MIN, at most the module's max_mem_mb
 * @timeout_ms: the time budget, 1 to 3,600,000 ms of wall-clock time
 * @console_fd: where the console goes (a pipe, a file, a terminal)
 * @flags: 0
 * @stop: out: an &enum arcvm_stop
 * @stop_info: out: see &enum arcvm_stop
 * @stop_addr: out: see &enum arcvm_stop
 * @console_bytes: out: bytes written to @console_fd
 * @run_ns: out: wall-clock time the VM ran for
 * @exits: out: exits by &enum arcvm_exit
 * @reserved: must be zero
 */
struct arcvm_run {
	__u64 image;
	__u32 image_len;
	__u32 mode;
	__u64 mem_size;
	__u32 timeout_ms;
	__s32 console_fd;
	__u32 flags;
	__u32 stop;
	__s64 stop_info;
	__u64 stop_addr;
	__u64 console_bytes;
	__u64 run_ns;
	__u64 exits[ARCVM_NR_EXITS];
	__u64 reserved[4];
};

#define ARCVM_TIMEOUT_MAX_MS	3600000u

/* 0xAC ("arc"): raw.h has 0x00-0x1f of it; arc uses 0xa0 on. */
#define ARCVM_IOC_MAGIC		0xAC
#define ARCVM_RUN		_IOWR(ARCVM_IOC_MAGIC, 0xa0, struct arcvm_run)

#endif /* _UAPI_ARC_MINIVM_H */
