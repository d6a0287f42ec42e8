// SPDX-License-Identifier: GPL-2.0
/*
 * irqlat - cyclictest for device interrupts: the latency from a device
 * interrupt to the task waiting for it, through /dev/ihm_test
 * (bench/ihm_test.c).  The kernel measures, this tool displays.
 *
 * Per interrupt the driver gives the expected arrival (the timer's
 * programmed expiry, or the moment edu was told to raise), hard irq entry,
 * handler entry and exit, and the moment the reader resumed in read().
 * Latency is resume - arrival, as cyclictest's is wakeup - expiry.
 *
 * Options mean what cyclictest's mean where cyclictest has them; the
 * status line, the histogram (-h/-H) and the JSON (--json) are in
 * cyclictest's formats, so scripts written for cyclictest read them.
 * Added: --mode, --source, --irq-cpu, two status columns (IRQ: arrival to
 * handler entry; TSK: handler exit to the reader running) and "# " lines
 * with percentiles and the context switches per interrupt.
 *
 * The irq is requested by irqlat and freed when it stops (loops done,
 * duration over, Ctrl-C or SIGTERM): its mode, and with --irq-cpu its
 * affinity, go back with it.
 *
 * --source gpio reads a GPIO line's edges instead (irqlat-gpio.c): a
 * gpio-sim line, or on a board a line wired to an output (--gpio-out).
 * --source uio reads an edu device bound to uio_pci_generic from user
 * space (irqlat-uio.c), as a UIO driver does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "irqlat.h"

#define MAX_SAMPLES	10000000UL

static const char *const mode_names[] = { "thread", "migrate", "urgent", "hardirq" };
static const char *const source_names[] = { "timer", "edu", "gpio", "uio" };


/* Every sample is kept for exact percentiles. */
struct samples {
	unsigned long long *lat, *irq, *tsk;	/* ns */
	unsigned char *ctx;		/* context switches serving it */
	unsigned long n, cap;
	unsigned long in_reader, missed;
	unsigned long long missed_at[10];	/* the first missed fire numbers */
	unsigned long long sum, min, max;
	unsigned long *hist, overflows;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
"usage: irqlat [options]\n"
"  -l, --loops=N        number of interrupts (default: until -D or Ctrl-C)\n"
"  -i, --interval=US    period of the source in us (default 1000)\n"
"  -D, --duration=T     run for T (suffix s, m, h or d; default s)\n"
"  -p, --priority=PRIO  SCHED_FIFO priority of the waiter (default 0: SCHED_OTHER)\n"
"  -a, --affinity=CPU   run the waiter on CPU\n"
"  -t, --threads=1      one waiter (the device has one interrupt)\n"
"  -m, --mlockall       lock current and future memory\n"
"  -q, --quiet          print the status line only at the end\n"
"  -h, --histogram=US   histogram of latencies up to US, cyclictest's format\n"
"  -H, --histofall=US   same, with the column summing all threads\n"
"      --json=FILE      results in cyclictest's JSON layout (+ \"irqlat\")\n"
"      --mode=MODE      thread, migrate, urgent, or hardirq (the floor)\n"
"      --source=SRC     timer (default), edu, gpio (a GPIO line's edges), or\n"
"                       uio (an edu device on uio_pci_generic, read from\n"
"                       user space)\n"
"      --gpio=CHIP:LINE the input line of --source gpio (a gpio-sim line, or\n"
"                       one wired to --gpio-out)\n"
"      --gpio-out=CHIP:LINE  an output line wired to --gpio, toggled\n"
"      --uio=BDF        the PCI address of --source uio's device\n"
"      --wait=HOW       read (default) or epoll: how the waiter of --source\n"
"                       gpio or uio waits\n"
"      --irq-cpu=CPU    the CPU that takes the interrupt\n"
"      --home=CPU       the waiter goes back to CPU before each wait (it lives\n"
"                       there, but may be woken elsewhere: see mode urgent)\n"
"      --help           this text\n");
	exit(rc);
}

