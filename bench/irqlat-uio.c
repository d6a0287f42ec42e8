// SPDX-License-Identifier: GPL-2.0
/*
 * irqlat's UIO source (--source uio): the interrupts of QEMU's edu device
 * bound to uio_pci_generic (--uio=BDF), read through /dev/uioN the way a
 * user-space driver reads them, in a blocking read() or in epoll_wait()
 * (--wait).  A user-space driver's interrupt on PREEMPT_RT takes three
 * hops without the series: the hard irq wakes irq/N (uio_pci_generic's
 * handler, force-threaded), which wakes irq/N-s (the uio core's event
 * notification), which wakes the reader.
 *
 * The interrupt is raised every --interval by a SCHED_FIFO 99 thread on
 * --irq-cpu, by writing edu's interrupt-raise register: edu asserts INTx
 * during that write, so the time taken right before it is the arrival.
 * It is raised only once the reader has acknowledged the last one in edu,
 * re-enabled INTx in the command register (uio_pci_generic's handler
 * masks it there) and gone back to its wait, one tick ago at least; the
 * ticks in between are skipped, so the interrupts come at most every
 * second interval.  The latency is the moment the reader runs again
 * minus the arrival.
 *
 * Where the handlers ran comes from /sys/kernel/irq_migrate (the series'
 * companion module), which is also where the mode is written; the context
 * switches an interrupt took are counted, not estimated: the reader's own
 * and those of the irq's threads (irq/N-... and irq/N-s-...), from their
 * /proc status.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "irqlat.h"

#define MAP "/sys/kernel/irq_migrate"

/* edu's registers (QEMU docs/specs/edu.rst) and the PCI command register */
#define EDU_ID			0x00
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_IRQ_BIRQLAT		0x1000	/* the status bit irqlat raises */
#define PCI_COMMAND		0x04
#define PCI_COMMAND_INTX_DISABLE 0x400

#define MAX_THREADS		2	/* irq/N and, force-threaded, irq/N-s */

static const char *const modes[] = { "thread", "migrate", "urgent" };

static struct {
	const struct opts *o;
	volatile uint32_t *regs;
	int uio_fd, cfg_fd, ep;
	char dir[PATH_MAX];		/* the irq's directory in the map */
	int thr_fd[MAX_THREADS], nthr;	/* /proc/PID/status of its threads */
	unsigned long long migrated;	/* the map's count before the wait */
	long thr_before;		/* the irq threads' switches then */
	/* The map's counts when the run started: the irq outlives runs. */
	unsigned long long base_migrated, base_fallback, base_urgent;
	long sw_before;			/* the reader's switches before the wait */
	unsigned int last_switches;
	char aff_path[64], aff_old[64];	/* --irq-cpu: put back at stop */
	char mode_old[16];		/* the mode, put back at stop */
	/* The reader writes ready, the firer clears it as it raises. */
	volatile int ready;
	volatile unsigned long long raised, t_raised;
	volatile int stop;
	volatile int timed_out;		/* the reader not ready for 10 s */
	pthread_t firer, reader;
} g = { .uio_fd = -1, .cfg_fd = -1, .ep = -1 };

static int err(const char *what, const char *arg)
{
	fprintf(stderr, "irqlat: --source uio: %s%s%s: %s\n", what, arg ? " " : "",
		arg ? arg : "", strerror(errno));
	return -1;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long read_num(int fd, const char *key)
{
	char buf[2048], *p;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!key)
		return strtoull(buf, NULL, 10);
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static unsigned long long map_num(const char *file)
{
	char path[PATH_MAX + 16];
	unsigned long long v;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", g.dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	v = read_num(fd, NULL);
	close(fd);
	return v;
}

/* Every context switch so far of the reader. */
static long reader_switches(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

/*
 * ... and of the irq's threads: read once per interrupt, after it, as
 * reading /proc status costs more than an interrupt's whole path under
 * -icount; the threads do not run between two interrupts.
 */
static long thread_switches(void)
{
	long n = 0;
	int i;

	for (i = 0; i < g.nthr; i++)
		n += read_num(g.thr_fd[i], "voluntary_ctxt_switches:") +
		     read_num(g.thr_fd[i], "nonvoluntary_ctxt_switches:");
	return n;
}

/* The threads of @irq: comm "irq/N-name" and "irq/N-s-name" (truncated). */
static int find_threads(int irq)
{
	char path[PATH_MAX], comm[32], pre[16];
	struct dirent *e;
	DIR *d = opendir("/proc");
	int fd;
	ssize_t n;

	if (!d)
		return err("opendir", "/proc");
	snprintf(pre, sizeof(pre), "irq/%d-", irq);
	while ((e = readdir(d)) && g.nthr < MAX_THREADS) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0 || strncmp(comm, pre, strlen(pre)))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			g.thr_fd[g.nthr++] = fd;
	}
	closedir(d);
	if (!g.nthr) {
		fprintf(stderr, "irqlat: --source uio: no thread of irq %d (threadirqs or PREEMPT_RT needed)\n",
			irq);
		return -1;
	}
	return 0;
}

