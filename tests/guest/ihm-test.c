// SPDX-License-Identifier: GPL-2.0
/*
 * ihm-test: drive /dev/ihm_test (bench/ihm_test.c) and check where
 * the threaded handler ran.  The exit status is the verdict: 0 pass,
 * 1 fail (with the failed check on stderr), 4 skip.
 *
 *   ihm-test direct SOURCE MODE COUNT [other]
 *	COUNT times: wait until this process's reader (SCHED_FIFO 50, as
 *	urgent as the irq thread) is armed, fire once, read the sample.
 *	MODE migrate: every run happened in the reader; thread: none did.
 *	With "other" the reader is SCHED_OTHER: in every mode no run happens
 *	in it, each is counted as less urgent (mode thread: as mode thread).
 *	Then the driver's counts must equal genirq's.
 *
 *   ihm-test urgent
 *	Direct interrupt scheduling, on the timer source fired from CPU 0
 *	by this process while a SCHED_FIFO 90 reader waits, having last run
 *	on CPU 1: in mode URGENT the reader is woken on CPU 0 and the
 *	urgent count grows; the count stays when the firing task has a
 *	higher priority (SCHED_FIFO 95), when the reader may only run on
 *	CPU 1 (it then wakes there), and in mode MIGRATE; an
 *	interrupt with nobody armed runs in the irq thread, not urgent.
 *
 *   ihm-test stress SOURCE PERIOD_US SECONDS READERS [MIN_FIRES]
 *	For SECONDS, and on (up to 4 x SECONDS) until MIN_FIRES interrupts
 *	were fired: READERS forked readers that leave at random moments and
 *	are killed and respawned, the mode flipped at random and the irq
 *	freed and requested again, while the source fires every PERIOD_US.
 *	Reader 1 is SCHED_FIFO 60, the others SCHED_OTHER.
 *	At every free: no run lost (the last fire was served), none
 *	overlapping another, none in a bad context, and the runs in
 *	waiters plus the runs in the irq thread equal all runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "../../bench/ihm_test.h"

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,	\
				__LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			exit(1);					\
		}							\
	} while (0)

static int open_dev(void)
{
	int fd = open(IHM_TEST_DEV, O_RDWR);

	if (fd < 0 && errno == ENOENT) {
		fprintf(stderr, "SKIP: %s missing (ihm_test.ko not loaded)\n", IHM_TEST_DEV);
		exit(4);
	}
	CHECK(fd >= 0, "open %s: %s", IHM_TEST_DEV, strerror(errno));
	return fd;
}

static unsigned int parse_source(const char *s)
{
	if (!strcmp(s, "timer"))
		return IHM_SRC_TIMER;
	if (!strcmp(s, "edu"))
		return IHM_SRC_EDU;
	fprintf(stderr, "unknown source '%s': use timer or edu\n", s);
	exit(2);
}

static unsigned int parse_mode(const char *s)
{
	if (!strcmp(s, "thread"))
		return IHM_MODE_THREAD;
	if (!strcmp(s, "migrate"))
		return IHM_MODE_MIGRATE;
	if (!strcmp(s, "urgent"))
		return IHM_MODE_URGENT;
	fprintf(stderr, "unknown mode '%s': use thread, migrate or urgent\n", s);
	exit(2);
}

static void request(int fd, unsigned int source, unsigned int period_us)
{
	struct ihm_setup st = { .source = source, .period_us = period_us };
	int ret = ioctl(fd, IHM_TEST_REQUEST, &st);

	if (ret && errno == ENODEV) {
		fprintf(stderr, "SKIP: source not present\n");
		exit(4);
	}
	CHECK(!ret, "IHM_TEST_REQUEST: %s", strerror(errno));
}

static void stats(int fd, struct ihm_stats *s)
{
	CHECK(!ioctl(fd, IHM_TEST_STATS, s), "IHM_TEST_STATS: %s", strerror(errno));
}

/* The invariants that hold whatever happened, on the final counts of a cycle. */
static void check_final(const struct ihm_stats *s, int strict_fires)
{
	unsigned long long thread = s->info_fallback[0] + s->info_fallback[1] +
				    s->info_fallback[2] + s->info_fallback[3];

	CHECK(s->overlaps == 0, "%llu runs overlapped another", s->overlaps);
	CHECK(s->bad_ctx == 0, "%llu runs with irqs or preemption off", s->bad_ctx);
	CHECK(s->runs == s->runs_migrated + s->runs_in_thread,
	      "runs %llu != migrated %llu + thread %llu", s->runs,
	      s->runs_migrated, s->runs_in_thread);
	CHECK(s->info_migrated == s->runs_migrated,
	      "genirq counts %llu runs in waiters, the driver %llu",
	      s->info_migrated, s->runs_migrated);
	CHECK(thread == s->runs_in_thread,
	      "genirq counts %llu runs in the irq thread, the driver %llu",
	      thread, s->runs_in_thread);
	if (strict_fires) {
		CHECK(s->hardirqs == s->fired, "%llu fires, %llu hard irqs",
		      s->fired, s->hardirqs);
		CHECK(s->last_seq == s->fired,
		      "lost: the last run served fire %llu of %llu", s->last_seq, s->fired);
	}
	/*
	 * Every hard irq that woke the thread was followed by a run.  Fires
	 * that raised no hard irq at all are the device's business: the
	 * caller counts them (edu under CPU hotplug, see cmd_stress()).
	 */
	CHECK(s->hardirqs == 0 || s->runs > 0, "%llu hard irqs (%llu fires), no run",
	      s->hardirqs, s->fired);
}

