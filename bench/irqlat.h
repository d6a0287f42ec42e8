/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irqlat's parts: the options, and the GPIO (irqlat-gpio.c) and UIO
 * (irqlat-uio.c) sources next to the test driver's sources (irqlat.c).
 */
#ifndef IRQLAT_H
#define IRQLAT_H

#include <time.h>

#include "ihm_test.h"

/* --source gpio: a GPIO line's edge events through the character device. */
#define IRQLAT_SRC_GPIO		2

/* --source uio: QEMU's edu device bound to uio_pci_generic. */
#define IRQLAT_SRC_UIO		3

/* How the waiter of --source gpio and uio waits. */
#define IRQLAT_WAIT_READ	0
#define IRQLAT_WAIT_EPOLL	1

struct opts {
	unsigned long loops;		/* 0: until -D or a signal */
	unsigned int interval_us;
	unsigned long duration_s;
	int prio;
	int cpu;			/* the reader's CPU, -1 any */
	int irq_cpu;			/* the CPU taking the interrupt, -1 any */
	int home;			/* the CPU the waiter returns to, -1 none */
	unsigned int mode, source;
	int mlock, quiet;
	unsigned int hist_us;		/* 0: no histogram */
	int histofall;
	const char *json;
	const char *gpio_in;		/* CHIP:LINE, edges read here */
	const char *gpio_out;		/* CHIP:LINE wired to it; NULL: gpio-sim */
	const char *uio;		/* PCI address of an edu on uio_pci_generic */
	unsigned int wait;		/* IRQLAT_WAIT_* */
	char cmdline[1024];
};

/* The device sources' firing thread: on --irq-cpu at SCHED_FIFO 99. */
void firer_setup(const struct opts *o, struct timespec *next);
/* Sleep until the next tick of --interval after @next. */
void firer_sleep(const struct opts *o, struct timespec *next);

int gpio_src_start(const struct opts *o);
int gpio_src_next(struct ihm_sample *smp);
void gpio_src_stop(struct ihm_stats *st);

int uio_src_start(const struct opts *o);
int uio_src_next(struct ihm_sample *smp);
unsigned int uio_src_switches(void);
void uio_src_stop(struct ihm_stats *st);

#endif /* IRQLAT_H */