static int intx_enable(void)
{
	uint16_t cmd;

	if (pread(g.cfg_fd, &cmd, 2, PCI_COMMAND) != 2)
		return err("reading the command register", NULL);
	if (!(cmd & PCI_COMMAND_INTX_DISABLE))
		return 0;
	cmd &= ~PCI_COMMAND_INTX_DISABLE;
	if (pwrite(g.cfg_fd, &cmd, 2, PCI_COMMAND) != 2)
		return err("writing the command register", NULL);
	return 0;
}

/*
 * The reader is about to wait: the next tick may raise.  Its own count is
 * taken last, so that what it does before (a SCHED_FIFO 99 firer on the
 * same CPU may preempt it there) is not counted as the interrupt's.
 */
static void arm(void)
{
	g.migrated = map_num("migrated");
	g.sw_before = reader_switches();
	__atomic_store_n(&g.ready, 1, __ATOMIC_RELEASE);
}

/* One interrupt every interval the reader is ready for, at SCHED_FIFO 99. */
static void *firer_fn(void *arg)
{
	const struct opts *o = g.o;
	struct timespec next;
	int idle = 0, seen = 0;

	(void)arg;
	firer_setup(o, &next);
	while (!g.stop && (!o->loops || g.raised < o->loops)) {
		firer_sleep(o, &next);
		if (!__atomic_load_n(&g.ready, __ATOMIC_ACQUIRE)) {
			/* A reader not back for 10 s (an interrupt lost) ends the run. */
			if (++idle * (unsigned long long)o->interval_us > 10000000ULL) {
				g.timed_out = 1;
				pthread_kill(g.reader, SIGUSR2);
				break;
			}
			continue;
		}
		idle = 0;
		/*
		 * Ready since the last tick at least: the waiter has had one
		 * interval to reach its sleep, so an interrupt raised at once
		 * after arm() does not find it still on its way there.
		 */
		if (!seen) {
			seen = 1;
			continue;
		}
		seen = 0;
		g.ready = 0;
		/* Before the write: the reader may run before it returns. */
		g.t_raised = now_ns();
		__atomic_store_n(&g.raised, g.raised + 1, __ATOMIC_RELEASE);
		g.regs[EDU_IRQ_RAISE / 4] = EDU_IRQ_BIRQLAT;
	}
	return NULL;
}

static void on_usr2(int sig)
{
	(void)sig;
}

static int open_uio(const char *bdf)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "irqlat: --uio=%s: no uio device there (bind it to uio_pci_generic)\n",
			bdf);
		return -1;
	}
	while ((e = readdir(d)) && strncmp(e->d_name, "uio", 3))
		;
	if (e)
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
	closedir(d);
	if (!e) {
		fprintf(stderr, "irqlat: --uio=%s: no uio device there\n", bdf);
		return -1;
	}
	g.uio_fd = open(path, O_RDWR | O_CLOEXEC);
	if (g.uio_fd < 0)
		return err("open", path);
	return 0;
}

int uio_src_start(const struct opts *o)
{
	char path[PATH_MAX + 16];
	int fd, irq, res;

	g.o = o;
	if (open_uio(o->uio))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", o->uio);
	res = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (res < 0)
		return err("open", path);
	g.regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, res, 0);
	close(res);
	if (g.regs == MAP_FAILED)
		return err("mmap of BAR0 of", o->uio);
	if (g.regs[EDU_ID / 4] != 0x010000ed) {
		fprintf(stderr, "irqlat: --uio=%s is not QEMU's edu device (id %#x)\n",
			o->uio, g.regs[EDU_ID / 4]);
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", o->uio);
	g.cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (g.cfg_fd < 0)
		return err("open", path);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/irq", o->uio);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return err("open", path);
	irq = read_num(fd, NULL);
	close(fd);
	snprintf(g.dir, sizeof(g.dir), MAP "/%d", irq);
	snprintf(path, sizeof(path), "%s/mode", g.dir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "irqlat: --uio=%s: irq %d is not in %s: not migrated (CONFIG_UIO_MIGRATE) or irq_migrate_sysfs.ko not loaded\n",
			o->uio, irq, MAP);
		return -1;
	}
	if (pread(fd, g.mode_old, sizeof(g.mode_old) - 1, 0) <= 0 ||
	    pwrite(fd, modes[o->mode], strlen(modes[o->mode]), 0) < 0) {
		close(fd);
		return err("setting the mode in", path);
	}
	close(fd);
	if (find_threads(irq))
		return -1;
	/* --irq-cpu: the line's affinity, as a board's one-CPU SPI or MSI has. */
	if (o->irq_cpu >= 0) {
		char cpu[16];
		ssize_t n;

		snprintf(g.aff_path, sizeof(g.aff_path), "/proc/irq/%d/smp_affinity_list", irq);
		fd = open(g.aff_path, O_RDONLY);
		if (fd < 0)
			return err("open", g.aff_path);
		n = read(fd, g.aff_old, sizeof(g.aff_old) - 1);
		close(fd);
		g.aff_old[n > 0 ? n : 0] = '\0';
		/* procfs files do not seek: a second open writes. */
		snprintf(cpu, sizeof(cpu), "%d", o->irq_cpu);
		fd = open(g.aff_path, O_WRONLY);
		if (fd < 0 || write(fd, cpu, strlen(cpu)) < 0) {
			if (fd >= 0)
				close(fd);
			return err("setting the affinity in", g.aff_path);
		}
		close(fd);
	}
	if (o->wait == IRQLAT_WAIT_EPOLL) {
		struct epoll_event e = { .events = EPOLLIN };

		g.ep = epoll_create1(EPOLL_CLOEXEC);
		if (g.ep < 0 || epoll_ctl(g.ep, EPOLL_CTL_ADD, g.uio_fd, &e))
			return err("epoll", NULL);
	}
	/* Left over by an earlier run: acknowledged before the first wait. */
	g.regs[EDU_IRQ_ACK / 4] = g.regs[EDU_IRQ_STATUS / 4];
	if (intx_enable())
		return -1;
	/* No SA_RESTART: the wait returns EINTR if the firer gives up. */
	sigaction(SIGUSR2, &(struct sigaction){ .sa_handler = on_usr2 }, NULL);
	g.reader = pthread_self();
	g.base_migrated = map_num("migrated");
	g.base_fallback = map_num("fallback");
	g.base_urgent = map_num("urgent");
	g.thr_before = thread_switches();
	arm();
	errno = pthread_create(&g.firer, NULL, firer_fn, NULL);
	if (errno)
		return err("pthread_create", NULL);
	return 0;
}