/* Wait until one reader is armed; its stats are left in @s. */
static void wait_armed(int fd, struct ihm_stats *s)
{
	int tries;

	for (tries = 0; tries < 2000; tries++) {
		stats(fd, s);
		if (s->info_armed == 1)
			return;
		usleep(1000);
	}
	CHECK(s->info_armed == 1, "reader not armed after 2 s (armed=%u)", s->info_armed);
}

struct reader {
	int fd;
	int other;		/* SCHED_OTHER instead of SCHED_FIFO 50 */
	struct ihm_sample s;
	ssize_t n;
	int err;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	struct sched_param sp = { .sched_priority = r->other ? 0 : 50 };

	if (sched_setscheduler(0, r->other ? SCHED_OTHER : SCHED_FIFO, &sp)) {
		r->n = -1;
		r->err = errno;
		return NULL;
	}
	r->n = read(r->fd, &r->s, sizeof(r->s));
	r->err = errno;
	return NULL;
}

static int cmd_direct(int argc, char **argv)
{
	unsigned int source, mode, count, i;
	struct ihm_stats s;
	int fd, other;

	if ((argc != 5 && argc != 6) || (argc == 6 && strcmp(argv[5], "other"))) {
		fprintf(stderr, "usage: ihm-test direct timer|edu thread|migrate|urgent COUNT [other]\n");
		return 2;
	}
	source = parse_source(argv[2]);
	mode = parse_mode(argv[3]);
	count = strtoul(argv[4], NULL, 0);
	other = argc == 6;
	fd = open_dev();
	request(fd, source, 0);
	CHECK(!ioctl(fd, IHM_TEST_SET_MODE, &mode), "IHM_TEST_SET_MODE: %s", strerror(errno));

	for (i = 0; i < count; i++) {
		struct reader r = { .fd = fd, .other = other };
		struct timespec deadline;
		pthread_t t;

		CHECK(!pthread_create(&t, NULL, reader_fn, &r), "pthread_create");
		wait_armed(fd, &s);
		CHECK(!ioctl(fd, IHM_TEST_FIRE), "IHM_TEST_FIRE: %s", strerror(errno));
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 5;
		CHECK(!pthread_timedjoin_np(t, NULL, &deadline),
		      "run %u: no sample 5 s after the fire (interrupt lost?)", i);
		CHECK(r.n == sizeof(r.s), "read: %zd (%s)", r.n, strerror(r.err));
		if (mode == IHM_MODE_THREAD || other) {
			CHECK(!(r.s.flags & (IHM_SAMPLE_IN_READER | IHM_SAMPLE_MIGRATED)),
			      "run %u: handler ran in the reader (mode %s, reader %s)", i,
			      argv[3], other ? "SCHED_OTHER" : "SCHED_FIFO 50");
		} else {
			CHECK(r.s.flags & IHM_SAMPLE_IN_READER,
			      "run %u: handler ran in pid %d, not in the reader", i, r.s.runner_pid);
			CHECK(r.s.flags & IHM_SAMPLE_MIGRATED,
			      "run %u: irq_migrate_in_handler() false in the reader", i);
		}
		CHECK(r.s.t_hardirq >= r.s.t_expected && r.s.t_thread >= r.s.t_hardirq &&
		      r.s.t_resume >= r.s.t_thread_end, "run %u: timestamps out of order", i);
	}
	CHECK(!ioctl(fd, IHM_TEST_FREE, &s), "IHM_TEST_FREE: %s", strerror(errno));
	check_final(&s, 1);
	CHECK(s.runs == count, "%u fires, %llu runs", count, s.runs);
	if (mode == IHM_MODE_THREAD)
		CHECK(s.info_fallback[1] == count, "mode thread: %llu runs counted as such",
		      s.info_fallback[1]);
	else if (other)
		CHECK(s.info_fallback[3] == count && s.info_migrated == 0,
		      "SCHED_OTHER reader: %llu of %u runs counted less urgent, %llu migrated",
		      s.info_fallback[3], count, s.info_migrated);
	else
		CHECK(s.info_migrated == count, "%llu of %u runs in the reader",
		      s.info_migrated, count);
	printf("%u interrupts, %llu runs: %llu in the reader, %llu in the irq thread\n",
	       count, s.runs, s.runs_migrated, s.runs_in_thread);
	return 0;
}

