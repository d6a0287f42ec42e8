// SPDX-License-Identifier: GPL-2.0
/*
 * irqlat's GPIO source (--source gpio): the edges of a GPIO line, read
 * through the character device (uAPI v2) the way programs read them, in a
 * blocking read() or in epoll_wait() (--wait).
 *
 * The edges are raised every --interval by a SCHED_FIFO 99 thread on
 * --irq-cpu: on a gpio-sim line by writing its pull in sysfs (gpio-sim's
 * interrupt is a hard irq_work, taken on the writing CPU), on a board by
 * toggling an output line wired to the input (--gpio-out, the loopback of
 * Xenomai's latmus -I/-O and Zephyr's latmon).  The latency of an edge is
 * the moment the waiter runs again minus the edge's own timestamp_ns,
 * which gpiolib took in the hard irq (CLOCK_MONOTONIC): the arrival is the
 * hard irq, not the toggle.
 *
 * Edges closer together than the interrupt's own latency are one
 * interrupt (gpio-sim, like a latched edge detector, raises one irq for
 * both): the run then has fewer samples than edges.  Once every edge is
 * raised and no event came for 100 intervals (at least 100 ms), the wait is
 * interrupted and the run ends.
 *
 * Where the handler ran comes from /sys/kernel/irq_migrate (the series'
 * companion module): the line's irq is the one named "irqlat", and an edge
 * ran in the waiter when its migrated count grew across it.  The mode is
 * written there too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/gpio.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "irqlat.h"

#define MAP "/sys/kernel/irq_migrate"

static const char *const modes[] = { "thread", "migrate", "urgent" };

static struct {
	const struct opts *o;
	int line_fd, ep, out_fd;	/* out_fd: the pull file or the output line */
	int sim;			/* out_fd is a gpio-sim pull file */
	char dir[PATH_MAX];		/* the irq's directory in the map */
	int migrated_fd;
	unsigned long long migrated;	/* the count before the next edge */
	unsigned long long raised;
	volatile int stop;
	volatile int done;		/* every edge raised, the grace is over */
	volatile unsigned long nread;	/* events read: the reader writes, the firer reads */
	pthread_t firer, reader;
} g = { .line_fd = -1, .ep = -1, .out_fd = -1, .migrated_fd = -1 };

static int err(const char *what, const char *arg)
{
	fprintf(stderr, "irqlat: --source gpio: %s%s%s: %s\n", what, arg ? " " : "",
		arg ? arg : "", strerror(errno));
	return -1;
}

/* CHIP:LINE into "/dev/CHIP" and LINE. */
static int parse_line(const char *spec, char *dev, size_t len, unsigned int *line)
{
	const char *colon = strrchr(spec, ':');
	char *end;

	if (!colon || colon == spec || !colon[1])
		goto bad;
	*line = strtoul(colon + 1, &end, 10);
	if (*end)
		goto bad;
	snprintf(dev, len, "/dev/%.*s", (int)(colon - spec), spec);
	return 0;
bad:
	fprintf(stderr, "irqlat: bad GPIO line '%s': use CHIP:LINE, e.g. gpiochip0:17\n", spec);
	return -1;
}

static int request(const char *spec, unsigned long long flags, const char *consumer)
{
	struct gpio_v2_line_request req;
	unsigned int line;
	char dev[64];
	int fd;

	if (parse_line(spec, dev, sizeof(dev), &line))
		return -1;
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err("open", dev);
	memset(&req, 0, sizeof(req));
	req.offsets[0] = line;
	req.num_lines = 1;
	snprintf(req.consumer, sizeof(req.consumer), "%s", consumer);
	req.config.flags = flags;
	if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req)) {
		err("requesting", spec);
		close(fd);
		return -1;
	}
	close(fd);
	return req.fd;
}