static void bad(const char *what, const char *arg)
{
	fprintf(stderr, "irqlat: bad %s '%s' (see --help)\n", what, arg);
	exit(2);
}

static unsigned long num(const char *what, const char *arg, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v > max || *arg == '-')
		bad(what, arg);
	return v;
}

static unsigned long duration(const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *arg == '-' || (end[0] && end[1]))
		bad("duration", arg);
	switch (*end) {
	case '\0': case 's': case 'S': return v;
	case 'm': case 'M': return v * 60;
	case 'h': case 'H': return v * 3600;
	case 'd': case 'D': return v * 86400;
	}
	bad("duration", arg);
	return 0;
}

static unsigned int lookup(const char *what, const char *arg,
			   const char *const *names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	bad(what, arg);
	return 0;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const char *const sources[] = { "timer", "edu", "gpio", "uio" };
	static const char *const waits[] = { "read", "epoll" };
	static const struct option lopts[] = {
		{ "loops", required_argument, NULL, 'l' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'D' },
		{ "priority", required_argument, NULL, 'p' },
		{ "affinity", required_argument, NULL, 'a' },
		{ "threads", required_argument, NULL, 't' },
		{ "mlockall", no_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "histogram", required_argument, NULL, 'h' },
		{ "histofall", required_argument, NULL, 'H' },
		{ "json", required_argument, NULL, 'J' },
		{ "mode", required_argument, NULL, 'M' },
		{ "source", required_argument, NULL, 'S' },
		{ "irq-cpu", required_argument, NULL, 'C' },
		{ "home", required_argument, NULL, 'O' },
		{ "gpio", required_argument, NULL, 'g' + 256 },
		{ "gpio-out", required_argument, NULL, 'o' + 256 },
		{ "wait", required_argument, NULL, 'w' + 256 },
		{ "uio", required_argument, NULL, 'u' + 256 },
		{ "help", no_argument, NULL, '?' + 256 },
		{ }
	};
	size_t len = 0;
	int c, i;

	*o = (struct opts){ .interval_us = 1000, .cpu = -1, .irq_cpu = -1, .home = -1,
			    .mode = IHM_MODE_MIGRATE, .source = IHM_SRC_TIMER };
	for (i = 0; i < argc && len < sizeof(o->cmdline) - 1; i++)
		len += snprintf(o->cmdline + len, sizeof(o->cmdline) - len,
				"%s%s", i ? " " : "", argv[i]);
	while ((c = getopt_long(argc, argv, "l:i:D:p:a:t:mqh:H:", lopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->loops = num("loops", optarg, MAX_SAMPLES); break;
		case 'i': o->interval_us = num("interval", optarg, 10000000); break;
		case 'D': o->duration_s = duration(optarg); break;
		case 'p': o->prio = num("priority", optarg, 99); break;
		case 'a': o->cpu = num("affinity", optarg, CPU_SETSIZE - 1); break;
		case 't':
			if (num("threads", optarg, 1000) != 1) {
				fprintf(stderr, "irqlat: -t %s: the device has one interrupt, so one waiter; only -t 1\n",
					optarg);
				exit(2);
			}
			break;
		case 'm': o->mlock = 1; break;
		case 'q': o->quiet = 1; break;
		case 'H': o->histofall = 1; /* fall through */
		case 'h': o->hist_us = num("histogram size", optarg, 1000000); break;
		case 'J': o->json = optarg; break;
		case 'M': o->mode = lookup("mode", optarg, mode_names, 4); break;
		case 'S': o->source = lookup("source", optarg, sources, 4); break;
		case 'g' + 256: o->gpio_in = optarg; break;
		case 'o' + 256: o->gpio_out = optarg; break;
		case 'w' + 256: o->wait = lookup("wait", optarg, waits, 2); break;
		case 'u' + 256: o->uio = optarg; break;
		case 'C': o->irq_cpu = num("irq CPU", optarg, CPU_SETSIZE - 1); break;
		case 'O': o->home = num("home CPU", optarg, CPU_SETSIZE - 1); break;
		case '?' + 256: usage(0); break;
		default: usage(2);
		}
	}
	if (optind < argc)
		bad("argument", argv[optind]);
	if (!o->interval_us)
		bad("interval", "0");
	if (o->source != IRQLAT_SRC_GPIO && (o->gpio_in || o->gpio_out)) {
		fprintf(stderr, "irqlat: --gpio and --gpio-out are for --source gpio\n");
		exit(2);
	}
	if (o->source != IRQLAT_SRC_UIO && o->uio) {
		fprintf(stderr, "irqlat: --uio is for --source uio\n");
		exit(2);
	}
	if (o->source < IRQLAT_SRC_GPIO && o->wait) {
		fprintf(stderr, "irqlat: --wait is for --source gpio and uio\n");
		exit(2);
	}
	if (o->source == IRQLAT_SRC_UIO && !o->uio) {
		fprintf(stderr, "irqlat: --source uio needs --uio=BDF, an edu device bound to uio_pci_generic\n");
		exit(2);
	}
	if (o->source == IRQLAT_SRC_UIO && o->mode == IHM_MODE_HARDIRQ) {
		fprintf(stderr, "irqlat: --mode hardirq is the test driver's floor, not a UIO device's\n");
		exit(2);
	}
	if (o->source == IRQLAT_SRC_GPIO && !o->gpio_in) {
		fprintf(stderr, "irqlat: --source gpio needs --gpio=CHIP:LINE\n");
		exit(2);
	}
	if (o->source == IRQLAT_SRC_GPIO && o->mode == IHM_MODE_HARDIRQ) {
		fprintf(stderr, "irqlat: --mode hardirq is the test driver's floor, not a GPIO line's\n");
		exit(2);
	}
	if (o->home >= 0 && o->cpu >= 0) {
		fprintf(stderr, "irqlat: --home and -a exclude each other (-a pins the waiter)\n");
		exit(2);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of sorted @v, in us. */
static double pct(const unsigned long long *v, unsigned long n, double p)
{
	unsigned long i = (unsigned long)(p / 100.0 * n + 0.999999);

	if (!n)
		return 0;
	return v[i ? i - 1 : 0] / 1e3;
}

/*
 * Room for @cap samples, touched now: growing (and, under mlockall,
 * faulting in) megabytes between two reads would make the waiter miss
 * interrupts (seen: fires 2 to 9 of every run, on a 125-MIPS model).
 */
static int reserve(struct samples *s, unsigned long cap)
{
	if (cap > MAX_SAMPLES)
		cap = MAX_SAMPLES;
	if (cap <= s->cap)
		return -1;
	s->lat = realloc(s->lat, cap * sizeof(*s->lat));
	s->irq = realloc(s->irq, cap * sizeof(*s->irq));
	s->tsk = realloc(s->tsk, cap * sizeof(*s->tsk));
	s->ctx = realloc(s->ctx, cap);
	if (!s->lat || !s->irq || !s->tsk || !s->ctx)
		return -1;
	memset(s->lat + s->cap, 0, (cap - s->cap) * sizeof(*s->lat));
	memset(s->irq + s->cap, 0, (cap - s->cap) * sizeof(*s->irq));
	memset(s->tsk + s->cap, 0, (cap - s->cap) * sizeof(*s->tsk));
	memset(s->ctx + s->cap, 0, cap - s->cap);
	s->cap = cap;
	return 0;
}

static int add_sample(struct samples *s, const struct opts *o,
		      const struct ihm_sample *smp, unsigned int switches)
{
	unsigned long long lat = smp->t_resume - smp->t_expected;
	unsigned long n = s->n;

	/* Only an open-ended run (-D or none) grows, and doubles. */
	if (n == s->cap && reserve(s, 2 * s->cap))
		return -1;
	s->lat[n] = lat;
	s->irq[n] = smp->t_thread - smp->t_expected;
	s->tsk[n] = smp->t_resume - smp->t_thread_end;
	s->ctx[n] = switches > 255 ? 255 : switches;
	s->sum += lat;
	s->min = !n || lat < s->min ? lat : s->min;
	s->max = lat > s->max ? lat : s->max;
	s->in_reader += !!(smp->flags & IHM_SAMPLE_IN_READER);
	if (o->hist_us) {
		if (lat / 1000 < o->hist_us)
			s->hist[lat / 1000]++;
		else
			s->overflows++;
	}
	s->n++;
	return 0;
}

void firer_setup(const struct opts *o, struct timespec *next)
{
	struct sched_param sp = { .sched_priority = 99 };

	if (o->irq_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o->irq_cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	clock_gettime(CLOCK_MONOTONIC, next);
}

void firer_sleep(const struct opts *o, struct timespec *next)
{
	next->tv_nsec += o->interval_us * 1000L;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
}

static long thread_switches(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static void status_line(const struct opts *o, const struct samples *s, int final)
{
	unsigned long n = s->n;
	unsigned long long act = n ? s->lat[n - 1] : 0;

	printf("T: 0 (%5d) P:%2d I:%u C:%7lu Min:%7llu Act:%5llu Avg:%5llu Max:%8llu IRQ:%5llu TSK:%5llu\n",
	       getpid(), o->prio, o->interval_us, n, n ? s->min / 1000 : 0,
	       act / 1000, n ? s->sum / n / 1000 : 0, s->max / 1000,
	       n && !final ? s->irq[n - 1] / 1000 : 0,
	       n && !final ? s->tsk[n - 1] / 1000 : 0);
}

/* cyclictest -h/-H: one row per us, the footer cyclictest prints. */
static void print_histogram(const struct opts *o, const struct samples *s)
{
	unsigned int i;

	printf("# Histogram\n");
	for (i = 0; i < o->hist_us; i++) {
		printf("%06u %06lu", i, s->hist[i]);
		if (o->histofall)
			printf("\t%06lu", s->hist[i]);
		printf("\n");
	}
	printf("# Total: %09lu%s\n", s->n - s->overflows, o->histofall ? " (all)" : "");
	printf("# Min Latencies: %05llu\n", s->n ? s->min / 1000 : 0);
	printf("# Avg Latencies: %05llu\n", s->n ? s->sum / s->n / 1000 : 0);
	printf("# Max Latencies: %05llu\n", s->max / 1000);
	printf("# Histogram Overflows: %05lu\n", s->overflows);
}

/* Context switches per interrupt: how many interrupts took 0, 1, 2, 3+. */
static void ctx_counts(const struct samples *s, unsigned long c[4])
{
	unsigned long i;

	c[0] = c[1] = c[2] = c[3] = 0;
	for (i = 0; i < s->n; i++)
		c[s->ctx[i] > 3 ? 3 : s->ctx[i]]++;
}

static void write_json(const struct opts *o, const struct samples *s,
		       const struct ihm_stats *st, const unsigned long c[4],
		       time_t t0, time_t t1, int rc)
{
	FILE *f = fopen(o->json, "w");
	struct utsname u;
	char b0[64], b1[64];
	unsigned int i, first = 1;

	if (!f) {
		fprintf(stderr, "irqlat: %s: %s\n", o->json, strerror(errno));
		return;
	}
	uname(&u);
	strftime(b0, sizeof(b0), "%a, %d %b %Y %T %z", localtime(&t0));
	strftime(b1, sizeof(b1), "%a, %d %b %Y %T %z", localtime(&t1));
	/* cyclictest's own keys, its "cmdline:" spelling included. */
	fprintf(f, "{\n  \"file_version\": 1,\n  \"cmdline:\": \"%s\",\n", o->cmdline);
	fprintf(f, "  \"rt_test_version:\": \"irqlat\",\n");
	fprintf(f, "  \"start_time\": \"%s\",\n  \"end_time\": \"%s\",\n", b0, b1);
	fprintf(f, "  \"return_code\": %d,\n", rc);
	fprintf(f, "  \"sysinfo\": {\n    \"sysname\": \"%s\",\n    \"nodename\": \"%s\",\n"
		"    \"release\": \"%s\",\n    \"version\": \"%s\",\n    \"machine\": \"%s\",\n"
		"    \"realtime\": 1\n  },\n", u.sysname, u.nodename, u.release, u.version, u.machine);
	fprintf(f, "  \"num_threads\": 1,\n  \"resolution_in_ns\": 0,\n");
	fprintf(f, "  \"thread\": {\n    \"0\": {\n");
	if (o->hist_us) {
		fprintf(f, "      \"histogram\": {");
		for (i = 0; i < o->hist_us; i++) {
			if (!s->hist[i])
				continue;
			fprintf(f, "%s\n        \"%u\": %lu", first ? "" : ",", i, s->hist[i]);
			first = 0;
		}
		fprintf(f, "\n      },\n");
	}
	fprintf(f, "      \"cycles\": %lu,\n      \"min\": %llu,\n      \"max\": %llu,\n"
		"      \"avg\": %.2f,\n      \"cpu\": %d,\n      \"node\": -1\n    }\n  },\n",
		s->n, s->n ? s->min / 1000 : 0, s->max / 1000,
		s->n ? s->sum / 1e3 / s->n : 0.0, o->cpu);
	fprintf(f, "  \"irqlat\": {\n    \"mode\": \"%s\",\n    \"source\": \"%s\",\n"
		"    \"interval_us\": %u,\n    \"priority\": %d,\n    \"irq_cpu\": %d,\n"
		"    \"samples\": %lu,\n    \"missed\": %lu,\n    \"overflows\": %lu,\n"
		"    \"in_reader\": %lu,\n",
		mode_names[o->mode], source_names[o->source],
		o->interval_us, o->prio, o->irq_cpu, s->n, s->missed, s->overflows,
		s->in_reader);
	fprintf(f, "    \"latency_us\": { \"min\": %.1f, \"p50\": %.1f, \"avg\": %.2f, "
		"\"p99\": %.1f, \"p999\": %.1f, \"max\": %.1f },\n",
		s->n ? s->min / 1e3 : 0.0, pct(s->lat, s->n, 50),
		s->n ? s->sum / 1e3 / s->n : 0.0, pct(s->lat, s->n, 99),
		pct(s->lat, s->n, 99.9), s->max / 1e3);
	fprintf(f, "    \"irq_to_handler_us\": { \"p50\": %.1f, \"p99\": %.1f },\n",
		pct(s->irq, s->n, 50), pct(s->irq, s->n, 99));
	fprintf(f, "    \"handler_to_task_us\": { \"p50\": %.1f, \"p99\": %.1f },\n",
		pct(s->tsk, s->n, 50), pct(s->tsk, s->n, 99));
	fprintf(f, "    \"ctxsw\": { \"0\": %lu, \"1\": %lu, \"2\": %lu, \"3+\": %lu },\n",
		c[0], c[1], c[2], c[3]);
	fprintf(f, "    \"driver\": { \"fires\": %llu, \"hardirqs\": %llu, \"runs\": %llu, "
		"\"runs_migrated\": %llu, \"runs_in_thread\": %llu, \"urgent\": %llu }\n  }\n}\n",
		st->fired, st->hardirqs, st->runs, st->runs_migrated, st->runs_in_thread,
		st->info_urgent);
	fclose(f);
}

/*
 * --home: back to the home CPU before waiting, allowed everywhere again
 * after, so that each interrupt finds the waiter having last run there.
 */
static void go_home(const struct opts *o, const cpu_set_t *all)
{
	cpu_set_t set;

	if (o->home < 0 || sched_getcpu() == o->home)
		return;
	CPU_ZERO(&set);
	CPU_SET(o->home, &set);
	sched_setaffinity(0, sizeof(set), &set);
	sched_setaffinity(0, sizeof(*all), all);
}

static int setup_self(const struct opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (o->cpu >= 0 || o->home >= 0) {
		cpu_set_t set;
		int cpu = o->cpu >= 0 ? o->cpu : o->home;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "irqlat: %s %d: %s\n", o->cpu >= 0 ? "-a" : "--home",
				cpu, strerror(errno));
			return -1;
		}
	}
	if (o->prio) {
		struct sched_param sp = { .sched_priority = o->prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			fprintf(stderr, "irqlat: -p %d: %s\n", o->prio, strerror(errno));
			return -1;
		}
	}
	if (o->mlock && mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "irqlat: mlockall: %s (going on)\n", strerror(errno));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return 0;
}

/* Request the irq in the asked mode; it starts firing at once. */
static int start(int fd, const struct opts *o)
{
	/*
	 * The mode is set before the source starts, and the source starts at
	 * the first read(): every sample is of the asked mode and was waited
	 * for.
	 */
	struct ihm_setup st = {
		.source = o->source,
		.period_us = o->interval_us,
		.count = o->loops,
		.mode = o->mode,
		.flags = IHM_SETUP_MODE | IHM_SETUP_DEFER,
	};

	if (o->mode == IHM_MODE_HARDIRQ)
		st.flags |= IHM_SETUP_HARDIRQ;
	if (o->irq_cpu >= 0) {
		st.flags |= IHM_SETUP_PIN;
		st.cpu = o->irq_cpu;
	}
	if (ioctl(fd, IHM_TEST_REQUEST, &st)) {
		fprintf(stderr, "irqlat: requesting the %s irq in mode %s: %s\n",
			source_names[o->source], mode_names[o->mode],
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct samples s = { 0 };
	struct ihm_stats st = { 0 };
	unsigned long long last_seq = 0;
	unsigned long c[4];
	struct opts o;
	cpu_set_t all;
	time_t t0, end;
	int fd, cpu, rc = 0;

	parse(argc, argv, &o);
	if (o.hist_us) {
		s.hist = calloc(o.hist_us, sizeof(*s.hist));
		if (!s.hist) {
			fprintf(stderr, "irqlat: no memory for the histogram\n");
			return 1;
		}
	}
	/* The test driver's sources only: gpio and uio read real devices. */
	fd = o.source >= IRQLAT_SRC_GPIO ? -1 : open(IHM_TEST_DEV, O_RDWR);
	if (fd < 0 && o.source < IRQLAT_SRC_GPIO) {
		fprintf(stderr, "irqlat: %s: %s (is ihm_test.ko loaded?)\n", IHM_TEST_DEV,
			strerror(errno));
		return 1;
	}
	if (setup_self(&o))
		return 1;
	if (reserve(&s, o.loops ? o.loops : 1UL << 20)) {
		fprintf(stderr, "irqlat: no memory for the samples\n");
		return 1;
	}
	if (o.source == IRQLAT_SRC_GPIO ? gpio_src_start(&o) :
	    o.source == IRQLAT_SRC_UIO ? uio_src_start(&o) : start(fd, &o))
		return 1;

	/* With --home, every CPU once it is there (setup_self() took it there). */
	CPU_ZERO(&all);
	if (o.home >= 0) {
		for (cpu = 0; cpu < CPU_SETSIZE && cpu < sysconf(_SC_NPROCESSORS_CONF); cpu++)
			CPU_SET(cpu, &all);
		sched_setaffinity(0, sizeof(all), &all);
	}
	t0 = time(NULL);
	end = o.duration_s ? t0 + o.duration_s : 0;
	while (!stop && (!o.loops || last_seq < o.loops) && (!end || time(NULL) < end)) {
		struct ihm_sample smp;
		long before;

		go_home(&o, &all);
		before = thread_switches();
		ssize_t n;
		unsigned int sw;

		if (o.source == IRQLAT_SRC_GPIO)
			n = gpio_src_next(&smp) ? -1 : (ssize_t)sizeof(smp);
		else if (o.source == IRQLAT_SRC_UIO)
			n = uio_src_next(&smp) ? -1 : (ssize_t)sizeof(smp);
		else
			n = read(fd, &smp, sizeof(smp));

		if (n != sizeof(smp)) {
			/* --source gpio: every edge raised, no more events to come */
			if (n < 0 && errno == ENODATA)
				break;
			if (n < 0 && errno == EINTR)
				continue;
			fprintf(stderr, "irqlat: read: %s\n", n < 0 ? strerror(errno) : "short");
			rc = 1;
			break;
		}
		/*
		 * The reader's own switches, and one into the irq thread if it
		 * ran there; counted in the irq threads too for uio.
		 */
		sw = thread_switches() - before;
		sw += !(smp.flags & (IHM_SAMPLE_IN_READER | IHM_SAMPLE_HARDIRQ));
		if (o.source == IRQLAT_SRC_UIO)
			sw = uio_src_switches();
		while (smp.seq > last_seq + 1) {
			if (s.missed < 10)
				s.missed_at[s.missed] = last_seq + 1;
			s.missed++;
			last_seq++;
		}
		last_seq = smp.seq;
		if (add_sample(&s, &o, &smp, sw)) {
			fprintf(stderr, "irqlat: no room for more samples\n");
			break;
		}
		if (!o.quiet && !(s.n % 1000))
			status_line(&o, &s, 0);
	}
	/* Always free: the mode (and a pinned edu's affinity) goes back. */
	if (o.source == IRQLAT_SRC_GPIO)
		gpio_src_stop(&st);
	else if (o.source == IRQLAT_SRC_UIO)
		uio_src_stop(&st);
	else if (ioctl(fd, IHM_TEST_FREE, &st))
		fprintf(stderr, "irqlat: freeing the irq: %s\n", strerror(errno));

	/* Stopped by a signal before the asked loops or duration: 130, as a shell says. */
	if (stop && !rc && ((o.loops && last_seq < o.loops) || (end && time(NULL) < end)))
		rc = 130;
	status_line(&o, &s, 1);
	if (o.hist_us)
		print_histogram(&o, &s);
	ctx_counts(&s, c);
	qsort(s.lat, s.n, sizeof(*s.lat), cmp_u64);
	qsort(s.irq, s.n, sizeof(*s.irq), cmp_u64);
	qsort(s.tsk, s.n, sizeof(*s.tsk), cmp_u64);
	printf("# irqlat mode %s source %s: %lu samples (%lu missed), %lu ran in the waiter\n",
	       mode_names[o.mode], source_names[o.source],
	       s.n, s.missed, s.in_reader);
	printf("# latency us: min %.1f p50 %.1f avg %.2f p99 %.1f p99.9 %.1f max %.1f\n",
	       s.n ? s.min / 1e3 : 0.0, pct(s.lat, s.n, 50), s.n ? s.sum / 1e3 / s.n : 0.0,
	       pct(s.lat, s.n, 99), pct(s.lat, s.n, 99.9), s.max / 1e3);
	if (s.missed) {
		unsigned long i;

		/* As cyclictest's "Histogram Overflow at cycle number". */
		printf("# missed (the waiter read a later interrupt's sample) at fire number:");
		for (i = 0; i < s.missed && i < 10; i++)
			printf(" %llu", s.missed_at[i]);
		printf("%s\n", s.missed > 10 ? " ..." : "");
	}
	printf("# IRQ (arrival to handler) p50 %.1f p99 %.1f us; TSK (handler to waiter) p50 %.1f p99 %.1f us\n",
	       pct(s.irq, s.n, 50), pct(s.irq, s.n, 99), pct(s.tsk, s.n, 50), pct(s.tsk, s.n, 99));
	printf("# context switches per interrupt: 0:%lu 1:%lu 2:%lu 3+:%lu\n", c[0], c[1], c[2], c[3]);
	printf("# driver: %llu fires, %llu hard irqs, %llu runs, %llu in the waiter, %llu in the irq thread, %llu urgent\n",
	       st.fired, st.hardirqs, st.runs, st.runs_migrated, st.runs_in_thread,
	       st.info_urgent);
	if (o.json)
		write_json(&o, &s, &st, c, t0, time(NULL), rc);
	return rc;
}
