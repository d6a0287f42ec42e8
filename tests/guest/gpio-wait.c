// SPDX-License-Identifier: GPL-2.0
/*
 * gpio-wait: an edge-event reader of the GPIO character device (uAPI v2)
 * that waits the way event loops do, for the in-guest tests of
 * gpiolib-cdev on IHM.
 *
 *   gpio-wait read|poll|select|epoll CHIP OFFSET [OFFSET]
 *
 * Requests each OFFSET of /dev/CHIP as its own line request (its own file,
 * its own irq), both edges, and waits for events on all of them in the
 * named call: a blocking read() (one line only), poll(), select() or
 * epoll_wait().  Each event is printed as it is read, until SIGTERM:
 *
 *   EVENT <line index> <seqno> <line_seqno> rising|falling <timestamp_ns>
 *
 * Two signals act from another thread while the main one waits, armed:
 * SIGUSR1 closes the line files (the request is released and its irq freed
 * under the waiter; epoll only), SIGUSR2 reconfigures every line with
 * GPIO_V2_LINE_SET_CONFIG_IOCTL, rising edges only, then both again at the
 * next SIGUSR2 (the irq is freed and requested again).  Each prints
 * "CLOSED" or "CONFIG rising|both" when done.
 *
 * The output is line buffered, so a test sees each event once printed.
 * Exit status: 0 on SIGTERM, 1 on an error (one line on stderr: the chip
 * removed under it is "gpio-wait: read: No such device"), 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#define MAX_LINES 2

static volatile sig_atomic_t stop;
static int fds[MAX_LINES], nfds;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int die(const char *what)
{
	fprintf(stderr, "gpio-wait: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int request_line(const char *chip, unsigned int offset)
{
	struct gpio_v2_line_request req;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", chip);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	memset(&req, 0, sizeof(req));
	req.offsets[0] = offset;
	req.num_lines = 1;
	strcpy(req.consumer, "gpio-wait");
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING;
	if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req))
		die("GPIO_V2_GET_LINE_IOCTL");
	close(fd);
	return req.fd;
}

static void set_edges(int fd, int both)
{
	struct gpio_v2_line_config c;

	memset(&c, 0, sizeof(c));
	c.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
		  (both ? GPIO_V2_LINE_FLAG_EDGE_FALLING : 0);
	if (ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &c))
		die("GPIO_V2_LINE_SET_CONFIG_IOCTL");
}

/* SIGUSR1 and SIGUSR2, taken here while the main thread waits. */
static void *control_fn(void *arg)
{
	sigset_t *set = arg;
	int sig, i, both = 1;

	for (;;) {
		if (sigwait(set, &sig))
			continue;
		if (sig == SIGUSR1) {
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			printf("CLOSED\n");
		} else {
			both = !both;
			for (i = 0; i < nfds; i++)
				set_edges(fds[i], both);
			printf("CONFIG %s\n", both ? "both" : "rising");
		}
	}
	return NULL;
}

/* Read and print the events a ready (or blocking) line file has. */
static void drain(int idx, int fd)
{
	struct gpio_v2_line_event ev[16];
	ssize_t n = read(fd, ev, sizeof(ev));
	int i;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0)
		die("read");
	if (n % sizeof(ev[0])) {
		errno = EIO;
		die("short event");
	}
	for (i = 0; i < n / (ssize_t)sizeof(ev[0]); i++)
		printf("EVENT %d %u %u %s %llu\n", idx, ev[i].seqno, ev[i].line_seqno,
		       ev[i].id == GPIO_V2_LINE_EVENT_RISING_EDGE ? "rising" : "falling",
		       (unsigned long long)ev[i].timestamp_ns);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	static sigset_t ctl;
	int n, i, ep = -1;
	const char *how;
	pthread_t t;

	if (argc < 4 || argc > 3 + MAX_LINES) {
		fprintf(stderr, "usage: gpio-wait read|poll|select|epoll CHIP OFFSET [OFFSET]\n");
		return 2;
	}
	how = argv[1];
	n = argc - 3;
	if (strcmp(how, "read") && strcmp(how, "poll") && strcmp(how, "select") &&
	    strcmp(how, "epoll")) {
		fprintf(stderr, "gpio-wait: unknown wait '%s': use read, poll, select or epoll\n", how);
		return 2;
	}
	if (!strcmp(how, "read") && n != 1) {
		fprintf(stderr, "gpio-wait: a blocking read() waits for one line\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: the wait returns EINTR */
	/* Blocked in every thread; the control thread takes them. */
	sigemptyset(&ctl);
	sigaddset(&ctl, SIGUSR1);
	sigaddset(&ctl, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &ctl, NULL);
	nfds = n;
	for (i = 0; i < n; i++) {
		fds[i] = request_line(argv[2], strtoul(argv[3 + i], NULL, 0));
		if (strcmp(how, "read"))
			fcntl(fds[i], F_SETFL, O_NONBLOCK);
	}
	if (!strcmp(how, "epoll")) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0)
			die("epoll_create1");
		for (i = 0; i < n; i++) {
			struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };

			if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e))
				die("epoll_ctl");
		}
	}
	errno = pthread_create(&t, NULL, control_fn, &ctl);
	if (errno)
		die("pthread_create");
	printf("READY %d\n", (int)getpid());
	while (!stop) {
		if (!strcmp(how, "read")) {
			drain(0, fds[0]);
		} else if (!strcmp(how, "poll")) {
			struct pollfd p[MAX_LINES];

			for (i = 0; i < n; i++)
				p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
			if (poll(p, n, -1) < 0 && errno != EINTR)
				die("poll");
			/* A hangup (the chip removed) is read too: read() says why. */
			for (i = 0; i < n && !stop; i++)
				if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
					drain(i, fds[i]);
		} else if (!strcmp(how, "select")) {
			fd_set r;
			int max = -1;

			FD_ZERO(&r);
			for (i = 0; i < n; i++) {
				FD_SET(fds[i], &r);
				max = fds[i] > max ? fds[i] : max;
			}
			if (select(max + 1, &r, NULL, NULL, NULL) < 0 && errno != EINTR)
				die("select");
			for (i = 0; i < n && !stop; i++)
				if (FD_ISSET(fds[i], &r))
					drain(i, fds[i]);
		} else {
			struct epoll_event e[MAX_LINES];
			int k = epoll_wait(ep, e, MAX_LINES, -1);

			if (k < 0 && errno != EINTR)
				die("epoll_wait");
			for (i = 0; i < k && !stop; i++)
				drain(e[i].data.u32, fds[e[i].data.u32]);
		}
	}
	return 0;
}