/* The gpio-sim pull file of CHIP:LINE, or -1 when it is not a gpio-sim line. */
static int sim_pull(const char *spec)
{
	char link[PATH_MAX], real[PATH_MAX], path[PATH_MAX + 32];
	const char *colon = strrchr(spec, ':');
	unsigned int line = strtoul(colon + 1, NULL, 10);

	snprintf(link, sizeof(link), "/sys/bus/gpio/devices/%.*s", (int)(colon - spec), spec);
	if (!realpath(link, real))
		return -1;
	snprintf(path, sizeof(path), "%s/sim_gpio%u/pull", real, line);
	return open(path, O_WRONLY | O_CLOEXEC);
}

/* The map's directory of the irq named "irqlat". */
static int find_irq(void)
{
	char path[PATH_MAX], name[64];
	int i, fd, found = 0;
	ssize_t n;

	for (i = 0; i < 4096 && !found; i++) {
		snprintf(path, sizeof(path), MAP "/%d/name", i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, name, sizeof(name) - 1);
		close(fd);
		if (n > 0 && !strncmp(name, "irqlat\n", n)) {
			snprintf(g.dir, sizeof(g.dir), MAP "/%d", i);
			found = 1;
		}
	}
	if (!found) {
		fprintf(stderr, "irqlat: --source gpio: the line's irq is not in %s: not migrated (CONFIG_GPIO_CDEV_MIGRATE, a line that can migrate) or irq_migrate_sysfs.ko not loaded\n",
			MAP);
		return -1;
	}
	return 0;
}

static unsigned long long map_num(const char *file)
{
	char path[PATH_MAX + 16], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", g.dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strtoull(buf, NULL, 10);
}

static void raise_edge(int level)
{
	if (g.sim) {
		const char *v = level ? "pull-up" : "pull-down";

		if (pwrite(g.out_fd, v, strlen(v), 0) < 0)
			perror("irqlat: gpio-sim pull");
	} else {
		struct gpio_v2_line_values lv = { .bits = level, .mask = 1 };

		if (ioctl(g.out_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv))
			perror("irqlat: GPIO_V2_LINE_SET_VALUES_IOCTL");
	}
}

/* One edge every interval, at SCHED_FIFO 99, on --irq-cpu. */
static void *firer_fn(void *arg)
{
	const struct opts *o = g.o;
	struct timespec next;
	unsigned long seen;
	int level = 0, i;

	(void)arg;
	firer_setup(o, &next);
	while (!g.stop && (!o->loops || g.raised < o->loops)) {
		firer_sleep(o, &next);
		if (g.stop)
			break;
		level = !level;
		raise_edge(level);
		g.raised++;
	}
	/*
	 * Let the last events in: the grace ends 100 intervals after the
	 * last event read, however slow the reader (a debug kernel); then
	 * interrupt the wait until it stops.
	 */
	for (i = 0, seen = g.nread; !g.stop; i++) {
		usleep(o->interval_us > 1000 ? o->interval_us : 1000);
		if (g.nread != seen) {
			seen = g.nread;
			i = 0;
		}
		if (i >= 100) {
			g.done = 1;
			pthread_kill(g.reader, SIGUSR2);
		}
	}
	return NULL;
}

static void on_usr2(int sig)
{
	(void)sig;
}

