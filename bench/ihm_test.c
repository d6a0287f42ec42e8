// SPDX-License-Identifier: GPL-2.0
/*
 * ihm_test - a device whose reader waits for its interrupt with
 * wait_event_interruptible_migrated(), for the in-guest tests.
 *
 * /dev/ihm_test: IHM_TEST_REQUEST requests a migrated irq on one of two
 * sources and starts firing it, read() blocks until the next threaded
 * handler run and returns its timestamps and who ran it, IHM_TEST_STATS
 * gives the driver's own counts next to what genirq says.
 *
 * Sources:
 *  - timer: a fake irq (dummy_irq_chip) fired from a hard hrtimer, so the
 *    expected arrival is the timer's programmed expiry;
 *  - edu: QEMU's edu PCI device (1234:11e8), a real emulated device that
 *    raises MSI (or INTx) when its interrupt-raise register is written;
 *    the same hrtimer writes it.
 *
 * Besides the modes of a migrated irq, IHM_SETUP_HARDIRQ requests the
 * floor: a non-threaded handler that takes the sample in the hard irq and
 * wakes the one reader directly (rcuwait), what a kernel without forced
 * threading does; it bounds what any threaded scheme can reach.
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_migrate.h>
#include <linux/irqdesc.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rcuwait.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ihm_test.h"

#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64

/*
 * Who touches what:
 * - @lock (mutex) serializes the ioctls that request, free, fire and
 *   change modes, and the release of the requesting file; it protects
 *   @irq, @owner, @requested's writes, @source, @period.
 * - @fire_lock (raw spinlock) orders the hrtimer/ioctl firing, the hard
 *   irq handler and the threaded handler over @fired, @t_expected and
 *   @t_hardirq: the source records a fire, the hard irq stamps it, the
 *   threaded handler takes the latest stamp.
 * - @sample_lock (raw spinlock, irqs off: the floor handler takes it in
 *   the hard irq) protects @last and @seq, written by the handler, read
 *   by readers.  @seq only grows; a reader waits for it to move past what
 *   it saw.
 * - @floor and @saved_affinity are written under @lock with the irq not
 *   requested; the handlers and readers read @floor only while it is.
 * - @start_pending is set by a deferred request and cleared by the first
 *   reader (or a free), both under @lock; readers peek at it without.
 * - @floor_reader: the one reader allowed on @floor_wait (rcuwait has a
 *   single waiter), taken and dropped by readers with cmpxchg/xchg.
 * - The counters are atomics: written by the handlers, read by
 *   IHM_TEST_STATS.
 */
struct ihm_dev {
	struct mutex		lock;		/* see above */
	int			fake_irq;
	struct pci_dev		*edu;
	void __iomem		*edu_mmio;
	int			irq;		/* requested irq, -1 when none */
	struct file		*owner;		/* the file that requested it */
	bool			requested;	/* readers fail with -ENODEV when false */
	u32			source;
	ktime_t			period;
	u64			count;		/* fires before the timer stops, 0: none */
	struct hrtimer		timer;
	bool			floor;		/* IHM_SETUP_HARDIRQ */
	bool			pinned_edu;	/* @saved_affinity to put back */
	int			timer_cpu;	/* pinned timer's CPU, -1: any */
	bool			start_pending;	/* IHM_SETUP_DEFER: first read starts */
	cpumask_var_t		saved_affinity;
	struct rcuwait		floor_wait;
	atomic_t		floor_reader;

	raw_spinlock_t		fire_lock;
	u64			fired;
	u64			t_expected;
	u64			t_hardirq;
	u64			hard_seq;	/* @fired seen by the last hard irq */

	raw_spinlock_t		sample_lock;
	struct ihm_sample	last;
	u64			seq;
	wait_queue_head_t	wq;

	atomic64_t		hardirqs;
	atomic64_t		runs;
	atomic64_t		runs_migrated;
	atomic64_t		runs_in_thread;
	atomic64_t		overlaps;
	atomic64_t		bad_ctx;
	atomic_t		in_flight;
};

static struct ihm_dev ihm;

struct ihm_reader {
	u64	seen;	/* @seq of the last sample this reader returned */
};

