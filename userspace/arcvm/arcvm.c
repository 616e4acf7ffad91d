// SPDX-License-Identifier: GPL-2.0
/*
 * arcvm: run a guest image in arc_minivm's in-kernel hypervisor.
 *
 *	arcvm [--json] run GUEST.bin [--mode real|long] [--mem SIZE]
 *		[--timeout SECONDS]
 *
 * The guest's console is copied to standard output as it comes (through
 * a pipe the module writes to: any standard output works, on any
 * kernel); then why it stopped and its exits go to standard error, or
 * with --json one JSON object with the console in it goes to standard
 * output. SIGINT or SIGTERM stop the guest, which is then reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arc/minivm.h>

/* Exit status: 0 for HLT, 10 + the stop reason otherwise. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_STOP_BASE	10

static const char *const stop_names[__ARCVM_STOP_MAX] = {
	[ARCVM_STOP_NONE] = "none",
	[ARCVM_STOP_HLT] = "hlt",
	[ARCVM_STOP_SHUTDOWN] = "shutdown",
	[ARCVM_STOP_TIMEOUT] = "timeout",
	[ARCVM_STOP_SIGNAL] = "signal",
	[ARCVM_STOP_MMIO] = "mmio",
	[ARCVM_STOP_IO] = "io",
	[ARCVM_STOP_CONSOLE] = "console",
	[ARCVM_STOP_ERROR] = "error",
};

static const char *const exit_names[ARCVM_NR_EXITS] = {
	[ARCVM_EXIT_IO] = "io",
	[ARCVM_EXIT_MMIO] = "mmio",
	[ARCVM_EXIT_HLT] = "hlt",
	[ARCVM_EXIT_SHUTDOWN] = "shutdown",
	[ARCVM_EXIT_INTR] = "intr",
	[ARCVM_EXIT_ERROR] = "error",
	[ARCVM_EXIT_OTHER] = "other",
};

/* What the relay thread collects in --json mode. */
struct relay {
	int fd;
	FILE *out;		/* NULL: collect in buf */
	char *buf;
	size_t len;
	int err;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: arcvm [--json] run GUEST.bin [--mode real|long] [--mem SIZE] [--timeout SECONDS]\n"
		"  SIZE: bytes, or with K, M or G (default 2M); SECONDS may have a fraction (default 10)\n");
	exit(EXIT_USAGE);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("arcvm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAIL);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		die("--mem '%s': not a size", s);
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (*end || v > (1ULL << 40))
		die("--mem '%s': not a size", s);
	return v;
}

static uint32_t parse_timeout(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) ||
	    v * 1000 > ARCVM_TIMEOUT_MAX_MS)
		die("--timeout '%s': must be above 0 and at most %u seconds", s,
		    ARCVM_TIMEOUT_MAX_MS / 1000);
	return v * 1000 < 1 ? 1 : (uint32_t)(v * 1000);
}

