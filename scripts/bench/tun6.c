// SPDX-License-Identifier: GPL-2.0
/*
 * tun6: inject IPv6/UDP packets with random source addresses through a
 * tun device, for the firewall benchmark (scripts/bench/fw.py). pktgen
 * randomises only IPv4 sources; this gives the IPv6 rows the same mix of
 * blocklist hits and misses.
 *
 *   tun6 DEV COUNT SRC_BASE RANGE DST
 *
 * DEV is an existing tun device (IFF_TUN, no packet information), up.
 * Each packet's source is SRC_BASE plus a random offset below RANGE
 * (added to the low 32 bits), its destination DST. A write to a tun
 * device runs the receive path (PRE_ROUTING included) before it returns,
 * so the rate printed ("N pps") is the rate at which the stack processed
 * the packets. The UDP checksum is left zero: the packets are dropped or
 * blackholed before UDP ever sees them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define PKT_LEN		50	/* 40 IPv6 + 8 UDP + 2 payload: 64 on Ethernet */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static int tun_open(const char *dev)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0) {
		perror("tun6: /dev/net/tun");
		return -1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "tun6: attach to %s: %s\n", dev, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	unsigned char pkt[PKT_LEN] = { 0 };
	struct in6_addr src, dst;
	unsigned long count, range, i;
	uint32_t base_lo;
	struct timespec t0, t1;
	double secs;
	int fd;

	if (argc != 6 || inet_pton(AF_INET6, argv[3], &src) != 1 ||
	    inet_pton(AF_INET6, argv[5], &dst) != 1) {
		fprintf(stderr, "usage: tun6 DEV COUNT SRC_BASE RANGE DST\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 0);
	range = strtoul(argv[4], NULL, 0);
	if (!count || !range || range > UINT32_MAX) {
		fprintf(stderr, "tun6: COUNT and RANGE must be 1 or more (RANGE below 2^32)\n");
		return 2;
	}
	fd = tun_open(argv[1]);
	if (fd < 0)
		return 1;

	pkt[0] = 0x60;				/* version 6 */
	pkt[5] = PKT_LEN - 40;			/* payload length */
	pkt[6] = IPPROTO_UDP;
	pkt[7] = 64;				/* hop limit */
	memcpy(pkt + 8, &src, 16);
	memcpy(pkt + 24, &dst, 16);
	pkt[40] = 0x30;				/* source port 12345 */
	pkt[41] = 0x39;
	pkt[42] = 0x00;				/* destination port 9 */
	pkt[43] = 0x09;
	pkt[45] = PKT_LEN - 40;			/* UDP length */
	memcpy(&base_lo, pkt + 20, 4);
	base_lo = ntohl(base_lo);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		uint32_t lo = htonl(base_lo + rng_next() % range);

		memcpy(pkt + 20, &lo, 4);
		if (write(fd, pkt, sizeof(pkt)) != sizeof(pkt)) {
			fprintf(stderr, "tun6: write: %s\n", strerror(errno));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%lu packets in %.3f s: %.0f pps\n", count, secs, count / secs);
	close(fd);
	return 0;
}