/* Fire the source once; hard irq context (hrtimer) or process context. */
static void ihm_fire(struct ihm_dev *d, u64 expected)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&d->fire_lock, flags);
	d->fired++;
	d->t_expected = expected;
	raw_spin_unlock_irqrestore(&d->fire_lock, flags);

	if (d->source == IHM_SRC_EDU)
		writel(1, d->edu_mmio + EDU_IRQ_RAISE);
	else
		generic_handle_irq_safe(d->fake_irq);
}

static enum hrtimer_restart ihm_timer_fn(struct hrtimer *t)
{
	struct ihm_dev *d = container_of(t, struct ihm_dev, timer);

	ihm_fire(d, ktime_to_ns(hrtimer_get_expires(t)));
	/* A racy read of @fired is enough: it only grows while we run. */
	if (!d->period || (d->count && READ_ONCE(d->fired) >= d->count))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, d->period);
	return HRTIMER_RESTART;
}

/*
 * The hard irq's part, shared by both handlers: acknowledge edu (false
 * when the interrupt was not edu's), stamp the latest fire as served by a
 * hard irq at @now, and fill @s's fire number and expected arrival.
 */
static bool ihm_hard_stamp(struct ihm_dev *d, u64 now, struct ihm_sample *s)
{
	if (d->source == IHM_SRC_EDU) {
		u32 status = readl(d->edu_mmio + EDU_IRQ_STATUS);

		if (!status)
			return false;
		writel(status, d->edu_mmio + EDU_IRQ_ACK);
	}
	raw_spin_lock(&d->fire_lock);
	d->t_hardirq = now;
	d->hard_seq = d->fired;
	s->seq = d->fired;
	s->t_expected = d->t_expected;
	raw_spin_unlock(&d->fire_lock);
	atomic64_inc(&d->hardirqs);
	return true;
}

/* A run's sample becomes the last one; readers wait for @seq to move. */
static void ihm_publish(struct ihm_dev *d, const struct ihm_sample *s)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&d->sample_lock, flags);
	d->last = *s;
	d->seq++;
	raw_spin_unlock_irqrestore(&d->sample_lock, flags);
}

static irqreturn_t ihm_hardirq(int irq, void *data)
{
	struct ihm_sample unused;

	if (!ihm_hard_stamp(data, ktime_get_ns(), &unused))
		return IRQ_NONE;
	return IRQ_WAKE_THREAD;
}

static irqreturn_t ihm_thread_fn(int irq, void *data)
{
	struct ihm_dev *d = data;
	struct ihm_sample s = { };
	unsigned long flags;

	s.t_thread = ktime_get_ns();
	if (atomic_inc_return(&d->in_flight) > 1)
		atomic64_inc(&d->overlaps);
	if (irqs_disabled() || !preemptible() || in_interrupt())
		atomic64_inc(&d->bad_ctx);

	raw_spin_lock_irqsave(&d->fire_lock, flags);
	s.seq = d->hard_seq;
	s.t_expected = d->t_expected;
	s.t_hardirq = d->t_hardirq;
	raw_spin_unlock_irqrestore(&d->fire_lock, flags);

	s.runner_pid = task_pid_nr(current);
	if (irq_migrate_in_handler()) {
		s.flags |= IHM_SAMPLE_MIGRATED;
		atomic64_inc(&d->runs_migrated);
	} else {
		atomic64_inc(&d->runs_in_thread);
	}
	atomic64_inc(&d->runs);
	s.t_thread_end = ktime_get_ns();

	ihm_publish(d, &s);
	atomic_dec(&d->in_flight);
	wake_up(&d->wq);
	return IRQ_HANDLED;
}

/*
 * The floor: everything in the hard irq, and the reader woken from it.
 * wake_up() cannot be used here on PREEMPT_RT (a wait queue's lock sleeps);
 * rcuwait_wake_up() is wake_up_process() on the one registered reader.
 */
static irqreturn_t ihm_floor_handler(int irq, void *data)
{
	struct ihm_dev *d = data;
	struct ihm_sample s = { .flags = IHM_SAMPLE_HARDIRQ };

	s.t_hardirq = ktime_get_ns();
	if (!ihm_hard_stamp(d, s.t_hardirq, &s))
		return IRQ_NONE;
	atomic64_inc(&d->runs);
	s.t_thread = s.t_hardirq;
	s.t_thread_end = ktime_get_ns();

	ihm_publish(d, &s);
	rcuwait_wake_up(&d->floor_wait);
	return IRQ_HANDLED;
}