/* The calling thread's CPUs: @a, and @b unless it is negative. */
static void set_cpus(int a, int b)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(a, &set);
	if (b >= 0)
		CPU_SET(b, &set);
	CHECK(!sched_setaffinity(0, sizeof(set), &set), "sched_setaffinity: %s",
	      strerror(errno));
}

static void set_fifo(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	CHECK(!sched_setscheduler(0, prio ? SCHED_FIFO : SCHED_OTHER, &sp),
	      "sched_setscheduler(%d): %s", prio, strerror(errno));
}

/* A reader of the urgent cases: it runs on CPU 1, then waits. */
struct urgent_reader {
	int fd;
	int only_home;		/* allowed on CPU 1 only, or on 0 and 1 */
	int woke_on;		/* its CPU right after read() returned */
	struct ihm_sample s;
	ssize_t n;
};

static void *urgent_reader_fn(void *arg)
{
	struct urgent_reader *r = arg;

	set_cpus(1, -1);
	while (sched_getcpu() != 1)
		sched_yield();
	set_fifo(90);
	if (!r->only_home)
		set_cpus(0, 1);		/* allowed on CPU 0, still on CPU 1 */
	r->n = read(r->fd, &r->s, sizeof(r->s));
	r->woke_on = sched_getcpu();
	return NULL;
}

/*
 * One interrupt fired from CPU 0 by this thread at @firer_prio while a
 * reader (see above) waits in @mode; returns the CPU the reader woke on
 * and adds the urgent count's growth to *@urgent.
 */
