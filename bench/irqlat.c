// SPDX-License-Identifier: GPL-2.0
/*
 * irqlat - latency from a device interrupt to the task waiting for it,
 * through /dev/ihm_test (the kernel measures, this tool displays).
 *
 *   irqlat [-l LOOPS] [-i INTERVAL_US] [-a CPU] [-p PRIO] [-q]
 *          [--mode thread|migrate|urgent] [--source timer|edu]
 *
 * Per sample the driver gives: the programmed arrival, hard irq entry,
 * threaded handler entry and exit, and the moment the reader resumed.
 * irqlat prints cyclictest's status line (latency = resume - arrival) with
 * two columns added, IRQ (arrival to handler entry) and TSK (handler exit
 * to the reader running), and a summary with percentiles and how many
 * handler runs happened in the reader.  It always frees the irq (and so
 * puts its mode back) on exit, also on Ctrl-C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../tests/kmod/ihm_test.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long pct(unsigned long long *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

static void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: irqlat [-l LOOPS] [-i INTERVAL_US] [-a CPU] [-p PRIO] [-q]\n"
		"              [--mode thread|migrate|urgent] [--source timer|edu]\n");
	exit(rc);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "loops", required_argument, NULL, 'l' },
		{ "interval", required_argument, NULL, 'i' },
		{ "affinity", required_argument, NULL, 'a' },
		{ "priority", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "mode", required_argument, NULL, 'M' },
		{ "source", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'H' },
		{ }
	};
	unsigned int loops = 1000, interval = 1000, mode = IHM_MODE_MIGRATE;
	unsigned int source = IHM_SRC_TIMER, prio = 90, quiet = 0;
	unsigned long long *lat, *irq, *tsk, sum = 0, in_reader = 0;
	unsigned long long min = ~0ULL, max = 0;
	struct ihm_setup st;
	struct ihm_stats s;
	struct sigaction sa = { .sa_handler = on_signal };
	int cpu = -1, fd, c;
	size_t n = 0;

	while ((c = getopt_long(argc, argv, "l:i:a:p:qh", lopts, NULL)) != -1) {
		switch (c) {
		case 'l': loops = strtoul(optarg, NULL, 0); break;
		case 'i': interval = strtoul(optarg, NULL, 0); break;
		case 'a': cpu = atoi(optarg); break;
		case 'p': prio = strtoul(optarg, NULL, 0); break;
		case 'q': quiet = 1; break;
		case 'M':
			if (!strcmp(optarg, "thread"))
				mode = IHM_MODE_THREAD;
			else if (!strcmp(optarg, "migrate"))
				mode = IHM_MODE_MIGRATE;
			else if (!strcmp(optarg, "urgent"))
				mode = IHM_MODE_URGENT;
			else
				usage(2);
			break;
		case 'S':
			if (!strcmp(optarg, "timer"))
				source = IHM_SRC_TIMER;
			else if (!strcmp(optarg, "edu"))
				source = IHM_SRC_EDU;
			else
				usage(2);
			break;
		case 'h': case 'H': usage(0); break;
		default: usage(2);
		}
	}
	if (!loops || !interval)
		usage(2);
	/* Every sample is kept (3 x 8 bytes) for exact percentiles, locked in RAM. */
	if (loops > 10000000) {
		fprintf(stderr, "irqlat: -l %u is more than 10000000 loops\n", loops);
		return 2;
	}

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("irqlat: sched_setaffinity");
	}
	if (prio) {
		struct sched_param sp = { .sched_priority = prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			perror("irqlat: sched_setscheduler");
	}
	mlockall(MCL_CURRENT | MCL_FUTURE);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	lat = calloc(loops, sizeof(*lat));
	irq = calloc(loops, sizeof(*irq));
	tsk = calloc(loops, sizeof(*tsk));
	if (!lat || !irq || !tsk) {
		fprintf(stderr, "irqlat: no memory for %u samples\n", loops);
		return 1;
	}
	fd = open(IHM_TEST_DEV, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "irqlat: %s: %s (load ihm_test.ko)\n", IHM_TEST_DEV, strerror(errno));
		return 1;
	}
	st.source = source;
	st.period_us = interval;
	/* The mode first: the interrupt starts firing at request. */
	if (ioctl(fd, IHM_TEST_REQUEST, &st)) {
		fprintf(stderr, "irqlat: request: %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(fd, IHM_TEST_SET_MODE, &mode)) {
		fprintf(stderr, "irqlat: set mode: %s\n", strerror(errno));
		ioctl(fd, IHM_TEST_FREE, &s);
		return 1;
	}

	while (n < loops && !stop) {
		struct ihm_sample smp;

		if (read(fd, &smp, sizeof(smp)) != sizeof(smp)) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "irqlat: read: %s\n", strerror(errno));
			break;
		}
		lat[n] = smp.t_resume - smp.t_expected;
		irq[n] = smp.t_thread - smp.t_expected;
		tsk[n] = smp.t_resume - smp.t_thread_end;
		sum += lat[n];
		min = lat[n] < min ? lat[n] : min;
		max = lat[n] > max ? lat[n] : max;
		in_reader += !!(smp.flags & IHM_SAMPLE_IN_READER);
		n++;
		if (!quiet && !(n % 100))
			printf("T: 0 (%5d) P:%2u I:%u C:%7zu Min:%7llu Act:%5llu Avg:%5llu Max:%8llu IRQ:%5llu TSK:%5llu\n",
			       getpid(), prio, interval, n, min / 1000, lat[n - 1] / 1000,
			       sum / n / 1000, max / 1000, irq[n - 1] / 1000, tsk[n - 1] / 1000);
	}
	/* Always free: the mode goes with the action. */
	ioctl(fd, IHM_TEST_FREE, &s);

	qsort(lat, n, sizeof(*lat), cmp_u64);
	qsort(irq, n, sizeof(*irq), cmp_u64);
	qsort(tsk, n, sizeof(*tsk), cmp_u64);
	printf("T: 0 (%5d) P:%2u I:%u C:%7zu Min:%7llu Avg:%5llu Max:%8llu\n",
	       getpid(), prio, interval, n, n ? min / 1000 : 0,
	       n ? sum / n / 1000 : 0, max / 1000);
	printf("# mode %s source %s: samples %zu, in reader %llu, p50 %.1f p99 %.1f p99.9 %.1f max %.1f us; IRQ p50 %.1f, TSK p50 %.1f us\n",
	       mode == IHM_MODE_THREAD ? "thread" : mode == IHM_MODE_MIGRATE ? "migrate" : "urgent",
	       source == IHM_SRC_EDU ? "edu" : "timer", n, in_reader,
	       pct(lat, n, 50) / 1e3, pct(lat, n, 99) / 1e3, pct(lat, n, 99.9) / 1e3,
	       n ? lat[n - 1] / 1e3 : 0, pct(irq, n, 50) / 1e3, pct(tsk, n, 50) / 1e3);
	printf("# driver: %llu fires, %llu runs, %llu migrated, %llu in the irq thread\n",
	       s.fired, s.runs, s.runs_migrated, s.runs_in_thread);
	return stop && n < loops ? 130 : 0;
}
