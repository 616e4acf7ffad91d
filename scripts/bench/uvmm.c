// SPDX-License-Identifier: GPL-2.0
/*
 * uvmm: the smallest userspace VMM that runs arc's guests (guests/), the
 * anchor that arc_minivm's in-kernel exit loop is measured against, and a
 * check of the guests themselves on a plain /dev/kvm.
 *
 *	uvmm [--mode real|long] [--mem BYTES] [--count N] GUEST.bin
 *
 * The vCPU gets the CPUID that KVM supports. The image is loaded at
 * guest physical 0x1000 and entered there: in
 * 16-bit real mode (CS base 0, SP 0xfff0), or in 64-bit long mode with
 * paging on (4 GiB identity-mapped with 2 MiB pages, a flat GDT, the
 * stack below the tables at the top of guest RAM). --count patches the
 * 32-bit word at offset 4 of the image (guests/loop.S's number of exits).
 *
 * The console is port 0xE9 and COM1's transmit register (0x3f8), written
 * to standard output as they come. Every other port write is taken and
 * ignored, every read gives 0xff (COM1's line status gives "transmitter
 * empty"). It stops on HLT, shutdown or an error, and prints to standard
 * error why, the exits by reason, and the time per exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOAD_ADDR	0x1000UL
#define PAGE		4096UL
#define PORT_DEBUG	0xe9
#define PORT_COM1	0x3f8
#define LSR_EMPTY	0x60

static void die(const char *what)
{
	fprintf(stderr, "uvmm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: uvmm [--mode real|long] [--mem BYTES] [--count N] GUEST.bin\n");
	exit(2);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (*end || !v)
		usage();
	return v;
}

/* Long mode's page tables and GDT, in the top seven pages of RAM. */
static uint64_t setup_long(uint8_t *mem, uint64_t size, struct kvm_sregs *sr)
{
	uint64_t base = size - 7 * PAGE, i, j;
	uint64_t *pml4 = (uint64_t *)(mem + base);
	uint64_t *pdpt = (uint64_t *)(mem + base + PAGE);
	uint64_t *gdt = (uint64_t *)(mem + base + 6 * PAGE);
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = 16, .type = 3,
		.present = 1, .s = 1, .db = 1, .g = 1,
	};

	pml4[0] = (base + PAGE) | 3;
	for (i = 0; i < 4; i++) {
		uint64_t *pd = (uint64_t *)(mem + base + (2 + i) * PAGE);

		pdpt[i] = (base + (2 + i) * PAGE) | 3;
		for (j = 0; j < 512; j++)
			pd[j] = ((i << 30) + (j << 21)) | 0x83;	/* P RW PS */
	}
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;	/* 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL;	/* data */
	sr->gdt.base = base + 6 * PAGE;
	sr->gdt.limit = 3 * 8 - 1;
	sr->cr3 = base;
	sr->cr4 = 0x20;			/* PAE */
	sr->cr0 = 0x80050033;		/* PG AM WP NE ET MP PE */
	sr->efer = 0x500;		/* LME LMA */
	sr->cs = code;
	sr->ds = sr->es = sr->fs = sr->gs = sr->ss = data;
	return base;
}

static const char *exit_name(unsigned int r)
{
	static const char *names[] = {
		[KVM_EXIT_IO] = "io", [KVM_EXIT_HLT] = "hlt",
		[KVM_EXIT_MMIO] = "mmio", [KVM_EXIT_SHUTDOWN] = "shutdown",
		[KVM_EXIT_FAIL_ENTRY] = "fail_entry",
		[KVM_EXIT_INTERNAL_ERROR] = "internal_error",
	};

	return r < sizeof(names) / sizeof(names[0]) && names[r] ? names[r] : "other";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "mem", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 2 << 20, exits[64] = { 0 }, total = 0, count = 0;
	int kvm, vm, vcpu, fd, c, run_size, longmode = 0, have_count = 0;
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	struct timespec t0, t1;
	const char *why = NULL;
	struct stat st;
	uint8_t *mem;
	double ns;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "long"))
				longmode = 1;
			else if (strcmp(optarg, "real"))
				usage();
			break;
		case 's':
			size = parse_size(optarg);
			break;
		case 'c':
			count = strtoull(optarg, NULL, 0);
			have_count = 1;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || size % (2 << 20) || size > (1ULL << 32))
		usage();

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(argv[optind]);
	if ((uint64_t)st.st_size > size - LOAD_ADDR - 8 * PAGE) {
		fprintf(stderr, "uvmm: %s does not fit in guest memory\n", argv[optind]);
		return 1;
	}
	if (read(fd, mem + LOAD_ADDR, st.st_size) != st.st_size)
		die("read");
	close(fd);
	if (have_count) {
		uint32_t n = (uint32_t)count;

		memcpy(mem + LOAD_ADDR + 4, &n, 4);
	}

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	region = (struct kvm_userspace_memory_region) {
		.slot = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	/* The CPUID KVM supports, as arc_kvm sets it (newer KVMs refuse long
	 * mode to a vCPU without LM in its CPUID). */
	{
		static struct {
			struct kvm_cpuid2 hdr;
			struct kvm_cpuid_entry2 e[256];
		} cpuid = { .hdr.nent = 256 };

		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid) ||
		    ioctl(vcpu, KVM_SET_CPUID2, &cpuid))
			die("KVM_SET_CPUID2");
	}
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*run))
		die("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 2;
	regs.rip = LOAD_ADDR;
	if (longmode) {
		regs.rsp = setup_long(mem, size, &sregs);
	} else {
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
		regs.rsp = 0xfff0;
	}
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		die("KVM_SET_SREGS");
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!why) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		total++;
		exits[run->exit_reason & 63]++;
		switch (run->exit_reason) {
		case KVM_EXIT_IO: {
			uint8_t *d = (uint8_t *)run + run->io.data_offset;
			uint32_t n = run->io.size * run->io.count;

			if (run->io.direction == KVM_EXIT_IO_OUT) {
				if (run->io.port == PORT_DEBUG || run->io.port == PORT_COM1)
					fwrite(d, 1, n, stdout);
			} else {
				memset(d, run->io.port == PORT_COM1 + 5 ? LSR_EMPTY : 0xff, n);
			}
			break;
		}
		case KVM_EXIT_MMIO:
			fprintf(stderr, "uvmm: mmio %s at 0x%llx, %u bytes\n",
				run->mmio.is_write ? "write" : "read",
				(unsigned long long)run->mmio.phys_addr, run->mmio.len);
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			break;
		case KVM_EXIT_HLT:
			why = "hlt";
			break;
		case KVM_EXIT_SHUTDOWN:
			why = "shutdown";
			break;
		default:
			why = exit_name(run->exit_reason);
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fflush(stdout);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	fprintf(stderr, "uvmm: stopped: %s; %llu exits (", why, (unsigned long long)total);
	for (c = 0; c < 64; c++)
		if (exits[c])
			fprintf(stderr, " %s %llu", exit_name(c), (unsigned long long)exits[c]);
	fprintf(stderr, " ), %.0f ns per exit\n", ns / total);
	return strcmp(why, "hlt") ? 3 : 0;
}