static int urgent_once(int fd, unsigned int mode, int only_home, int firer_prio,
		       unsigned long long *urgent)
{
	struct urgent_reader r = { .fd = fd, .only_home = only_home };
	struct ihm_stats before, s;
	struct timespec deadline;
	pthread_t t;

	CHECK(!ioctl(fd, IHM_TEST_SET_MODE, &mode), "IHM_TEST_SET_MODE: %s", strerror(errno));
	stats(fd, &before);
	CHECK(!pthread_create(&t, NULL, urgent_reader_fn, &r), "pthread_create");
	wait_armed(fd, &s);
	/* Armed right before it sleeps: let it get off its CPU. */
	usleep(50000);
	set_fifo(firer_prio);
	CHECK(!ioctl(fd, IHM_TEST_FIRE), "IHM_TEST_FIRE: %s", strerror(errno));
	set_fifo(0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	CHECK(!pthread_timedjoin_np(t, NULL, &deadline), "no sample 5 s after the fire");
	CHECK(r.n == sizeof(r.s), "read: %zd", r.n);
	CHECK(r.s.flags & IHM_SAMPLE_IN_READER, "the handler did not run in the reader");
	stats(fd, &s);
	*urgent += s.info_urgent - before.info_urgent;
	return r.woke_on;
}

static int cmd_urgent(int argc, char **argv)
{
	/*
	 * want_cpu -1: where a declined or MIGRATE wakeup lands is the
	 * scheduler's choice, not the urgent path's: select_task_rq_rt() may
	 * move a reader allowed on both CPUs off CPU 1 when a per-CPU RT
	 * kthread runs there (seen once on x86_64-debug, mode MIGRATE).
	 * The decision itself is checked by the urgent count, strictly.
	 */
	static const struct {
		const char *name;
		unsigned int mode;
		int only_home, firer_prio, want_cpu, want_urgent;
	} cases[] = {
		{ "urgent, may run on CPU 0", IHM_MODE_URGENT, 0, 0, 0, 1 },
		{ "urgent, a higher priority runs on CPU 0", IHM_MODE_URGENT, 0, 95, -1, 0 },
		{ "urgent, affinity CPU 1 only", IHM_MODE_URGENT, 1, 0, 1, 0 },
		{ "migrate", IHM_MODE_MIGRATE, 0, 0, -1, 0 },
	};
	unsigned int i, k, mode = IHM_MODE_URGENT;
	struct ihm_stats s, before;
	int fd, tries;

	(void)argv;
	if (argc != 2) {
		fprintf(stderr, "usage: ihm-test urgent\n");
		return 2;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "SKIP: needs 2 online CPUs\n");
		return 4;
	}
	fd = open_dev();
	request(fd, IHM_SRC_TIMER, 0);
	set_cpus(0, -1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long urgent = 0;
		unsigned int on0 = 0;

		for (k = 0; k < 5; k++) {
			int cpu = urgent_once(fd, cases[i].mode, cases[i].only_home,
					      cases[i].firer_prio, &urgent);

			CHECK(cases[i].want_cpu < 0 || cpu == cases[i].want_cpu,
			      "%s: run %u: the reader woke on CPU %d, want %d",
			      cases[i].name, k, cpu, cases[i].want_cpu);
			on0 += cpu == 0;
		}
		CHECK(urgent == 5ULL * cases[i].want_urgent, "%s: urgent count grew by %llu in 5 runs, want %d",
		      cases[i].name, urgent, 5 * cases[i].want_urgent);
		printf("%s: %u of 5 woke on CPU 0, %u on CPU 1, urgent count +%llu\n",
		       cases[i].name, on0, 5 - on0, urgent);
	}
	/* Nobody armed: the irq thread runs it, not the urgent path. */
	CHECK(!ioctl(fd, IHM_TEST_SET_MODE, &mode), "IHM_TEST_SET_MODE: %s", strerror(errno));
	stats(fd, &before);
	CHECK(!ioctl(fd, IHM_TEST_FIRE), "IHM_TEST_FIRE: %s", strerror(errno));
	for (tries = 0; tries < 5000; tries++) {
		stats(fd, &s);
		if (s.runs > before.runs)
			break;
		usleep(1000);
	}
	CHECK(s.runs == before.runs + 1, "nobody armed: no run 5 s after the fire");
	CHECK(s.info_urgent == before.info_urgent, "nobody armed: counted urgent");
	CHECK(s.runs_in_thread == before.runs_in_thread + 1, "nobody armed: not run in the irq thread");
	printf("urgent, nobody armed: ran in the irq thread, urgent count +0\n");
	CHECK(!ioctl(fd, IHM_TEST_FREE, &s), "IHM_TEST_FREE: %s", strerror(errno));
	check_final(&s, 1);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A reader: reads until killed; a random alarm makes it leave a wait. */
static void reader_process(unsigned int seed)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct ihm_sample smp;
	int fd = open_dev();

	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: read() returns EINTR */
	srand(seed);
	/*
	 * The first reader is SCHED_FIFO 60 (above the irq thread), so that
	 * it is claimed and mode URGENT's path is taken; the SCHED_OTHER ones
	 * are passed over as less urgent.
	 */
	if (seed == 1)
		set_fifo(60);
	for (;;) {
		struct itimerval it = {
			.it_value = { .tv_usec = 200 + rand() % 3000 },
		};
		ssize_t n;

		setitimer(ITIMER_REAL, &it, NULL);
		n = read(fd, &smp, sizeof(smp));
		if (n < 0 && errno != EINTR && errno != ENODEV)
			_exit(1);
		if (n < 0 && errno == ENODEV)
			usleep(1000);
	}
}