int gpio_src_start(const struct opts *o)
{
	char path[PATH_MAX + 16];
	int fd;

	g.o = o;
	if (o->mode > 2) {
		fprintf(stderr, "irqlat: --source gpio: mode %s is the test driver's only\n",
			o->mode == 3 ? "hardirq" : "?");
		return -1;
	}
	if (!o->gpio_in) {
		fprintf(stderr, "irqlat: --source gpio needs --gpio=CHIP:LINE\n");
		return -1;
	}
	/* The output first: a wire's idle level is set before edges are read. */
	if (o->gpio_out) {
		g.out_fd = request(o->gpio_out, GPIO_V2_LINE_FLAG_OUTPUT, "irqlat-out");
		if (g.out_fd < 0)
			return -1;
	} else {
		g.out_fd = sim_pull(o->gpio_in);
		if (g.out_fd < 0) {
			fprintf(stderr, "irqlat: --gpio=%s is not a gpio-sim line: give --gpio-out=CHIP:LINE, an output wired to it\n",
				o->gpio_in);
			return -1;
		}
		g.sim = 1;
	}
	raise_edge(0);
	g.line_fd = request(o->gpio_in, GPIO_V2_LINE_FLAG_INPUT |
			    GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING,
			    "irqlat");
	if (g.line_fd < 0)
		return -1;
	if (find_irq())
		return -1;
	snprintf(path, sizeof(path), "%s/mode", g.dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, modes[o->mode], strlen(modes[o->mode])) < 0) {
		err("setting the mode in", path);
		return -1;
	}
	close(fd);
	if (o->wait == IRQLAT_WAIT_EPOLL) {
		struct epoll_event e = { .events = EPOLLIN };

		fcntl(g.line_fd, F_SETFL, O_NONBLOCK);
		g.ep = epoll_create1(EPOLL_CLOEXEC);
		if (g.ep < 0 || epoll_ctl(g.ep, EPOLL_CTL_ADD, g.line_fd, &e))
			return err("epoll", NULL);
	}
	g.migrated = map_num("migrated");
	/* No SA_RESTART: the wait returns EINTR once the firer is done. */
	sigaction(SIGUSR2, &(struct sigaction){ .sa_handler = on_usr2 }, NULL);
	g.reader = pthread_self();
	errno = pthread_create(&g.firer, NULL, firer_fn, NULL);
	if (errno)
		return err("pthread_create", NULL);
	return 0;
}

/*
 * Wait for the next edge; fill @smp as the test driver would.  Return 0, or
 * -1 with errno set: ENODATA once every edge was raised and no more came.
 */
int gpio_src_next(struct ihm_sample *smp)
{
	struct gpio_v2_line_event ev;
	unsigned long long now, m;
	struct timespec ts;
	ssize_t n;

	if (g.done) {
		errno = ENODATA;
		return -1;
	}
	if (g.ep >= 0) {
		struct epoll_event e;

		if (epoll_wait(g.ep, &e, 1, -1) < 0) {
			if (errno == EINTR && g.done)
				errno = ENODATA;
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		n = read(g.line_fd, &ev, sizeof(ev));
	} else {
		n = read(g.line_fd, &ev, sizeof(ev));
		clock_gettime(CLOCK_MONOTONIC, &ts);
	}
	if (n != sizeof(ev)) {
		if (n >= 0)
			errno = EIO;
		else if (errno == EINTR && g.done)
			errno = ENODATA;
		return -1;
	}
	g.nread++;
	now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	memset(smp, 0, sizeof(*smp));
	smp->seq = ev.line_seqno;
	/* The arrival is the hard irq; the handler's own times are not seen. */
	smp->t_expected = smp->t_hardirq = smp->t_thread = smp->t_thread_end = ev.timestamp_ns;
	smp->t_resume = now;
	m = map_num("migrated");
	if (m > g.migrated)
		smp->flags |= IHM_SAMPLE_IN_READER | IHM_SAMPLE_MIGRATED;
	g.migrated = m;
	return 0;
}

void gpio_src_stop(struct ihm_stats *st)
{
	g.stop = 1;
	pthread_join(g.firer, NULL);
	memset(st, 0, sizeof(*st));
	st->fired = g.raised;
	st->runs_migrated = map_num("migrated");
	st->runs_in_thread = map_num("fallback");
	st->runs = st->runs_migrated + st->runs_in_thread;
	st->hardirqs = st->runs;
	st->info_urgent = map_num("urgent");
	close(g.line_fd);
	if (g.ep >= 0)
		close(g.ep);
	close(g.out_fd);
}