static void *read_image(const char *path, uint32_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	if (st.st_size == 0 || st.st_size > (1 << 30))
		die("%s: %s", path, st.st_size ? "larger than 1 GiB" : "empty");
	buf = malloc(st.st_size);
	if (!buf)
		die("out of memory");
	if (read(fd, buf, st.st_size) != st.st_size)
		die("%s: cannot read it whole", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	char chunk[4096];
	ssize_t n;

	while ((n = read(r->fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->err = errno;
			break;
		}
		if (r->out) {
			if (fwrite(chunk, 1, n, r->out) != (size_t)n ||
			    fflush(r->out))
				r->err = errno ? errno : EIO;
			continue;
		}
		r->buf = realloc(r->buf, r->len + n);
		if (!r->buf) {
			r->err = ENOMEM;
			break;
		}
		memcpy(r->buf + r->len, chunk, n);
		r->len += n;
	}
	return NULL;
}

static void json_string(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *stop_name(uint32_t stop)
{
	return stop < __ARCVM_STOP_MAX ? stop_names[stop] : "unknown";
}

static void report_text(const struct arcvm_run *q)
{
	int i;

	fprintf(stderr, "arcvm: stopped: %s", stop_name(q->stop));
	switch (q->stop) {
	case ARCVM_STOP_MMIO:
		fprintf(stderr, " (%s at 0x%" PRIx64 ")",
			q->stop_info ? "write" : "read", (uint64_t)q->stop_addr);
		break;
	case ARCVM_STOP_IO:
		fprintf(stderr, " (port 0x%" PRIx64 ")", (uint64_t)q->stop_addr);
		break;
	case ARCVM_STOP_CONSOLE:
		fprintf(stderr, " (%s)", strerror((int)-q->stop_info));
		break;
	case ARCVM_STOP_ERROR:
		if (q->stop_info < 0)
			fprintf(stderr, " (%s)", strerror((int)-q->stop_info));
		else
			fprintf(stderr, " (KVM exit %" PRId64 ", detail 0x%" PRIx64 ")",
				(int64_t)q->stop_info, (uint64_t)q->stop_addr);
		break;
	}
	fprintf(stderr, "; %.3f s; exits:", q->run_ns / 1e9);
	for (i = 0; i < ARCVM_NR_EXITS; i++)
		if (q->exits[i])
			fprintf(stderr, " %s %" PRIu64, exit_names[i],
				(uint64_t)q->exits[i]);
	fprintf(stderr, "; console %" PRIu64 " bytes\n",
		(uint64_t)q->console_bytes);
}

static void report_json(const struct arcvm_run *q, const struct relay *r)
{
	int i;

	printf("{\"stop\":\"%s\",\"stop_info\":%" PRId64 ",\"stop_addr\":%" PRIu64
	       ",\"run_ns\":%" PRIu64 ",\"console_bytes\":%" PRIu64 ",\"exits\":{",
	       stop_name(q->stop), (int64_t)q->stop_info, (uint64_t)q->stop_addr,
	       (uint64_t)q->run_ns, (uint64_t)q->console_bytes);
	for (i = 0; i < ARCVM_NR_EXITS; i++)
		printf("%s\"%s\":%" PRIu64, i ? "," : "", exit_names[i],
		       (uint64_t)q->exits[i]);
	fputs("},\"console\":", stdout);
	json_string(r->buf ? r->buf : "", r->len);
	puts("}");
}

static void on_signal(int sig)
{
	(void)sig;	/* only to interrupt the ioctl */
}

static const char *ioctl_error(int err)
{
	switch (err) {
	case EINVAL:
		return "the module refused the request (mode, size or timeout out of range: see arcvm(8))";
	case E2BIG:
		return "--mem is above the module's max_mem_mb";
	case ENODEV:
		return "no usable KVM in this kernel (is kvm_amd or kvm_intel loaded?)";
	case EACCES:
		return "permission denied for /dev/kvm";
	case EBUSY:
		return "the module runs max_vms VMs already";
	default:
		return strerror(err);
	}
}

static int cmd_run(int argc, char **argv, bool json)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "mem", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct arcvm_run q = {
		.mode = ARCVM_MODE_REAL,
		.mem_size = 2 << 20,
		.timeout_ms = 10000,
	};
	struct relay r = { .out = json ? NULL : stdout };
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t relay;
	int c, dev, pipefd[2], err;
	void *image;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "real"))
				q.mode = ARCVM_MODE_REAL;
			else if (!strcmp(optarg, "long"))
				q.mode = ARCVM_MODE_LONG;
			else
				die("--mode '%s': must be real or long", optarg);
			break;
		case 's':
			q.mem_size = parse_size(optarg);
			break;
		case 't':
			q.timeout_ms = parse_timeout(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();
	image = read_image(argv[optind], &q.image_len);
	q.image = (uintptr_t)image;

	dev = open(ARCVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("%s: %s%s", ARCVM_DEVICE, strerror(errno),
		    errno == ENOENT ? " (is arc_minivm loaded?)" : "");
	if (pipe2(pipefd, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	r.fd = pipefd[0];
	q.console_fd = pipefd[1];
	if (pthread_create(&relay, NULL, relay_main, &r))
		die("cannot start the console thread");
	/* No SA_RESTART: the signal ends the run, which is then reported. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = ioctl(dev, ARCVM_RUN, &q) ? errno : 0;
	close(pipefd[1]);
	pthread_join(relay, NULL);
	if (err)
		die("%s", ioctl_error(err));
	if (r.err)
		fprintf(stderr, "arcvm: console: %s\n", strerror(r.err));
	if (json)
		report_json(&q, &r);
	else
		report_text(&q);
	free(r.buf);
	free(image);
	return q.stop == ARCVM_STOP_HLT ? 0 : EXIT_STOP_BASE + (int)q.stop;
}

int main(int argc, char **argv)
{
	bool json = false;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--json")) {
		json = true;
		i++;
	}
	if (i >= argc)
		usage();
	if (!strcmp(argv[i], "run"))
		return cmd_run(argc - i, argv + i, json);
	if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
		usage();
	fprintf(stderr, "arcvm: unknown command '%s'\n", argv[i]);
	usage();
	return EXIT_USAGE;
}
