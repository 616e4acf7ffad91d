// SPDX-License-Identifier: GPL-2.0
/*
 * reach - does traffic from one local address get through to a server?
 *
 *   reach tcp SRC DST PORT    exit 0 if a TCP connection is accepted
 *   reach udp SRC DST PORT    exit 0 if a datagram is echoed back
 *
 * Exit status, one per outcome (only 1 may count as a firewall's drop):
 *   0  through: the connection was accepted, or the echo came back
 *   1  no answer at all in time; prints "sent N" (the packets it sent:
 *      SYNs with their retransmissions, or datagrams) on stdout
 *   2  bad arguments
 *   3  refused or reset (a TCP RST, or ICMP port unreachable for UDP)
 *   4  another ICMP error (host, network or admin unreachable, ...)
 *   5  a local error (socket, bind, connect or send failed here)
 *   6  an answer, but not the one expected (UDP echo with other data)
 * Every status but 0 and 1 comes with a line on stderr saying what
 * happened. The firewall tests run hundreds of these checks in an
 * emulated guest, where starting python costs about a second and this
 * costs a few tens of milliseconds.
 *
 * TCP waits up to 1.5 s for the connection; UDP sends twice, waiting up
 * to 1 s for the echo each time (net.py serve answers).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
	REACH_THROUGH,
	REACH_TIMEOUT,
	REACH_USAGE,
	REACH_REFUSED,
	REACH_ICMP,
	REACH_LOCAL,
	REACH_UNEXPECTED,
};

static const char *what;	/* "tcp SRC DST PORT", for messages */

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

static int local_error(const char *call, int err)
{
	fprintf(stderr, "reach %s: local error: %s: %s\n", what, call,
		strerror(err));
	return REACH_LOCAL;
}

/* An error the network sent back (@err from SO_ERROR or a receive). */
static int remote_error(int err)
{
	fprintf(stderr, "reach %s: %s\n", what, strerror(err));
	if (err == ECONNREFUSED || err == ECONNRESET)
		return REACH_REFUSED;
	return REACH_ICMP;
}

static int timeout(unsigned int sent)
{
	printf("sent %u\n", sent);
	return REACH_TIMEOUT;
}

/*
 * A connection that got through is reset, not closed: a FIN exchange
 * would outlive reach, and a late FIN or ACK from SRC could be counted
 * by a block that the test adds next.
 */
static int reset(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		return local_error("SO_LINGER", errno);
	close(fd);
	return REACH_THROUGH;
}

static int tcp(int fd, const struct sockaddr *dst, socklen_t len)
{
	socklen_t elen = sizeof(int), ilen = sizeof(struct tcp_info);
	struct tcp_info ti;
	int err = 0;

	if (connect(fd, dst, len) == 0)
		return reset(fd);
	if (errno != EINPROGRESS)
		return local_error("connect", errno);
	if (!wait_for(fd, POLLOUT, 1500)) {
		/* The first SYN and every retransmission of it. */
		memset(&ti, 0, sizeof(ti));
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &ilen) < 0)
			return local_error("TCP_INFO", errno);
		return timeout(1 + ti.tcpi_total_retrans);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return local_error("SO_ERROR", errno);
	return err ? remote_error(err) : reset(fd);
}

static int udp(int fd, const struct sockaddr *dst, socklen_t len)
{
	static const char msg[] = "ping";
	unsigned int sent = 0;
	char buf[64];
	ssize_t n;
	int i;

	/*
	 * Connected, with extended errors on: every ICMP error about our
	 * datagrams (not only the "hard" ones) fails the next receive.
	 */
	if (connect(fd, dst, len) < 0)
		return local_error("connect", errno);
	for (i = 0; i < 2; i++) {
		if (send(fd, msg, sizeof(msg) - 1, 0) < 0)
			return local_error("send", errno);
		sent++;
		if (!wait_for(fd, POLLIN, 1000))
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return remote_error(errno);
		if (n != sizeof(msg) - 1 || memcmp(buf, msg, n)) {
			fprintf(stderr, "reach %s: %zd bytes came back, not the echo\n",
				what, n);
			return REACH_UNEXPECTED;
		}
		return REACH_THROUGH;
	}
	return timeout(sent);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	int is_tcp, fd, port, on = 1;
	static char desc[256];
	char *end;

	if (argc != 5 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		fprintf(stderr, "usage: reach tcp|udp SRC DST PORT\n");
		return REACH_USAGE;
	}
	snprintf(desc, sizeof(desc), "%s %s %s %s", argv[1], argv[2], argv[3],
		 argv[4]);
	what = desc;
	is_tcp = !strcmp(argv[1], "tcp");
	port = strtol(argv[4], &end, 10);
	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "reach: bad port '%s'\n", argv[4]);
		return REACH_USAGE;
	}
	if (parse_addr(argv[2], 0, &src, &slen) ||
	    parse_addr(argv[3], port, &dst, &dlen))
		return REACH_USAGE;
	if (src.ss_family != dst.ss_family) {
		fprintf(stderr, "reach: %s and %s are of different families\n",
			argv[2], argv[3]);
		return REACH_USAGE;
	}
	fd = socket(dst.ss_family,
		    (is_tcp ? SOCK_STREAM | SOCK_NONBLOCK : SOCK_DGRAM), 0);
	if (fd < 0)
		return local_error("socket", errno);
	if (!is_tcp &&
	    (dst.ss_family == AF_INET ?
	     setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) :
	     setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on))) < 0)
		return local_error("setsockopt RECVERR", errno);
	if (bind(fd, (struct sockaddr *)&src, slen) < 0)
		return local_error("bind", errno);
	if (is_tcp)
		return tcp(fd, (struct sockaddr *)&dst, dlen);
	return udp(fd, (struct sockaddr *)&dst, dlen);
}
