// SPDX-License-Identifier: GPL-2.0
/*
 * reach - does traffic from one local address get through to a server?
 *
 *   reach tcp SRC DST PORT    exit 0 if a TCP connection is accepted
 *   reach udp SRC DST PORT    exit 0 if a datagram is echoed back
 *
 * Exit status 1 when nothing came back in time (a drop), 2 on bad
 * arguments or a local error. The firewall tests run hundreds of these
 * checks in an emulated guest, where starting python costs about a
 * second and this costs a few tens of milliseconds.
 *
 * TCP waits up to 1.5 s for the connection; UDP sends twice, waiting up
 * to 1 s for the echo each time (net.py serve answers).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse_addr(const char *s, unsigned short port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return 0;
	}
	fprintf(stderr, "reach: '%s' is not an IPv4 or IPv6 address\n", s);
	return -1;
}

/* Wait for @events on @fd for up to @ms milliseconds: 1 if ready. */
static int wait_for(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

static int tcp(int fd, const struct sockaddr *dst, socklen_t len)
{
	socklen_t elen = sizeof(int);
	int err = 0;

	if (connect(fd, dst, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return 1;
	if (!wait_for(fd, POLLOUT, 1500))
		return 1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return 2;
	return err ? 1 : 0;
}

static int udp(int fd, const struct sockaddr *dst, socklen_t len)
{
	static const char msg[] = "ping";
	char buf[64];
	int i;

	for (i = 0; i < 2; i++) {
		if (sendto(fd, msg, sizeof(msg) - 1, 0, dst, len) < 0)
			return 1;
		if (!wait_for(fd, POLLIN, 1000))
			continue;
		if (recv(fd, buf, sizeof(buf), 0) == sizeof(msg) - 1 &&
		    !memcmp(buf, msg, sizeof(msg) - 1))
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	int is_tcp, fd, port;
	char *end;

	if (argc != 5 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		fprintf(stderr, "usage: reach tcp|udp SRC DST PORT\n");
		return 2;
	}
	is_tcp = !strcmp(argv[1], "tcp");
	port = strtol(argv[4], &end, 10);
	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "reach: bad port '%s'\n", argv[4]);
		return 2;
	}
	if (parse_addr(argv[2], 0, &src, &slen) ||
	    parse_addr(argv[3], port, &dst, &dlen))
		return 2;
	if (src.ss_family != dst.ss_family) {
		fprintf(stderr, "reach: %s and %s are of different families\n",
			argv[2], argv[3]);
		return 2;
	}
	fd = socket(dst.ss_family,
		    (is_tcp ? SOCK_STREAM | SOCK_NONBLOCK : SOCK_DGRAM), 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, slen) < 0) {
		perror("reach: socket/bind");
		return 2;
	}
	if (is_tcp)
		return tcp(fd, (struct sockaddr *)&dst, dlen);
	return udp(fd, (struct sockaddr *)&dst, dlen);
}