/*
 * Wait for the next interrupt; fill @smp as the test driver would.  Return
 * 0, or -1 with errno set: ENODATA once every interrupt was raised and read.
 */
int uio_src_next(struct ihm_sample *smp)
{
	unsigned long long t, m;
	uint32_t st;
	long thr;
	int32_t count;
	ssize_t n;

	if (g.timed_out) {
		errno = ENODATA;
		return -1;
	}
	if (g.ep >= 0) {
		struct epoll_event e;

		if (epoll_wait(g.ep, &e, 1, -1) < 0) {
			if (errno == EINTR && g.timed_out)
				errno = ENODATA;
			return -1;
		}
		t = now_ns();
		n = read(g.uio_fd, &count, sizeof(count));
	} else {
		n = read(g.uio_fd, &count, sizeof(count));
		t = now_ns();
	}
	if (n != sizeof(count)) {
		if (n >= 0)
			errno = EIO;
		else if (errno == EINTR && g.timed_out)
			errno = ENODATA;
		return -1;
	}
	g.last_switches = reader_switches() - g.sw_before;
	thr = thread_switches();
	g.last_switches += thr - g.thr_before;
	g.thr_before = thr;
	memset(smp, 0, sizeof(*smp));
	smp->seq = g.raised;
	/* The arrival is the raise; the handlers' own times are not seen. */
	smp->t_expected = smp->t_hardirq = smp->t_thread = smp->t_thread_end = g.t_raised;
	smp->t_resume = t;
	m = map_num("migrated");
	if (m > g.migrated)
		smp->flags |= IHM_SAMPLE_IN_READER | IHM_SAMPLE_MIGRATED;
	/* Acknowledge, unmask INTx, and let the next one come. */
	st = g.regs[EDU_IRQ_STATUS / 4];
	g.regs[EDU_IRQ_ACK / 4] = st;
	if (intx_enable())
		return -1;
	arm();
	return 0;
}

/* The context switches the last interrupt took, counted. */
unsigned int uio_src_switches(void)
{
	return g.last_switches;
}

void uio_src_stop(struct ihm_stats *st)
{
	int i;

	g.stop = 1;
	pthread_kill(g.firer, SIGUSR2);
	pthread_join(g.firer, NULL);
	memset(st, 0, sizeof(*st));
	st->fired = g.raised;
	st->runs_migrated = map_num("migrated") - g.base_migrated;
	st->runs_in_thread = map_num("fallback") - g.base_fallback;
	st->runs = st->runs_migrated + st->runs_in_thread;
	st->hardirqs = st->runs;
	st->info_urgent = map_num("urgent") - g.base_urgent;
	for (i = 0; i < g.nthr; i++)
		close(g.thr_fd[i]);
	if (g.aff_old[0]) {
		int fd = open(g.aff_path, O_WRONLY);

		if (fd < 0 || write(fd, g.aff_old, strlen(g.aff_old)) < 0)
			err("putting the affinity back in", g.aff_path);
		if (fd >= 0)
			close(fd);
	}
	if (g.mode_old[0]) {
		char path[PATH_MAX + 8];
		int fd;

		snprintf(path, sizeof(path), "%s/mode", g.dir);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, g.mode_old, strlen(g.mode_old)) < 0)
			err("putting the mode back in", path);
		if (fd >= 0)
			close(fd);
	}
	if (g.ep >= 0)
		close(g.ep);
	close(g.cfg_fd);
	close(g.uio_fd);
	munmap((void *)g.regs, 4096);
}