static int ihm_start_timer(struct ihm_dev *d);

static bool ihm_new_sample(struct ihm_dev *d, struct ihm_reader *r)
{
	return READ_ONCE(d->seq) != r->seen || !READ_ONCE(d->requested);
}

static ssize_t ihm_read(struct file *f, char __user *buf, size_t len,
			loff_t *pos)
{
	struct ihm_reader *r = f->private_data;
	struct ihm_dev *d = &ihm;
	struct ihm_sample s;
	int irq = READ_ONCE(d->irq);
	int ret;

	if (len < sizeof(s))
		return -EINVAL;
	if (!READ_ONCE(d->requested) || irq < 0)
		return -ENODEV;
	if (READ_ONCE(d->start_pending)) {
		mutex_lock(&d->lock);
		ret = d->start_pending && d->requested ? ihm_start_timer(d) : 0;
		mutex_unlock(&d->lock);
		if (ret)
			return ret;
	}
	if (READ_ONCE(d->floor)) {
		if (atomic_cmpxchg(&d->floor_reader, 0, 1))
			return -EBUSY;
		ret = rcuwait_wait_event(&d->floor_wait, ihm_new_sample(d, r),
					 TASK_INTERRUPTIBLE);
		atomic_set(&d->floor_reader, 0);
	} else {
		ret = wait_event_interruptible_migrated(irq, d, d->wq,
							ihm_new_sample(d, r));
	}
	if (ret)
		return ret;
	if (!READ_ONCE(d->requested))
		return -ENODEV;

	raw_spin_lock_irq(&d->sample_lock);
	s = d->last;
	r->seen = d->seq;
	raw_spin_unlock_irq(&d->sample_lock);
	s.t_resume = ktime_get_ns();
	if (s.runner_pid == task_pid_nr(current))
		s.flags |= IHM_SAMPLE_IN_READER;
	if (copy_to_user(buf, &s, sizeof(s)))
		return -EFAULT;
	return sizeof(s);
}

static void ihm_free(struct ihm_dev *d, struct ihm_stats *st);
static void ihm_stats(struct ihm_dev *d, struct ihm_stats *st);
static void ihm_reset(struct ihm_dev *d);

/* On the CPU the interrupt is pinned to (an IPI): the timer stays there. */
static void ihm_start_pinned(void *data)
{
	struct ihm_dev *d = data;

	hrtimer_start(&d->timer, d->period, HRTIMER_MODE_REL_PINNED_HARD);
}

/* Start the periodic source; under @lock. */
static int ihm_start_timer(struct ihm_dev *d)
{
	d->start_pending = false;
	if (d->timer_cpu >= 0)
		return smp_call_function_single(d->timer_cpu, ihm_start_pinned, d, 1);
	hrtimer_start(&d->timer, d->period, HRTIMER_MODE_REL_HARD);
	return 0;
}

/*
 * Wait until the irq thread of our action sleeps for its first interrupt.
 * irq_thread() makes itself SCHED_FIFO and reaches its wait only after
 * request_irq() returned.  An interrupt raised before then is run by the
 * thread, which finds IRQTF_RUNTHREAD set on its way to sleep even when a
 * waiter was claimed for it: a correct run, counted as fallback "other",
 * but not the run a test that fires at once expects in its reader.  Asleep
 * means off the runqueue in TASK_INTERRUPTIBLE at the thread's own
 * priority: irq_thread() sleeps so only in irq_wait_for_interrupt().
 */
static int ihm_wait_thread_asleep(struct ihm_dev *d, unsigned int irq)
{
	unsigned long deadline = jiffies + 10 * HZ;
	struct task_struct *t = NULL;
	struct irqaction *a;

	/*
	 * irq_to_desc() is not exported; the irq's data is, and is embedded
	 * in its descriptor.  The line is not shared and our action stays
	 * until we free it.
	 */
	for (a = irq_data_to_desc(irq_get_irq_data(irq))->action; a; a = a->next)
		if (a->dev_id == d)
			t = a->thread;
	if (!t)
		return 0;
	while (READ_ONCE(t->prio) != MAX_RT_PRIO - 1 - MAX_RT_PRIO / 2 ||
	       READ_ONCE(t->__state) != TASK_INTERRUPTIBLE ||
	       READ_ONCE(t->on_rq)) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(1000, 2000);
	}
	return 0;
}

