// SPDX-License-Identifier: GPL-2.0
/*
 * edu-uio: a user-space driver for QEMU's edu PCI device (1234:11e8) bound
 * to uio_pci_generic, written as UIO drivers are (see the kernel's
 * Documentation/driver-api/uio-howto.rst), for the in-guest tests of UIO on
 * IHM.
 *
 *   edu-uio read|epoll BDF N
 *
 * Maps BAR0 of the device at /sys/bus/pci/devices/BDF through its
 * resource0 file and, N times: re-enables INTx in the command register
 * (uio_pci_generic's handler masks it there, and has no irqcontrol),
 * starts one of edu's DMA transfers with its completion interrupt, which
 * edu raises 100 ms (virtual time) later, so that it comes while the
 * program sleeps in the named call: a blocking read() of /dev/uioN, or
 * epoll_wait() on it followed by that read(); then acknowledges the
 * interrupt in edu's status register, as a real driver would, before the
 * next one.  Each interrupt is printed as it is read:
 *
 *   EVENT <i> <event count> <edu interrupt status>
 *
 * The DMA reads 4 bytes at bus address 0 into edu's buffer; bus mastering
 * is left off, so nothing is read and no memory is touched, and edu raises
 * the interrupt all the same.
 *
 * Exit status: 0 when every wait returned exactly one new event (the
 * count one more than the last; a lost interrupt shows as a jump, as UIO
 * reports it) with edu's DMA interrupt pending; 1 otherwise, with one line
 * on stderr; 2 on bad usage.  An interrupt that never comes ends the
 * program after 10 s.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

/* edu's registers (QEMU docs/specs/edu.rst) */
#define EDU_ID		0x00	/* 0x010000ed */
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_IRQ	0x4	/* raise DMA_IRQ when the transfer is done */
#define EDU_DMA_IRQ_BIT	0x100
#define EDU_DMA_BUF	0x40000	/* edu's buffer, in its own address space */

#define PCI_COMMAND		0x04
#define PCI_COMMAND_INTX_DISABLE 0x400

static const char *prog = "edu-uio";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static volatile uint32_t *regs;

static uint32_t rd(unsigned int off)
{
	return regs[off / 4];
}

static void wr(unsigned int off, uint32_t v)
{
	regs[off / 4] = v;
}

/* Clear INTx disable: what uio_pci_generic's users do instead of irqcontrol. */
static void intx_enable(int cfg)
{
	uint16_t cmd;

	if (pread(cfg, &cmd, 2, PCI_COMMAND) != 2)
		die("reading the command register");
	if (!(cmd & PCI_COMMAND_INTX_DISABLE))
		return;
	cmd &= ~PCI_COMMAND_INTX_DISABLE;
	if (pwrite(cfg, &cmd, 2, PCI_COMMAND) != 2)
		die("writing the command register");
}

static void dma_with_irq(void)
{
	wr(EDU_DMA_SRC, 0);
	wr(EDU_DMA_DST, EDU_DMA_BUF);
	wr(EDU_DMA_CNT, 4);
	wr(EDU_DMA_CMD, EDU_DMA_RUN | EDU_DMA_IRQ);
}

/* The uio device the kernel made for BDF: /dev/uioN */
static int open_uio(const char *bdf)
{
	char path[300];
	struct dirent *e;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
	d = opendir(path);
	if (!d)
		die(path);
	while ((e = readdir(d)) && strncmp(e->d_name, "uio", 3))
		;
	if (!e) {
		errno = ENODEV;
		die(path);
	}
	snprintf(path, sizeof(path), "/dev/%s", e->d_name);
	closedir(d);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	int uio, cfg, res, ep = -1, n, i, use_epoll;
	struct epoll_event ev = { .events = EPOLLIN };
	int32_t count, last = 0;
	char path[300];
	uint32_t st;

	if (argc != 4 || (strcmp(argv[1], "read") && strcmp(argv[1], "epoll")) ||
	    (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: %s read|epoll BDF N\n", prog);
		return 2;
	}
	use_epoll = !strcmp(argv[1], "epoll");
	setvbuf(stdout, NULL, _IOLBF, 0);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[2]);
	res = open(path, O_RDWR | O_SYNC);
	if (res < 0)
		die(path);
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, res, 0);
	if (regs == MAP_FAILED)
		die("mmap of BAR0");
	if (rd(EDU_ID) != 0x010000ed)
		fail("BAR0 is not edu's (id %#x)", rd(EDU_ID));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[2]);
	cfg = open(path, O_RDWR);
	if (cfg < 0)
		die(path);
	uio = open_uio(argv[2]);
	if (use_epoll) {
		ep = epoll_create1(0);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, uio, &ev))
			die("epoll");
	}
	/* Left over by an earlier run: acknowledged before the first wait. */
	wr(EDU_IRQ_ACK, rd(EDU_IRQ_STATUS));

	for (i = 1; i <= n; i++) {
		intx_enable(cfg);
		dma_with_irq();
		alarm(10);
		/* epoll_wait() is not restarted after SIGSTOP/SIGCONT (signal(7)). */
		while (use_epoll && epoll_wait(ep, &ev, 1, -1) != 1)
			if (errno != EINTR)
				die("epoll_wait");
		if (read(uio, &count, sizeof(count)) != sizeof(count))
			die("read");
		alarm(0);
		st = rd(EDU_IRQ_STATUS);
		printf("EVENT %d %d %#x\n", i, count, st);
		if (!(st & EDU_DMA_IRQ_BIT))
			fail("event %d without edu's DMA interrupt (status %#x)", i, st);
		wr(EDU_IRQ_ACK, st);
		if (i > 1 && count != last + 1)
			fail("event count %d after %d: not one new event", count, last);
		last = count;
	}
	return 0;
}
