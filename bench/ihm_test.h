/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ihm_test: the interface between the test driver (ihm_test.ko) and the
 * programs that drive it.  The kernel measures, user space reads.
 */
#ifndef IHM_TEST_H
#define IHM_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IHM_TEST_DEV		"/dev/ihm_test"

/* Interrupt sources */
#define IHM_SRC_TIMER		0	/* a fake irq fired from a hard hrtimer */
#define IHM_SRC_EDU		1	/* QEMU's edu PCI device (MSI or INTx) */

/* Modes, as enum irq_migrate_mode */
#define IHM_MODE_THREAD		0
#define IHM_MODE_MIGRATE	1
#define IHM_MODE_URGENT		2
/*
 * Not a mode of a migrated irq but the floor: IHM_SETUP_HARDIRQ requests a
 * non-threaded (IRQF_NO_THREAD) handler that takes the sample and wakes the
 * reader from the hard irq, as a kernel without forced threading would.
 */
#define IHM_MODE_HARDIRQ	3

/* One handler run, as read() returns it (ns, CLOCK_MONOTONIC) */
struct ihm_sample {
	__u64	seq;		/* fire number this run served */
	__u64	t_expected;	/* when the source was programmed to fire */
	__u64	t_hardirq;	/* hard irq handler entry */
	__u64	t_thread;	/* threaded handler entry */
	__u64	t_thread_end;	/* threaded handler exit */
	__u64	t_resume;	/* the reader resumed in read() */
	__s32	runner_pid;	/* task that ran the threaded handler */
	__u32	flags;
};

#define IHM_SAMPLE_IN_READER	0x1	/* the handler ran in this reader */
#define IHM_SAMPLE_MIGRATED	0x2	/* irq_migrate_in_handler() was true */
#define IHM_SAMPLE_HARDIRQ	0x4	/* the floor: the handler ran in the hard irq */

/* The driver's own counts */
struct ihm_stats {
	__u64	fired;		/* times the source was fired */
	__u64	hardirqs;	/* hard irq handler runs that woke the thread fn */
	__u64	runs;		/* threaded handler runs */
	__u64	runs_migrated;	/* ... with irq_migrate_in_handler() true */
	__u64	runs_in_thread;	/* ... in the irq thread */
	__u64	overlaps;	/* runs that started while another ran */
	__u64	bad_ctx;	/* runs with irqs or preemption disabled */
	__u64	last_seq;	/* fire number seen by the last run */
	/* irq_migrate_get_info() of the irq */
	__u64	info_migrated;
	__u64	info_fallback[4];	/* none, mode, other, prio */
	__u64	info_urgent;	/* interrupts that took the urgent path */
	__u32	info_armed;
	__s32	irq;
};

struct ihm_setup {
	__u32	source;		/* IHM_SRC_* */
	__u32	period_us;	/* 0: fire only on IHM_TEST_FIRE */
	__u32	flags;		/* IHM_SETUP_* */
	__u32	cpu;		/* with IHM_SETUP_PIN: the CPU taking the interrupt */
	__u32	count;		/* the timer stops after this many fires; 0: never */
	__u32	mode;		/* with IHM_SETUP_MODE: IHM_MODE_* before the first fire */
};

#define IHM_SETUP_HARDIRQ	0x1	/* the floor handler (IHM_MODE_HARDIRQ) */
/*
 * IHM_SETUP_PIN: fire on @cpu; the timer runs there, edu's irq affinity is
 * set to it (and put back at free).
 */
#define IHM_SETUP_PIN		0x2
#define IHM_SETUP_MODE		0x4	/* set @mode before the source starts */
#define IHM_SETUP_DEFER		0x8	/* the source starts at the first read() */

#define IHM_TEST_REQUEST	_IOW('I', 1, struct ihm_setup)	/* request + start */
/* stop firing, wait for the last run, report, free_irq, zero the counts */
#define IHM_TEST_FREE		_IOR('I', 2, struct ihm_stats)
#define IHM_TEST_FIRE		_IO('I', 3)			/* fire once, now */
#define IHM_TEST_SET_MODE	_IOW('I', 4, __u32)
#define IHM_TEST_STATS		_IOR('I', 5, struct ihm_stats)
#define IHM_TEST_RESET		_IO('I', 6)			/* zero the driver's counts */

#endif /* IHM_TEST_H */