static int ihm_request(struct ihm_dev *d, struct ihm_setup *st)
{
	const u32 known = IHM_SETUP_HARDIRQ | IHM_SETUP_PIN | IHM_SETUP_MODE |
			  IHM_SETUP_DEFER;
	bool pin = st->flags & IHM_SETUP_PIN;
	bool floor = st->flags & IHM_SETUP_HARDIRQ;
	bool floor_mode = st->mode == IHM_MODE_HARDIRQ;
	int irq, ret;

	if (d->requested)
		return -EBUSY;
	if (st->flags & ~known)
		return -EINVAL;
	/* HARDIRQ is the floor's mode and only the floor's. */
	if ((st->flags & IHM_SETUP_MODE) &&
	    (st->mode > IHM_MODE_HARDIRQ || floor != floor_mode))
		return -EINVAL;
	if (pin && (st->cpu >= nr_cpu_ids || !cpu_online(st->cpu)))
		return -EINVAL;
	if (st->source == IHM_SRC_TIMER)
		irq = d->fake_irq;
	else if (st->source == IHM_SRC_EDU && d->edu)
		irq = pci_irq_vector(d->edu, 0);
	else
		return -ENODEV;

	d->source = st->source;
	d->period = st->period_us ? ns_to_ktime((u64)st->period_us * NSEC_PER_USEC) : 0;
	d->count = st->count;
	d->floor = floor;
	if (d->floor)
		ret = request_irq(irq, ihm_floor_handler, IRQF_NO_THREAD,
				  "ihm_test", d);
	else
		/*
		 * IRQF_ONESHOT keeps the primary, which stamps the hard irq,
		 * out of forced threading, as gpiolib-cdev's edge handler.
		 */
		ret = request_migrated_irq(irq, ihm_hardirq, ihm_thread_fn,
					   IRQF_ONESHOT, "ihm_test", d);
	if (ret)
		return ret;
	ret = ihm_wait_thread_asleep(d, irq);
	if (ret) {
		pr_err("ihm_test: irq %d: the irq thread did not go to sleep in 10 s\n", irq);
		free_irq(irq, d);
		return ret;
	}
	/* The mode before the first fire: no run in another mode is counted. */
	if ((st->flags & IHM_SETUP_MODE) && !d->floor) {
		ret = irq_migrate_set_mode(irq, st->mode);
		if (ret) {
			free_irq(irq, d);
			return ret;
		}
	}
	if (pin && d->source == IHM_SRC_EDU) {
		cpumask_copy(d->saved_affinity, irq_get_affinity_mask(irq));
		ret = irq_set_affinity(irq, cpumask_of(st->cpu));
		if (ret) {
			free_irq(irq, d);
			return ret;
		}
		d->pinned_edu = true;
	}
	d->timer_cpu = pin && d->source == IHM_SRC_TIMER ? st->cpu : -1;
	WRITE_ONCE(d->irq, irq);
	WRITE_ONCE(d->requested, true);
	if (!d->period)
		return 0;
	/*
	 * Deferred, the source starts when the reader first waits: no sample
	 * is taken before anyone waits, to be read late and count as latency.
	 */
	if (st->flags & IHM_SETUP_DEFER) {
		WRITE_ONCE(d->start_pending, true);
		return 0;
	}
	ret = ihm_start_timer(d);
	if (ret)
		ihm_free(d, NULL);
	return ret;
}

/*
 * Stop the source, let the last run finish, take the final counts (when
 * @st), then free the irq.  After disable_irq() no run is pending and none
 * can start, so the counts are complete and consistent: the last fire has
 * been served by a run that started after its hard irq.  (synchronize_irq()
 * would not do: edu may deliver an interrupt late, after a CPU came back
 * online, and the run it starts would be half counted.)
 */
static void ihm_free(struct ihm_dev *d, struct ihm_stats *st)
{
	if (!d->requested)
		return;
	d->start_pending = false;
	hrtimer_cancel(&d->timer);
	disable_irq(d->irq);
	if (st)
		ihm_stats(d, st);
	WRITE_ONCE(d->requested, false);
	if (d->pinned_edu)
		irq_set_affinity(d->irq, d->saved_affinity);
	d->pinned_edu = false;
	free_irq(d->irq, d);
	ihm_reset(d);
	/* Readers still waiting, now as plain waiters, see !requested. */
	wake_up_all(&d->wq);
	rcuwait_wake_up(&d->floor_wait);
}