static pid_t spawn_reader(unsigned int seed)
{
	pid_t p = fork();

	CHECK(p >= 0, "fork: %s", strerror(errno));
	if (!p) {
		/*
		 * Die with the parent: a parent that fails a check exits at
		 * once, and a reader left behind would hold its stdout open
		 * and keep the caller's $(...) waiting for ever.
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		reader_process(seed);
	}
	return p;
}

/* What the request/free cycles of a stress run added up to. */
struct totals {
	unsigned long long fires, hardirqs, runs, migrated;
	unsigned int cycles;
	unsigned int silent;	/* cycles with fires but no hard irq */
};

/* End a cycle: free the irq, check its final counts, add them up. */
static void free_cycle(int fd, unsigned int source, struct totals *t)
{
	struct ihm_stats s;

	CHECK(!ioctl(fd, IHM_TEST_FREE, &s), "IHM_TEST_FREE: %s", strerror(errno));
	check_final(&s, source == IHM_SRC_TIMER);
	t->runs += s.runs;
	t->migrated += s.runs_migrated;
	t->fires += s.fired;
	t->hardirqs += s.hardirqs;
	t->silent += s.fired && !s.hardirqs;
	t->cycles++;
}

static int cmd_stress(int argc, char **argv)
{
	unsigned int source, period, seconds, nr, i, kills = 0, flips = 0;
	unsigned long long min_fires;
	struct totals t = { 0 };
	time_t start, cap;
	struct ihm_stats s;
	pid_t *pids;
	time_t end;
	int fd;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: ihm-test stress timer|edu PERIOD_US SECONDS READERS [MIN_FIRES]\n");
		return 2;
	}
	min_fires = argc == 7 ? strtoull(argv[6], NULL, 0) : 0;
	source = parse_source(argv[2]);
	period = strtoul(argv[3], NULL, 0);
	seconds = strtoul(argv[4], NULL, 0);
	nr = strtoul(argv[5], NULL, 0);
	CHECK(period > 0 && nr > 0, "PERIOD_US and READERS must be positive");
	fd = open_dev();
	pids = calloc(nr, sizeof(*pids));
	srand(getpid());
	request(fd, source, period);
	for (i = 0; i < nr; i++)
		pids[i] = spawn_reader(i + 1);

	start = time(NULL);
	end = start + seconds;
	cap = start + 4 * seconds;
	for (;;) {
		time_t now = time(NULL);

		if (now >= cap)
			break;
		/*
		 * Past SECONDS, go on (up to the cap) until MIN_FIRES fires and
		 * at least one run in a reader: on a slow debug kernel a short
		 * run may otherwise see readers only leave or mode THREAD.
		 */
		if (now >= end) {
			CHECK(!ioctl(fd, IHM_TEST_STATS, &s), "IHM_TEST_STATS");
			if (t.fires + s.fired >= min_fires &&
			    t.migrated + s.runs_migrated > 0)
				break;
		}
		unsigned int mode = rand() % 3;

		usleep(50000 + rand() % 100000);
		if (!ioctl(fd, IHM_TEST_SET_MODE, &mode))
			flips++;
		if (rand() % 4 == 0) {
			i = rand() % nr;
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			pids[i] = spawn_reader(i ? (unsigned int)rand() | 2 : 1);
			kills++;
		}
		if (rand() % 5 == 0) {
			free_cycle(fd, source, &t);
			request(fd, source, period);
		}
	}
	free_cycle(fd, source, &t);
	for (i = 0; i < nr; i++) {
		int status;

		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
		CHECK(WIFSIGNALED(status), "reader %u failed (status %d)", i, status);
	}
	printf("%llu fires, %llu hard irqs, %llu runs (%llu in readers), %u request/free cycles (%u with fires but no hard irq), %u mode flips, %u readers killed\n",
	       t.fires, t.hardirqs, t.runs, t.migrated, t.cycles, t.silent, flips, kills);
	CHECK(t.hardirqs > 0, "%llu fires, not one hard irq", t.fires);
	CHECK(t.migrated > 0, "no run happened in a reader");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "direct"))
		return cmd_direct(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "urgent"))
		return cmd_urgent(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "stress"))
		return cmd_stress(argc, argv);
	fprintf(stderr, "usage: ihm-test direct|urgent|stress ...\n");
	return 2;
}