static void ihm_stats(struct ihm_dev *d, struct ihm_stats *st)
{
	struct irq_migrate_info info = { };
	unsigned long flags;

	raw_spin_lock_irqsave(&d->fire_lock, flags);
	st->fired = d->fired;
	raw_spin_unlock_irqrestore(&d->fire_lock, flags);
	st->hardirqs = atomic64_read(&d->hardirqs);
	st->runs = atomic64_read(&d->runs);
	st->runs_migrated = atomic64_read(&d->runs_migrated);
	st->runs_in_thread = atomic64_read(&d->runs_in_thread);
	st->overlaps = atomic64_read(&d->overlaps);
	st->bad_ctx = atomic64_read(&d->bad_ctx);
	raw_spin_lock_irq(&d->sample_lock);
	st->last_seq = d->last.seq;
	raw_spin_unlock_irq(&d->sample_lock);
	st->irq = d->requested ? d->irq : -1;
	if (d->requested && !d->floor && !irq_migrate_get_info(d->irq, &info)) {
		st->info_migrated = info.migrated;
		st->info_fallback[0] = info.fallback[IRQ_MIGRATE_FB_NONE];
		st->info_fallback[1] = info.fallback[IRQ_MIGRATE_FB_MODE];
		st->info_fallback[2] = info.fallback[IRQ_MIGRATE_FB_OTHER];
		st->info_fallback[3] = info.fallback[IRQ_MIGRATE_FB_PRIO];
		st->info_urgent = info.urgent;
		st->info_armed = info.armed;
	}
}

static void ihm_reset(struct ihm_dev *d)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&d->fire_lock, flags);
	d->fired = 0;
	d->hard_seq = 0;
	raw_spin_unlock_irqrestore(&d->fire_lock, flags);
	raw_spin_lock_irq(&d->sample_lock);
	d->last.seq = 0;
	raw_spin_unlock_irq(&d->sample_lock);
	atomic64_set(&d->hardirqs, 0);
	atomic64_set(&d->runs, 0);
	atomic64_set(&d->runs_migrated, 0);
	atomic64_set(&d->runs_in_thread, 0);
	atomic64_set(&d->overlaps, 0);
	atomic64_set(&d->bad_ctx, 0);
}

static long ihm_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct ihm_dev *d = &ihm;
	struct ihm_setup st;
	struct ihm_stats stats = { };
	u32 mode;
	long ret = 0;

	mutex_lock(&d->lock);
	switch (cmd) {
	case IHM_TEST_REQUEST:
		if (copy_from_user(&st, (void __user *)arg, sizeof(st)))
			ret = -EFAULT;
		else
			ret = ihm_request(d, &st);
		if (!ret)
			d->owner = f;
		break;
	case IHM_TEST_FREE:
		if (!d->requested) {
			ret = -ENODEV;
			break;
		}
		ihm_free(d, &stats);
		if (copy_to_user((void __user *)arg, &stats, sizeof(stats)))
			ret = -EFAULT;
		break;
	case IHM_TEST_FIRE:
		if (!d->requested)
			ret = -ENODEV;
		else
			ihm_fire(d, ktime_get_ns());
		break;
	case IHM_TEST_SET_MODE:
		if (get_user(mode, (u32 __user *)arg))
			ret = -EFAULT;
		else if (!d->requested)
			ret = -ENODEV;
		else if (d->floor)
			ret = mode == IHM_MODE_HARDIRQ ? 0 : -EINVAL;
		else
			ret = irq_migrate_set_mode(d->irq, mode);
		break;
	case IHM_TEST_STATS:
		ihm_stats(d, &stats);
		if (copy_to_user((void __user *)arg, &stats, sizeof(stats)))
			ret = -EFAULT;
		break;
	case IHM_TEST_RESET:
		ihm_reset(d);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&d->lock);
	return ret;
}

static int ihm_open(struct inode *inode, struct file *f)
{
	struct ihm_reader *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	raw_spin_lock_irq(&ihm.sample_lock);
	r->seen = ihm.seq;
	raw_spin_unlock_irq(&ihm.sample_lock);
	f->private_data = r;
	return 0;
}

/*
 * The last close of the file that requested the irq frees it: a program
 * that dies (a failed test, a kill) must not leave the device busy for
 * the next one.
 */
static int ihm_release(struct inode *inode, struct file *f)
{
	mutex_lock(&ihm.lock);
	if (ihm.requested && ihm.owner == f)
		ihm_free(&ihm, NULL);
	mutex_unlock(&ihm.lock);
	kfree(f->private_data);
	return 0;
}

static const struct file_operations ihm_fops = {
	.owner		= THIS_MODULE,
	.open		= ihm_open,
	.release	= ihm_release,
	.read		= ihm_read,
	.unlocked_ioctl	= ihm_ioctl,
};

static struct miscdevice ihm_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ihm_test",
	.fops	= &ihm_fops,
};

static int ihm_edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	/*
	 * The first edu is ours; the guest's second is left to the UIO tests
	 * (uio_pci_generic).  Probes of one driver are serialized by the
	 * driver core's attach loop, and ihm.edu is only cleared by remove.
	 */
	if (READ_ONCE(ihm.edu))
		return -ENODEV;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), "ihm_test");
	if (ret)
		return ret;
	/* An MSI is a memory write by the device: it needs bus mastering. */
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (ret < 0)
		return ret;
	mutex_lock(&ihm.lock);
	ihm.edu_mmio = pcim_iomap_table(pdev)[0];
	ihm.edu = pdev;
	mutex_unlock(&ihm.lock);
	dev_info(&pdev->dev, "edu: irq %d (%s)\n", pci_irq_vector(pdev, 0),
		 pdev->msi_enabled ? "MSI" : "INTx");
	return 0;
}

static void ihm_edu_remove(struct pci_dev *pdev)
{
	mutex_lock(&ihm.lock);
	if (ihm.source == IHM_SRC_EDU)
		ihm_free(&ihm, NULL);
	ihm.edu = NULL;
	mutex_unlock(&ihm.lock);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id ihm_edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ihm_edu_ids);

static struct pci_driver ihm_edu_driver = {
	.name		= "ihm_test_edu",
	.id_table	= ihm_edu_ids,
	.probe		= ihm_edu_probe,
	.remove		= ihm_edu_remove,
};

static int __init ihm_init(void)
{
	struct ihm_dev *d = &ihm;
	int irq, ret;

	mutex_init(&d->lock);
	raw_spin_lock_init(&d->fire_lock);
	raw_spin_lock_init(&d->sample_lock);
	init_waitqueue_head(&d->wq);
	rcuwait_init(&d->floor_wait);
	if (!zalloc_cpumask_var(&d->saved_affinity, GFP_KERNEL))
		return -ENOMEM;
	hrtimer_init(&d->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	d->timer.function = ihm_timer_fn;
	d->irq = -1;
	d->timer_cpu = -1;

	irq = irq_alloc_desc(NUMA_NO_NODE);
	if (irq < 0) {
		free_cpumask_var(d->saved_affinity);
		return irq;
	}
	d->fake_irq = irq;
	irq_set_chip_and_handler_name(irq, &dummy_irq_chip, handle_simple_irq,
				      "ihm_test");
	irq_modify_status(irq, IRQ_NOREQUEST | IRQ_NOPROBE | IRQ_NOTHREAD, 0);

	ret = pci_register_driver(&ihm_edu_driver);
	if (ret)
		goto err_desc;
	ret = misc_register(&ihm_misc);
	if (ret)
		goto err_pci;
	return 0;

err_pci:
	pci_unregister_driver(&ihm_edu_driver);
err_desc:
	irq_free_desc(irq);
	free_cpumask_var(d->saved_affinity);
	return ret;
}

static void __exit ihm_exit(void)
{
	misc_deregister(&ihm_misc);
	mutex_lock(&ihm.lock);
	ihm_free(&ihm, NULL);
	mutex_unlock(&ihm.lock);
	pci_unregister_driver(&ihm_edu_driver);
	irq_free_desc(ihm.fake_irq);
	free_cpumask_var(ihm.saved_affinity);
}

module_init(ihm_init);
module_exit(ihm_exit);
MODULE_DESCRIPTION("Test device for interrupt handler migration");
MODULE_LICENSE("GPL");
